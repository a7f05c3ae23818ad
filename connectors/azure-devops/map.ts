import type { FieldChange, ItemLink, Person, SprintRef, StatusCategory, StatusTransition, WorkItem, WorkItemInput } from '../../src/model/work-item.ts';
import { itemKey } from '../../src/model/work-item.ts';
import { htmlToText } from './html.ts';
import { ESTIMATE_FIELDS, statusCategoryOf, type AdoStateCategory, type ProcessModel, type TypeInfo } from './process.ts';
import type { AdoIdentity, AdoRelation, AdoWorkItem } from './schema.ts';

/**
 * Pure mapping: the current work item (workitemsbatch, relations expanded) plus its revisions from
 * the reporting feed, merged onto the stored copy, → a normalised WorkItem. No I/O.
 */

export const F = {
  id: 'System.Id',
  rev: 'System.Rev',
  project: 'System.TeamProject',
  area: 'System.AreaPath',
  iteration: 'System.IterationPath',
  type: 'System.WorkItemType',
  state: 'System.State',
  title: 'System.Title',
  description: 'System.Description',
  assignedTo: 'System.AssignedTo',
  tags: 'System.Tags',
  created: 'System.CreatedDate',
  changed: 'System.ChangedDate',
  changedBy: 'System.ChangedBy',
  parent: 'System.Parent',
  isDeleted: 'System.IsDeleted',
  history: 'System.History',
  priority: 'Microsoft.VSTS.Common.Priority',
  acceptance: 'Microsoft.VSTS.Common.AcceptanceCriteria',
  reproSteps: 'Microsoft.VSTS.TCM.ReproSteps',
  activated: 'Microsoft.VSTS.Common.ActivatedDate',
  resolved: 'Microsoft.VSTS.Common.ResolvedDate',
  closed: 'Microsoft.VSTS.Common.ClosedDate',
  dueDate: 'Microsoft.VSTS.Scheduling.DueDate',
  targetDate: 'Microsoft.VSTS.Scheduling.TargetDate',
  blocked: 'Microsoft.VSTS.CMMI.Blocked',
} as const;

/** Rich-text fields kept as plain text in `fields`. */
const HTML_FIELDS = new Set<string>([F.description, F.acceptance, F.reproSteps, 'Microsoft.VSTS.Common.Resolution', 'Microsoft.VSTS.CMMI.Justification']);

/** The short fields the reporting feed is asked for: what history and scope decisions need. */
export function feedFields(model: { estimateFields: readonly string[] }): string[] {
  return [
    F.id,
    F.rev,
    F.project,
    F.area,
    F.iteration,
    F.type,
    F.state,
    F.assignedTo,
    F.changed,
    F.changedBy,
    F.isDeleted,
    F.priority,
    F.dueDate,
    F.targetDate,
    F.blocked,
    F.tags,
    ...new Set([...ESTIMATE_FIELDS, ...model.estimateFields]),
  ];
}

/** Relation types → normalised link types (dependencies read like Jira's "blocks"). */
const LINK_TYPES: Record<string, string> = {
  'System.LinkTypes.Hierarchy-Forward': 'parent of',
  'System.LinkTypes.Hierarchy-Reverse': 'child of',
  // Successor: the target waits for this item. Predecessor: this item waits for the target.
  'System.LinkTypes.Dependency-Forward': 'blocks',
  'System.LinkTypes.Dependency-Reverse': 'is blocked by',
  'System.LinkTypes.Related': 'relates to',
  'System.LinkTypes.Duplicate-Forward': 'duplicates',
  'System.LinkTypes.Duplicate-Reverse': 'is duplicated by',
  'Microsoft.VSTS.Common.Affects-Forward': 'affects',
  'Microsoft.VSTS.Common.Affects-Reverse': 'is affected by',
  'Microsoft.VSTS.TestCase.SharedStepReferencedBy-Forward': 'references',
  'Microsoft.VSTS.Common.TestedBy-Forward': 'is tested by',
  'Microsoft.VSTS.Common.TestedBy-Reverse': 'tests',
};

export interface MapContext {
  source: string;
  orgUrl: string;
  project: string;
  process: ProcessModel;
  sprintOf(iterationPath: string): SprintRef | null;
  teamOf(areaPath: string): string | null;
  blockedTag: string;
}

export type MapResult = { ok: true; item: WorkItemInput } | { ok: false; error: string };

export function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** An instant as `toISOString()`; unparseable input is passed through for the schema to reject. */
const CANONICAL_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function instant(v: unknown): string | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (typeof v !== 'string' || v === '') return null;
  if (CANONICAL_INSTANT.test(v)) return v;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
}

