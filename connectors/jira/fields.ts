import type { JiraField, JiraFieldPins } from './schema.ts';

/**
 * Field discovery: which field id holds story points, sprint, epic link … on this site. Fields are
 * recognised by their schema type (`schema.custom`), never by a fixed id: story points live in
 * customfield_10016 on one site and customfield_10026 on the next.
 * Type keys: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-fields/
 */

const GH = 'com.pyxis.greenhopper.jira:';
const CF = 'com.atlassian.jira.plugin.system.customfieldtypes:';
export const FIELD_TYPES = {
  storyPoints: `${GH}jsw-story-points`,
  sprint: `${GH}gh-sprint`,
  epicLink: `${GH}gh-epic-link`,
  parentLink: 'com.atlassian.jpo:jpo-custom-field-parent',
  float: `${CF}float`,
  multiCheckboxes: `${CF}multicheckboxes`,
  datePicker: `${CF}datepicker`,
  textArea: `${CF}textarea`,
} as const;

/** Recognised fields of one site; ids are null when the site has no such field. */
export interface FieldMap {
  /** Estimate field candidates in preference order (boards may use different ones). */
  storyPoints: string[];
  sprint: string | null;
  epicLink: string | null;
  parentLink: string | null;
  flagged: string | null;
  startDate: string | null;
  acceptanceCriteria: string | null;
  team: string | null;
  /** Extra configured fields: id → the name they are kept under in `item.fields`. */
  extra: Map<string, string>;
  /** Field id → display name, for changelog items and messages. */
  names: Map<string, string>;
  /** Pins or extra fields that named no field of this site. */
  missing: string[];
}

/** Resolves a pinned field given by id or (case-insensitive) name. */
function resolve(fields: readonly JiraField[], ref: string): JiraField | undefined {
  const lower = ref.toLowerCase();
  return fields.find((f) => f.id === ref) ?? fields.find((f) => f.name.toLowerCase() === lower) ?? fields.find((f) => f.clauseNames?.includes(ref));
}

function byType(fields: readonly JiraField[], type: string): JiraField[] {
  return fields.filter((f) => f.schema?.custom === type);
}

function byName(fields: readonly JiraField[], names: string[], predicate: (f: JiraField) => boolean = () => true): JiraField | undefined {
  const wanted = names.map((n) => n.toLowerCase());
  return fields.find((f) => wanted.includes(f.name.toLowerCase()) && predicate(f));
}

export function discoverFields(fields: readonly JiraField[], pins: JiraFieldPins, extraRefs: readonly string[]): FieldMap {
  const missing: string[] = [];
  const pinned = (key: keyof JiraFieldPins): JiraField | null | undefined => {
    const ref = pins[key];
    if (ref === undefined) return undefined;
    const found = resolve(fields, ref);
    if (!found) missing.push(`fields.${key}: ${ref}`);
    return found ?? null;
  };
  const id = (f: JiraField | null | undefined): string | null => f?.id ?? null;

  const pinnedPoints = pinned('storyPoints');
  const storyPoints =
    pinnedPoints !== undefined
      ? pinnedPoints
        ? [pinnedPoints.id]
        : []
      : unique([
          ...byType(fields, FIELD_TYPES.storyPoints).map((f) => f.id),
          ...fields.filter((f) => f.schema?.custom === FIELD_TYPES.float && /^story points?( estimate)?$/i.test(f.name)).map((f) => f.id),
        ]);

  const pick = (key: keyof JiraFieldPins, discover: () => JiraField | undefined): string | null => {
    const p = pinned(key);
    return p !== undefined ? id(p) : id(discover());
  };

  const extra = new Map<string, string>();
  for (const ref of extraRefs) {
    const f = resolve(fields, ref);
    if (f) extra.set(f.id, f.name);
    else missing.push(`extraFields: ${ref}`);
  }

  return {
    storyPoints,
    sprint: pick('sprint', () => byType(fields, FIELD_TYPES.sprint)[0]),
    epicLink: pick('epicLink', () => byType(fields, FIELD_TYPES.epicLink)[0]),
    parentLink: pick('parentLink', () => byType(fields, FIELD_TYPES.parentLink)[0]),
    flagged: pick('flagged', () => byName(fields, ['Flagged'], (f) => f.schema?.custom === FIELD_TYPES.multiCheckboxes) ?? byName(fields, ['Flagged'])),
    startDate: pick('startDate', () => byName(fields, ['Start date', 'Start Date'], (f) => f.schema?.type === 'date')),
    acceptanceCriteria: pick('acceptanceCriteria', () => byName(fields, ['Acceptance Criteria', 'Acceptance criteria'])),
    team: pick('team', () => undefined),
    extra,
    names: new Map(fields.map((f) => [f.id, f.name])),
    missing,
  };
}

/** Field ids a search asks for: what mapping reads, nothing more (the default would be `id` only on Cloud). */
export function searchFields(map: FieldMap): string[] {
  const base = [
    'summary',
    'status',
    'issuetype',
    'project',
    'assignee',
    'priority',
    'labels',
    'components',
    'fixVersions',
    'created',
    'updated',
    'resolutiondate',
    'duedate',
    'description',
    'parent',
    'subtasks',
    'issuelinks',
  ];
  const custom = [map.sprint, map.epicLink, map.parentLink, map.flagged, map.startDate, map.acceptanceCriteria, map.team, ...map.storyPoints, ...map.extra.keys()];
  return unique([...base, ...custom.filter((f): f is string => f !== null)]);
}

/** The changelog fields history keeps, as ids the bulk changelog endpoint filters by (at most 10 per call). */
export function historyFieldIds(map: FieldMap): string[] {
  const ids = ['status', 'assignee', 'duedate', 'priority', 'labels', 'resolution', map.sprint, map.storyPoints[0] ?? null, map.flagged, map.epicLink ?? 'parent'];
  return unique(ids.filter((f): f is string => f !== null)).slice(0, 10);
}

/** A human summary for `doctor` and logs. */
export function describeFieldMap(map: FieldMap): string {
  const name = (id: string | null): string => (id === null ? 'none' : `${map.names.get(id) ?? id} (${id})`);
  const points = map.storyPoints.length === 0 ? 'none' : map.storyPoints.map((id) => name(id)).join(', ');
  return `story points: ${points}; sprint: ${name(map.sprint)}; epic link: ${name(map.epicLink)}; flagged: ${name(map.flagged)}; start date: ${name(map.startDate)}; acceptance criteria: ${name(map.acceptanceCriteria)}`;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
