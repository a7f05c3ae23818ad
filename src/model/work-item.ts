import { z } from 'zod';

/**
 * The normalised, tool-agnostic work item every connector produces and every rule reads.
 * Dates are ISO-8601 strings (instants in UTC, `dueDate` as a calendar date `YYYY-MM-DD`) so an
 * item round-trips through SQLite and `--json` output unchanged.
 */

export const TYPE_CATEGORIES = ['epic', 'feature', 'story', 'task', 'bug', 'subtask', 'risk', 'other'] as const;
export type TypeCategory = (typeof TYPE_CATEGORIES)[number];

export const STATUS_CATEGORIES = ['todo', 'in_progress', 'done'] as const;
export type StatusCategory = (typeof STATUS_CATEGORIES)[number];

export const SPRINT_STATES = ['future', 'active', 'closed'] as const;
export type SprintState = (typeof SPRINT_STATES)[number];

const isoInstant = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();

export const Person = z.object({
  id: z.string().min(1),
  name: z.string(),
  email: z.string().nullable(),
});
export type Person = z.infer<typeof Person>;

export const SprintRef = z.object({
  id: z.string().min(1),
  name: z.string(),
  state: z.enum(SPRINT_STATES),
  startDate: isoInstant.nullable(),
  endDate: isoInstant.nullable(),
});
export type SprintRef = z.infer<typeof SprintRef>;

export const ItemLink = z.object({
  /** Normalised link type, e.g. `blocks`, `is blocked by`, `relates to`, `depends on`. */
  type: z.string().min(1),
  targetKey: z.string().min(1),
});
export type ItemLink = z.infer<typeof ItemLink>;

export const StatusTransition = z.object({
  at: isoInstant,
  from: z.string().nullable(),
  to: z.string(),
  fromCategory: z.enum(STATUS_CATEGORIES).nullable(),
  toCategory: z.enum(STATUS_CATEGORIES),
  by: z.string().nullable().optional(),
});
export type StatusTransition = z.infer<typeof StatusTransition>;

/** A change of a field other than status (sprint membership, estimate, assignee …), from changelogs. */
export const FieldChange = z.object({
  at: isoInstant,
  field: z.string().min(1),
  from: z.string().nullable(),
  to: z.string().nullable(),
  by: z.string().nullable().optional(),
});
export type FieldChange = z.infer<typeof FieldChange>;

/**
 * A plain object of raw field values. Checked as a whole rather than with `z.record`, which copies
 * every key of every item synced (0.2 to 0.4 s of CPU per 100,000 items) to check that keys are strings,
 * which own keys of a plain object always are.
 */
const FieldValues = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null),
  { message: 'Invalid input: expected an object of field values' },
);

export const WorkItem = z.object({
  key: z.string().min(3),
  source: z.string().min(1),
  sourceKind: z.string().min(1),
  nativeKey: z.string().min(1),
  url: z.url(),
  project: z.string().min(1),
  team: z.string().nullable(),
  type: z.string().min(1),
  typeCategory: z.enum(TYPE_CATEGORIES),
  title: z.string(),
  description: z.string().nullable(),
  status: z.string().min(1),
  statusCategory: z.enum(STATUS_CATEGORIES),
  assignee: Person.nullable(),
  priority: z.string().nullable(),
  labels: z.array(z.string()),
  components: z.array(z.string()),
  estimate: z.number().finite().nonnegative().nullable(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
  startedAt: isoInstant.nullable(),
  resolvedAt: isoInstant.nullable(),
  dueDate: isoDate.nullable(),
  sprint: SprintRef.nullable(),
  parentKey: z.string().nullable(),
  epicKey: z.string().nullable(),
  links: z.array(ItemLink),
  blocked: z.boolean(),
  fields: FieldValues,
  transitions: z.array(StatusTransition),
  history: z.array(FieldChange).default([]),
});
export type WorkItem = z.infer<typeof WorkItem>;
/** What a connector hands over before validation: `history` may be left out. */
export type WorkItemInput = z.input<typeof WorkItem>;

export const Sprint = z.object({
  key: z.string().min(3),
  source: z.string().min(1),
  id: z.string().min(1),
  name: z.string(),
  state: z.enum(SPRINT_STATES),
  startDate: isoInstant.nullable(),
  endDate: isoInstant.nullable(),
  completeDate: isoInstant.nullable(),
  goal: z.string().nullable(),
  project: z.string().nullable(),
  team: z.string().nullable(),
});
export type Sprint = z.infer<typeof Sprint>;

export function itemKey(source: string, nativeKey: string): string {
  return `${source}:${nativeKey}`;
}