/**
 * Date-only fields (Due Date, Target Date) are stored as the instant of local midnight of whoever
 * set them, e.g. 2026-11-30T23:00:00Z for 1 December in Berlin: round to the nearest day.
 */
export function calendarDate(v: unknown): string | null {
  const at = instant(v);
  if (at === null) return null;
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return null;
  return new Date(d.getTime() + 12 * 3_600_000).toISOString().slice(0, 10);
}

const NAME_EMAIL = /^(.*?)\s*<([^<>]+)>$/;

/** IdentityRef or `"Name <email>"` → Person; identities without an email (Server `DOMAIN\user`) keep email null. */
export function person(v: AdoIdentity | unknown): Person | null {
  if (typeof v === 'string') {
    if (v.trim() === '') return null;
    const m = NAME_EMAIL.exec(v.trim());
    const name = m ? m[1]! || m[2]! : v.trim();
    const unique = m ? m[2]! : v.trim();
    return { id: unique, name, email: unique.includes('@') ? unique : null };
  }
  if (!v || typeof v !== 'object') return null;
  const o = v as { id?: unknown; displayName?: unknown; uniqueName?: unknown; descriptor?: unknown };
  const unique = str(o.uniqueName);
  const id = str(o.id) ?? str(o.descriptor) ?? unique;
  const name = str(o.displayName) ?? unique;
  if (!id || name === null) return null;
  return { id, name, email: unique && /^[^\s@\\]+@[^\s@]+$/.test(unique) ? unique : null };
}

export function tagsOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((t) => (typeof t === 'string' ? t : str((t as { name?: unknown }).name) ?? '')).filter((t) => t !== '');
  if (typeof v !== 'string') return [];
  return v
    .split(';')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

