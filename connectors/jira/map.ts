import { z } from 'zod';
import { itemKey, type ItemLink, type Person, type StatusCategory, type TypeCategory, type WorkItemInput } from '../../src/model/work-item.ts';
import { adfToText } from './adf.ts';
import { readChangelog, type historyFieldResolver, type StatusCategoryOf } from './changelog.ts';
import type { FieldMap } from './fields.ts';
import type { JiraHistory, JiraIssue } from './schema.ts';
import { currentSprint, parseSprintValue, sprintRef, type ParsedSprint } from './sprints.ts';
import { toIsoDate, toIsoInstant } from './time.ts';

/**
 * Pure mapping of one Jira issue (Cloud v3 or Data Center v2 shape) to a WorkItem. Every problem
 * names the field it came from; the caller quarantines the issue with that message.
 */

export class MappingError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'MappingError';
    this.field = field;
  }
}

export interface MapContext {
  source: string;
  baseUrl: string;
  fields: FieldMap;
  /** The estimate field a project's boards use, when boards disagree across projects. */
  estimateFieldFor: (project: string) => string | null;
  typeCategories: Readonly<Record<string, TypeCategory>>;
  categoryOf: StatusCategoryOf;
  fieldOf: ReturnType<typeof historyFieldResolver>;
  /** Called once per issue type name the default guess does not know. */
  onUnknownType?: (name: string, project: string) => void;
}

export interface Mapped {
  item: WorkItemInput;
  sprints: ParsedSprint[];
}

/**
 * A payload slice: a zod schema (the source of truth, and the error message) with a structural guard
 * that accepts exactly what the schema accepts, so the common, well-formed case is read in place
 * without zod copying it (the search hot path reads about 20 fields of 100 issues per page).
 */
