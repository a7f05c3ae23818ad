import type { StatusCategory, TypeCategory } from '../../src/model/work-item.ts';
import type { AdoTypeCategory, AdoWorkItemType, AzureDevOpsSourceConfig } from './schema.ts';

/**
 * A project's process (Agile, Scrum, CMMI, Basic or an inherited custom one) as its metadata says:
 * each type's category from the work item type categories, each state's category from the type's
 * state list, and the estimate field each type carries. Nothing here depends on type or state names.
 */

/** Azure Boards state categories: https://learn.microsoft.com/en-us/azure/devops/boards/work-items/workflow-and-state-categories */
export const ADO_STATE_CATEGORIES = ['Proposed', 'InProgress', 'Resolved', 'Completed', 'Removed'] as const;
export type AdoStateCategory = (typeof ADO_STATE_CATEGORIES)[number];

const STATUS_OF: Record<AdoStateCategory, StatusCategory> = {
  Proposed: 'todo',
  InProgress: 'in_progress',
  // Resolved means "done, awaiting verification": still flowing, not yet delivered.
  Resolved: 'in_progress',
  Completed: 'done',
  Removed: 'done',
};

/** Backlog level categories every process template defines (Agile, Scrum, CMMI, Basic). */
const TYPE_OF_CATEGORY: Record<string, TypeCategory> = {
  'Microsoft.EpicCategory': 'epic',
  'Microsoft.FeatureCategory': 'feature',
  'Microsoft.RequirementCategory': 'story',
  'Microsoft.TaskCategory': 'task',
  'Microsoft.BugCategory': 'bug',
};

/** Estimate fields of the four templates, in the order they are tried. */
export const ESTIMATE_FIELDS = ['Microsoft.VSTS.Scheduling.StoryPoints', 'Microsoft.VSTS.Scheduling.Effort', 'Microsoft.VSTS.Scheduling.Size'] as const;

export type ProcessTemplate = 'Agile' | 'Scrum' | 'CMMI' | 'Basic' | 'custom';

export interface TypeInfo {
  name: string;
  category: TypeCategory;
  /** Where the category came from, for `doctor` and the docs. */
  categoryRef: string | null;
  states: Map<string, AdoStateCategory>;
  estimateField: string | null;
  /** Field reference names the type carries (empty when the server did not list them). */
  fields: Set<string>;
}

export interface ProcessModel {
  project: string;
  template: ProcessTemplate;
  /** The template name the project reports (inherited processes carry their own name). */
  templateName: string | null;
  types: Map<string, TypeInfo>;
}

export function isStateCategory(value: unknown): value is AdoStateCategory {
  return typeof value === 'string' && (ADO_STATE_CATEGORIES as readonly string[]).includes(value);
}

export function statusCategoryOf(category: AdoStateCategory): StatusCategory {
  return STATUS_OF[category];
}

/** The requirement-level type names the four system templates ship with. */
function guessTemplate(requirementTypes: readonly string[], estimateFields: ReadonlySet<string>): ProcessTemplate {
  if (requirementTypes.includes('User Story')) return 'Agile';
  if (requirementTypes.includes('Product Backlog Item')) return 'Scrum';
  if (requirementTypes.includes('Requirement')) return 'CMMI';
  if (requirementTypes.includes('Issue') && estimateFields.has('Microsoft.VSTS.Scheduling.Effort')) return 'Basic';
  return 'custom';
}

function templateFromName(name: string | null): ProcessTemplate | null {
  if (!name) return null;
  const known = ['Agile', 'Scrum', 'CMMI', 'Basic'] as const;
  return known.find((k) => k.toLowerCase() === name.toLowerCase()) ?? null;
}

export function buildProcessModel(input: {
  project: string;
  templateName: string | null;
  types: readonly AdoWorkItemType[];
  categories: readonly AdoTypeCategory[];
  config: Pick<AzureDevOpsSourceConfig, 'estimateField' | 'typeCategories'>;
}): ProcessModel {
  const categoryOfType = new Map<string, string>();
  for (const c of input.categories) {
    for (const t of c.workItemTypes ?? []) {
      // A type listed in a backlog category wins over Hidden or other categories.
      if (!categoryOfType.has(t.name) || c.referenceName in TYPE_OF_CATEGORY) categoryOfType.set(t.name, c.referenceName);
    }
  }
  const types = new Map<string, TypeInfo>();
  const requirementTypes: string[] = [];
  const estimateFieldsSeen = new Set<string>();
  for (const t of input.types) {
    const ref = categoryOfType.get(t.name) ?? null;
    const override = input.config.typeCategories?.[t.name];
    const category: TypeCategory = override ?? (ref ? TYPE_OF_CATEGORY[ref] : undefined) ?? (/risk/i.test(ref ?? '') ? 'risk' : 'other');
    if (ref === 'Microsoft.RequirementCategory') requirementTypes.push(t.name);
    const states = new Map<string, AdoStateCategory>();
    for (const s of t.states ?? []) if (isStateCategory(s.category)) states.set(s.name, s.category);
    const fieldRefs = new Set((t.fields ?? []).map((f) => f.referenceName));
    for (const f of ESTIMATE_FIELDS) if (fieldRefs.has(f)) estimateFieldsSeen.add(f);
    types.set(t.name, { name: t.name, category, categoryRef: ref, states, fields: fieldRefs, estimateField: estimateFieldFor(t.name, fieldRefs, input.config.estimateField) });
  }
  const template = templateFromName(input.templateName) ?? guessTemplate(requirementTypes, estimateFieldsSeen);
  return { project: input.project, template, templateName: input.templateName, types };
}

function estimateFieldFor(type: string, fieldRefs: ReadonlySet<string>, override: AzureDevOpsSourceConfig['estimateField']): string | null {
  if (typeof override === 'string') return override;
  if (override?.[type]) return override[type];
  // A type list without field details (older servers): try the template fields in order when mapping.
  if (fieldRefs.size === 0) return null;
  return ESTIMATE_FIELDS.find((f) => fieldRefs.has(f)) ?? null;
}