/** The work item id a relation URL points at, or null for hyperlinks, attachments and artifacts. */
export function relationTargetId(rel: AdoRelation): number | null {
  const m = /\/_apis\/wit\/workItems\/(\d+)(?:[/?#]|$)/i.exec(rel.url);
  return m ? Number(m[1]) : null;
}

/** Sprint changes keep ids, as sprint records are keyed by them; the project root is "no sprint". */
function sprintKeyOf(path: string | null, ctx: MapContext): string | null {
  if (!path || path.toLowerCase() === ctx.project.toLowerCase()) return null;
  return ctx.sprintOf(path)?.id ?? path;
}

/** For history only: a state no longer in the process gets a category from its name. */
function guessCategory(state: string): StatusCategory {
  if (/^(new|proposed|to do|todo|open|approved|design)$/i.test(state)) return 'todo';
  if (/^(done|closed|removed|completed|cut|inactive)$/i.test(state)) return 'done';
  return 'in_progress';
}

function stateCategory(type: TypeInfo | undefined, state: string): StatusCategory {
  const c = type?.states.get(state);
  return c ? statusCategoryOf(c) : guessCategory(state);
}

interface Tracked {
  state: string | null;
  type: string | null;
  /** The sprint (iteration) id when a team subscribes to the iteration, else the iteration path. */
  sprint: string | null;
  labels: string | null;
  assignee: string | null;
  estimate: string | null;
  dueDate: string | null;
  priority: string | null;
  blocked: string | null;
  area: string | null;
}

function estimateOf(fields: Record<string, unknown>, type: TypeInfo | undefined): { field: string | null; value: number | null } {
  if (type?.estimateField) return { field: type.estimateField, value: num(fields[type.estimateField]) };
  for (const f of ESTIMATE_FIELDS) if (fields[f] !== undefined && fields[f] !== null) return { field: f, value: num(fields[f]) };
  return { field: null, value: null };
}

function isBlocked(fields: Record<string, unknown>, blockedTag: string): boolean {
  if (str(fields[F.blocked])?.toLowerCase() === 'yes') return true;
  const tag = blockedTag.toLowerCase();
  return tagsOf(fields[F.tags]).some((t) => t.toLowerCase() === tag);
}

function trackedOf(fields: Record<string, unknown>, ctx: MapContext): Tracked {
  const typeName = str(fields[F.type]);
  const type = typeName ? ctx.process.types.get(typeName) : undefined;
  const estimate = estimateOf(fields, type).value;
  return {
    state: str(fields[F.state]),
    type: typeName,
    sprint: sprintKeyOf(str(fields[F.iteration]), ctx),
    labels: tagsOf(fields[F.tags]).join('; ') || null,
    assignee: person(fields[F.assignedTo])?.name ?? null,
    estimate: estimate === null ? null : String(estimate),
    dueDate: calendarDate(fields[F.dueDate] ?? fields[F.targetDate]),
    priority: str(fields[F.priority]),
    blocked: isBlocked(fields, ctx.blockedTag) ? 'yes' : null,
    area: str(fields[F.area]),
  };
}

/**
 * `history` field names for the tracked fields, the same vocabulary as the Jira connector's
 * (`sprint` with sprint ids, `estimate`, `assignee`, `labels`, `flagged` …).
 */
const HISTORY_FIELDS: ReadonlyArray<[keyof Tracked, string]> = [
  ['sprint', 'sprint'],
  ['assignee', 'assignee'],
  ['estimate', 'estimate'],
  ['dueDate', 'dueDate'],
  ['priority', 'priority'],
  ['labels', 'labels'],
  ['blocked', 'flagged'],
  ['type', 'type'],
  ['area', 'areaPath'],
];

/**
 * The tracked values at the last revision merged into a stored item's history (kept in
 * `fields.historyTail`); older copies fall back to the stored current values.
 */
function trackedOfPrevious(previous: WorkItem, ctx: MapContext): Tracked {
  const tail = previous.fields['historyTail'];
  if (tail && typeof tail === 'object' && 'state' in tail) return tail as Tracked;
  const t = trackedOf(previous.fields, ctx);
  return { ...t, state: previous.status, type: previous.type, assignee: previous.assignee?.name ?? null, estimate: previous.estimate === null ? null : String(previous.estimate) };
}

/** New transitions and field changes from revisions newer than the stored copy. */
export function historyFrom(
  revisions: readonly AdoWorkItem[],
  previous: WorkItem | undefined,
  ctx: MapContext,
): { transitions: StatusTransition[]; history: FieldChange[]; lastRev: number; tail: Tracked | null } {
  // The last revision merged into the history (the current `rev` may be ahead of it).
  const prevRev = num(previous?.fields['historyRev']) ?? 0;
  let last: Tracked | null = previous ? trackedOfPrevious(previous, ctx) : null;
  const transitions: StatusTransition[] = previous ? [...previous.transitions] : [];
  const history: FieldChange[] = previous ? [...(previous.history ?? [])] : [];
  let lastRev = prevRev;
  const sorted = [...revisions].sort((a, b) => (a.rev ?? 0) - (b.rev ?? 0));
  for (const r of sorted) {
    const rev = r.rev ?? num(r.fields[F.rev]) ?? 0;
    if (rev <= prevRev) continue;
    lastRev = Math.max(lastRev, rev);
    const at = instant(r.fields[F.changed]);
    if (at === null || Number.isNaN(Date.parse(at))) continue;
    const by = person(r.fields[F.changedBy])?.name ?? null;
    const now = trackedOf(r.fields, ctx);
    const type = now.type ? ctx.process.types.get(now.type) : undefined;
    if (now.state !== null && now.state !== last?.state) {
      const fromType = last?.type ? ctx.process.types.get(last.type) : type;
      transitions.push({
        at,
        from: last?.state ?? null,
        to: now.state,
        fromCategory: last?.state ? stateCategory(fromType, last.state) : null,
        toCategory: stateCategory(type, now.state),
        by,
      });
    }
    if (last) {
      for (const [key, field] of HISTORY_FIELDS) {
        if (now[key] !== last[key]) history.push({ at, field, from: last[key], to: now[key], by });
      }
    }
    last = now;
  }
  return { transitions, history, lastRev, tail: last };
}

/** First entry into work, and the last entry into done while done; from the transitions. */
function flowDates(transitions: readonly StatusTransition[], current: StatusCategory): { startedAt: string | null; resolvedAt: string | null } {
  let startedAt: string | null = null;
  let resolvedAt: string | null = null;
  for (const t of transitions) {
    if (startedAt === null && t.toCategory !== 'todo' && t.fromCategory !== null) startedAt = t.at;
    if (t.toCategory === 'done' && t.fromCategory !== 'done') resolvedAt = t.at;
  }
  return { startedAt, resolvedAt: current === 'done' ? resolvedAt : null };
}

function linksOf(relations: readonly AdoRelation[] | null | undefined, source: string): { links: ItemLink[]; parentKey: string | null } {
  const links: ItemLink[] = [];
  let parentKey: string | null = null;
  for (const rel of relations ?? []) {
    const target = relationTargetId(rel);
    if (target === null) continue;
    const targetKey = itemKey(source, String(target));
    if (rel.rel === 'System.LinkTypes.Hierarchy-Reverse') parentKey = targetKey;
    const name = str(rel.attributes?.['name']);
    const type = LINK_TYPES[rel.rel] ?? (name ? name.toLowerCase() : rel.rel);
    links.push({ type, targetKey });
  }
  return { links, parentKey };
}

/** Bookkeeping fields no rule reads (ids, levels, watermarks, board internals) or that WorkItem already carries. */
const DROPPED = /^(System\.(Id|Rev|Title|Description|History|TeamProject|Watermark|AuthorizedDate|AuthorizedAs|RevisedDate|PersonId|AreaId|IterationId|NodeName|AreaLevel\d+|IterationLevel\d+)|WEF_)/;

/** Raw fields kept for rules: rich text as plain text, identities as names, bookkeeping dropped. */
function keptFields(fields: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in fields) {
    if (DROPPED.test(k)) continue;
    const v = fields[k];
    if (HTML_FIELDS.has(k)) out[k] = htmlToText(v);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) out[k] = person(v)?.name ?? null;
    else out[k] = v;
  }
  return { ...out, ...extra };
}