interface Slice<T> {
  schema: z.ZodType<T>;
  guard: (v: unknown) => boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const optStr = (v: unknown): boolean => v === undefined || typeof v === 'string';
const optNum = (v: unknown): boolean => v === undefined || typeof v === 'number';
const optBool = (v: unknown): boolean => v === undefined || typeof v === 'boolean';
const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
const every = (v: unknown, guard: (x: unknown) => boolean): boolean => Array.isArray(v) && v.every(guard);

const Text: Slice<string> = { schema: z.string(), guard: (v) => typeof v === 'string' };
const Named: Slice<{ name: string }> = { schema: z.looseObject({ name: z.string() }), guard: (v) => isObj(v) && typeof v['name'] === 'string' };
const NamedList: Slice<Array<{ name: string }>> = { schema: z.array(Named.schema), guard: (v) => every(v, Named.guard) };
const Labels: Slice<string[]> = { schema: z.array(z.string()), guard: (v) => every(v, (x) => typeof x === 'string') };
const Keyed: Slice<Array<{ key: string }>> = { schema: z.array(z.looseObject({ key: z.string() })), guard: (v) => every(v, (x) => isObj(x) && typeof x['key'] === 'string') };
const Status: Slice<{ id?: string | undefined; name: string; statusCategory: { key: string } }> = {
  schema: z.looseObject({ id: z.string().optional(), name: z.string().min(1), statusCategory: z.looseObject({ key: z.string() }) }),
  guard: (v) => isObj(v) && optStr(v['id']) && nonEmpty(v['name']) && isObj(v['statusCategory']) && typeof v['statusCategory']['key'] === 'string',
};
const IssueType: Slice<{ name: string; subtask?: boolean | undefined; hierarchyLevel?: number | undefined }> = {
  schema: z.looseObject({ name: z.string().min(1), subtask: z.boolean().optional(), hierarchyLevel: z.number().optional() }),
  guard: (v) => isObj(v) && nonEmpty(v['name']) && optBool(v['subtask']) && optNum(v['hierarchyLevel']),
};
const Project: Slice<{ key: string }> = { schema: z.looseObject({ key: z.string().min(1) }), guard: (v) => isObj(v) && nonEmpty(v['key']) };
type UserShape = { accountId?: string | undefined; key?: string | undefined; name?: string | undefined; displayName?: string | undefined; emailAddress?: string | undefined };
const User: Slice<UserShape> = {
  schema: z.looseObject({ accountId: z.string().optional(), key: z.string().optional(), name: z.string().optional(), displayName: z.string().optional(), emailAddress: z.string().optional() }),
  guard: (v) => isObj(v) && optStr(v['accountId']) && optStr(v['key']) && optStr(v['name']) && optStr(v['displayName']) && optStr(v['emailAddress']),
};
type LinkedShape = { key: string; fields?: { status?: { statusCategory?: { key: string } | undefined } | undefined } | undefined };
const linkedGuard = (v: unknown): boolean => {
  if (v === undefined) return true;
  if (!isObj(v) || !nonEmpty(v['key'])) return false;
  const f = v['fields'];
  if (f === undefined) return true;
  if (!isObj(f)) return false;
  const st = f['status'];
  if (st === undefined) return true;
  if (!isObj(st)) return false;
  const cat = st['statusCategory'];
  return cat === undefined || (isObj(cat) && typeof cat['key'] === 'string');
};
const LinkedIssue = z.looseObject({
  key: z.string().min(1),
  fields: z.looseObject({ status: z.looseObject({ statusCategory: z.looseObject({ key: z.string() }).optional() }).optional() }).optional(),
});
type LinkShape = { type: { name: string; inward?: string | undefined; outward?: string | undefined }; inwardIssue?: LinkedShape | undefined; outwardIssue?: LinkedShape | undefined };
const IssueLinks: Slice<LinkShape[]> = {
  schema: z.array(
    z.looseObject({
      type: z.looseObject({ name: z.string(), inward: z.string().optional(), outward: z.string().optional() }),
      inwardIssue: LinkedIssue.optional(),
      outwardIssue: LinkedIssue.optional(),
    }),
  ),
  guard: (v) =>
    every(v, (l) => isObj(l) && isObj(l['type']) && typeof l['type']['name'] === 'string' && optStr(l['type']['inward']) && optStr(l['type']['outward']) && linkedGuard(l['inwardIssue']) && linkedGuard(l['outwardIssue'])),
};
type ParentShape = { key: string; fields?: { issuetype?: { name?: string | undefined; hierarchyLevel?: number | undefined } | undefined } | undefined };
const Parent: Slice<ParentShape> = {
  schema: z.looseObject({
    key: z.string().min(1),
    fields: z.looseObject({ issuetype: z.looseObject({ name: z.string().optional(), hierarchyLevel: z.number().optional() }).optional() }).optional(),
  }),
  guard: (v) => {
    if (!isObj(v) || !nonEmpty(v['key'])) return false;
    const f = v['fields'];
    if (f === undefined) return true;
    if (!isObj(f)) return false;
    const t = f['issuetype'];
    return t === undefined || (isObj(t) && optStr(t['name']) && optNum(t['hierarchyLevel']));
  },
};

// Jira's status categories; "undefined" is Jira's own "No Category" (legacy statuses), counted as to do.
const CATEGORY: Record<string, StatusCategory> = { new: 'todo', indeterminate: 'in_progress', done: 'done', undefined: 'todo' };

export function statusCategory(key: string): StatusCategory | null {
  return CATEGORY[key] ?? null;
}

function read<T>(fields: Record<string, unknown>, id: string, slice: Slice<T>, required: boolean): T | null {
  const value = fields[id];
  if (value === null || value === undefined) {
    if (required) throw new MappingError(`fields.${id}`, 'missing');
    return null;
  }
  if (slice.guard(value)) return value as T;
  const parsed = slice.schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `.${issue.path.join('.')}` : '';
    throw new MappingError(`fields.${id}${where}`, `${issue?.message ?? 'invalid'} (got ${preview(value)})`);
  }
  return parsed.data;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function instant(fields: Record<string, unknown>, id: string, required: boolean): string | null {
  const raw = fields[id];
  if (raw === null || raw === undefined) {
    if (required) throw new MappingError(`fields.${id}`, 'missing');
    return null;
  }
  const iso = toIsoInstant(raw);
  if (iso === null) throw new MappingError(`fields.${id}`, `not a date-time (got ${preview(raw)})`);
  return iso;
}

function person(u: UserShape | null): Person | null {
  if (!u) return null;
  const id = u.accountId ?? u.key ?? u.name;
  if (!id) return null;
  // Privacy settings hide the email (absent or empty); the person stays, without it.
  return { id, name: u.displayName ?? u.name ?? id, email: u.emailAddress ? u.emailAddress : null };
}

function estimate(fields: Record<string, unknown>, ids: readonly string[]): number | null {
  for (const id of ids) {
    const raw = fields[id];
    if (raw === null || raw === undefined) continue;
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new MappingError(`fields.${id}`, `estimate is not a number (got ${preview(raw)})`);
    if (n < 0) throw new MappingError(`fields.${id}`, `estimate is negative (${n})`);
    return n;
  }
  return null;
}

const GUESS: Array<[RegExp, TypeCategory]> = [
  [/^(bug|defect|incident|problem)$/i, 'bug'],
  [/^(story|user story)$/i, 'story'],
  [/^(task|spike|chore|improvement|technical task)$/i, 'task'],
  [/^(epic)$/i, 'epic'],
  [/^(feature|new feature|capability|initiative|theme)$/i, 'feature'],
  [/^(risk|impediment)$/i, 'risk'],
  [/^(sub-?task|sub-?tarea)$/i, 'subtask'],
];

export function typeCategory(type: { name: string; subtask?: boolean | undefined; hierarchyLevel?: number | undefined }, overrides: Readonly<Record<string, TypeCategory>>): TypeCategory | null {
  const pinned = overrides[type.name];
  if (pinned) return pinned;
  if (type.subtask === true || type.hierarchyLevel === -1) return 'subtask';
  for (const [re, cat] of GUESS) if (re.test(type.name)) return cat;
  // Levels above epic (Initiative, custom levels) are features; level 1 is the epic level.
  if (type.hierarchyLevel !== undefined && type.hierarchyLevel >= 2) return 'feature';
  if (type.hierarchyLevel === 1) return 'epic';
  return null;
}

function links(fields: Record<string, unknown>): { links: ItemLink[]; blockedByOpen: boolean } {
  const list = read(fields, 'issuelinks', IssueLinks, false) ?? [];
  const out: ItemLink[] = [];
  let blockedByOpen = false;
  for (const l of list) {
    if (l.outwardIssue) out.push({ type: (l.type.outward ?? l.type.name).toLowerCase(), targetKey: l.outwardIssue.key });
    if (l.inwardIssue) {
      const type = (l.type.inward ?? l.type.name).toLowerCase();
      out.push({ type, targetKey: l.inwardIssue.key });
      const done = l.inwardIssue.fields?.status?.statusCategory?.key === 'done';
      if (type === 'is blocked by' && !done) blockedByOpen = true;
    }
  }
  return { links: out, blockedByOpen };
}

function teamValue(raw: unknown, id: string): string | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'object' && !Array.isArray(raw)) {
    const o = raw as Record<string, unknown>;
    for (const k of ['name', 'title', 'value']) if (typeof o[k] === 'string') return o[k];
  }
  throw new MappingError(`fields.${id}`, `team is neither text nor a named object (got ${preview(raw)})`);
}