/**
 * One work item. Unknown types or states (not in the project's process metadata) are errors: the
 * caller quarantines the payload with the message.
 */
export function mapWorkItem(current: AdoWorkItem, revisions: readonly AdoWorkItem[], previous: WorkItem | undefined, ctx: MapContext): MapResult {
  const f = current.fields;
  const typeName = str(f[F.type]);
  if (!typeName) return { ok: false, error: `work item ${current.id}: no ${F.type}` };
  const type = ctx.process.types.get(typeName);
  if (!type) return { ok: false, error: `work item ${current.id}: type "${typeName}" is not in the process of project ${ctx.project}` };
  const state = str(f[F.state]);
  if (!state) return { ok: false, error: `work item ${current.id}: no ${F.state}` };
  const adoCategory: AdoStateCategory | undefined = type.states.get(state);
  if (!adoCategory) return { ok: false, error: `work item ${current.id}: state "${state}" is not a state of type "${typeName}" in project ${ctx.project}` };
  const statusCategory = statusCategoryOf(adoCategory);

  const { transitions, history, lastRev, tail } = historyFrom(revisions, previous, ctx);
  const flow = flowDates(transitions, statusCategory);
  const startedAt = flow.startedAt ?? (statusCategory === 'todo' ? null : instant(f[F.activated]));
  const resolvedAt = statusCategory !== 'done' ? null : (flow.resolvedAt ?? instant(f[F.closed]) ?? instant(f[F.resolved]) ?? instant(f['Microsoft.VSTS.Common.StateChangeDate']));
  const area = str(f[F.area]) ?? ctx.project;
  const iteration = str(f[F.iteration]);
  const estimate = estimateOf(f, type);
  const { links, parentKey } = linksOf(current.relations, ctx.source);
  const parentId = num(f[F.parent]);
  const rev = current.rev ?? num(f[F.rev]) ?? lastRev;
  const description = htmlToText(f[F.description]) ?? (type.category === 'bug' ? htmlToText(f[F.reproSteps]) : null);

  const item: WorkItemInput = {
    key: itemKey(ctx.source, String(current.id)),
    source: ctx.source,
    sourceKind: 'azure-devops',
    nativeKey: String(current.id),
    url: `${ctx.orgUrl}/${encodeURIComponent(ctx.project)}/_workitems/edit/${current.id}`,
    project: ctx.project,
    team: ctx.teamOf(area),
    type: typeName,
    typeCategory: type.category,
    title: str(f[F.title]) ?? '',
    description,
    status: state,
    statusCategory,
    assignee: person(f[F.assignedTo]),
    priority: str(f[F.priority]),
    labels: tagsOf(f[F.tags]),
    components: [],
    estimate: estimate.value,
    createdAt: instant(f[F.created]) as string,
    updatedAt: instant(f[F.changed]) as string,
    startedAt,
    resolvedAt,
    dueDate: calendarDate(f[F.dueDate] ?? f[F.targetDate]),
    sprint: iteration ? ctx.sprintOf(iteration) : null,
    parentKey: parentKey ?? (parentId !== null ? itemKey(ctx.source, String(parentId)) : null),
    epicKey: null,
    links,
    blocked: isBlocked(f, ctx.blockedTag),
    fields: keptFields(f, { areaPath: area, adoStateCategory: adoCategory, rev, historyRev: lastRev, historyTail: tail, estimateField: estimate.field }),
    transitions,
    history,
  };
  return { ok: true, item };
}