/** Maps one issue; `histories` is its complete changelog (embedded plus fetched pages). */
export function mapIssue(issue: JiraIssue, histories: readonly JiraHistory[], ctx: MapContext): Mapped {
  const f = issue.fields;
  const map = ctx.fields;
  const summary = read(f, 'summary', Text, true) ?? '';
  const status = read(f, 'status', Status, true);
  const type = read(f, 'issuetype', IssueType, true);
  const project = read(f, 'project', Project, true);
  if (!status || !type || !project) throw new MappingError('fields', 'missing status, issuetype or project');
  const category = statusCategory(status.statusCategory.key);
  if (category === null) throw new MappingError('fields.status.statusCategory.key', `unknown status category "${status.statusCategory.key}"`);
  let typeCat = typeCategory(type, ctx.typeCategories);
  if (typeCat === null) {
    ctx.onUnknownType?.(type.name, project.key);
    typeCat = 'other';
  }

  const sprints = map.sprint === null ? [] : parseSprintsField(f, map.sprint);
  const { links: itemLinks, blockedByOpen } = links(f);
  const flaggedRaw = map.flagged === null ? null : f[map.flagged];
  const flagged = Array.isArray(flaggedRaw) ? flaggedRaw.length > 0 : typeof flaggedRaw === 'string' ? flaggedRaw !== '' : flaggedRaw === true;

  const parent = read(f, 'parent', Parent, false);
  const epicLink = map.epicLink === null ? null : linkKey(f[map.epicLink], map.epicLink);
  const parentLink = map.parentLink === null ? null : linkKey(f[map.parentLink], map.parentLink);
  const parentIsEpic = parent !== null && (parent.fields?.issuetype?.hierarchyLevel === 1 || /^epic$/i.test(parent.fields?.issuetype?.name ?? ''));
  const epicKey = epicLink ?? (parentIsEpic ? (parent?.key ?? null) : null);
  const parentKey = parent?.key ?? epicLink ?? parentLink;

  const estimateIds = [ctx.estimateFieldFor(project.key), ...map.storyPoints].filter((x): x is string => x !== null);
  const createdAt = instant(f, 'created', true) ?? '';
  const updatedAt = instant(f, 'updated', true) ?? '';
  const { transitions, history } = readChangelog(histories, ctx.fieldOf, ctx.categoryOf);
  const startedAt = transitions.find((t) => t.toCategory === 'in_progress')?.at ?? null;
  const lastDone = [...transitions].reverse().find((t) => t.toCategory === 'done')?.at ?? null;
  const resolution = instant(f, 'resolutiondate', false);
  const resolvedAt = category === 'done' ? (resolution ?? lastDone ?? updatedAt) : null;

  const fields: Record<string, unknown> = {
    issueId: issue.id,
    statusId: status.id ?? null,
    fixVersions: (read(f, 'fixVersions', NamedList, false) ?? []).map((v) => v.name),
    subtasks: (read(f, 'subtasks', Keyed, false) ?? []).map((s) => s.key),
    flagged,
  };
  if (type.hierarchyLevel !== undefined) fields['hierarchyLevel'] = type.hierarchyLevel;
  if (map.startDate !== null) fields['startDate'] = toIsoDate(f[map.startDate]);
  if (map.acceptanceCriteria !== null) fields['acceptanceCriteria'] = adfToText(f[map.acceptanceCriteria]);
  if (sprints.length > 1) fields['sprintIds'] = sprints.map((s) => s.id);
  for (const [id, name] of map.extra) if (f[id] !== undefined) fields[name] = f[id];

  const current = currentSprint(sprints);
  const item: WorkItemInput = {
    key: itemKey(ctx.source, issue.key),
    source: ctx.source,
    sourceKind: 'jira',
    nativeKey: issue.key,
    url: `${ctx.baseUrl.replace(/\/+$/, '')}/browse/${encodeURIComponent(issue.key)}`,
    project: project.key,
    team: map.team === null ? null : teamValue(f[map.team], map.team),
    type: type.name,
    typeCategory: typeCat,
    title: summary,
    description: descriptionText(f['description']),
    status: status.name,
    statusCategory: category,
    assignee: person(read(f, 'assignee', User, false)),
    priority: read(f, 'priority', Named, false)?.name ?? null,
    labels: read(f, 'labels', Labels, false) ?? [],
    components: (read(f, 'components', NamedList, false) ?? []).map((c) => c.name),
    estimate: estimate(f, estimateIds),
    createdAt,
    updatedAt,
    startedAt,
    resolvedAt,
    dueDate: dueDate(f['duedate']),
    sprint: current ? sprintRef(current) : null,
    parentKey,
    epicKey,
    links: itemLinks,
    blocked: flagged || blockedByOpen,
    fields,
    transitions,
    history,
  };
  return { item, sprints };
}

function parseSprintsField(f: Record<string, unknown>, id: string): ParsedSprint[] {
  try {
    return parseSprintValue(f[id]);
  } catch (err) {
    throw new MappingError(`fields.${id}`, err instanceof Error ? err.message : String(err));
  }
}

/** Epic Link / Parent Link: a key string, or an object with `key` (or `data.key` on some versions). */
function linkKey(raw: unknown, id: string): string | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'object' && raw !== null && typeof (raw as { key?: unknown }).key === 'string') return (raw as { key: string }).key;
  const data = (raw as { data?: { key?: unknown } }).data;
  if (typeof data?.key === 'string') return data.key;
  throw new MappingError(`fields.${id}`, `unreadable epic or parent link (got ${preview(raw)})`);
}

function descriptionText(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string') return raw === '' ? null : raw;
  if (typeof raw === 'object' && !Array.isArray(raw)) return adfToText(raw);
  throw new MappingError('fields.description', `neither ADF nor text (got ${preview(raw)})`);
}

function dueDate(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  const d = toIsoDate(raw);
  if (d === null) throw new MappingError('fields.duedate', `not a date (got ${preview(raw)})`);
  return d;
}
