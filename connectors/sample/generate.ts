import type { QuarantinedPayload } from '../../src/model/connector.ts';
import {
  itemKey,
  type FieldChange,
  type ItemLink,
  type Person,
  type Sprint,
  type SprintRef,
  type SprintState,
  type StatusCategory,
  type StatusTransition,
  type WorkItemInput,
} from '../../src/model/work-item.ts';
import {
  ADO_FIRST_ID,
  ADO_ID_BLOCK,
  ADO_ORG_URL,
  DEFAULT_SIZE,
  FIRST_NAMES,
  JIRA_BASE_URL,
  LAST_NAMES,
  PEOPLE,
  TEAMS,
  adoProjectOrdinal,
  nativeKeyOf,
  type ContainerState,
  type EpicSeed,
  type PersonHandle,
  type TeamSeed,
} from './portfolio.ts';

/**
 * The pure, seeded generator behind the sample connector. The portfolio is a sequence of teams
 * (the seven seed teams, repeated as numbered business units when `size` exceeds the default);
 * each team's items depend only on (seed, team index, now), so any item index can be resumed by
 * regenerating its team from the start, and memory stays bounded by one team and one page.
 */

export interface GenerateOptions {
  source: string;
  size: number;
  seed: number;
  now: Date;
}

export interface GeneratedPage {
  /** Index of the page's first item; `end` is one past its last. */
  start: number;
  end: number;
  items: WorkItemInput[];
  sprints: Sprint[];
  quarantined: QuarantinedPayload[];
}

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const SPRINT_DAYS = 14;
const CLOSED_SPRINTS = 5;
const ACTIVE = CLOSED_SPRINTS;
const FUTURE = CLOSED_SPRINTS + 1;

// ---------------------------------------------------------------------------------------------
// Seeded randomness

export interface Rng {
  next(): number;
  /** Integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
  weighted<T>(options: readonly (readonly [T, number])[]): T;
  shuffle<T>(xs: T[]): T[];
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Murmur3-style mixing of several numbers (each taken modulo 2^32 plus its high bits) into a seed. */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    for (const word of [part >>> 0, Math.floor(part / 4_294_967_296) | 0]) {
      h = Math.imul(h ^ word, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
    }
  }
  return h >>> 0;
}

function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function at<T>(xs: readonly T[], i: number): T {
  const x = xs[i];
  if (x === undefined) throw new RangeError(`index ${i} out of range 0..${xs.length - 1}`);
  return x;
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (xs) => at(xs, Math.floor(next() * xs.length)),
    weighted(options) {
      let total = 0;
      for (const [, w] of options) total += w;
      let r = next() * total;
      for (const [value, w] of options) {
        r -= w;
        if (r < 0) return value;
      }
      return at(options, options.length - 1)[0];
    },
    shuffle(xs) {
      for (let i = xs.length - 1; i > 0; i--) {
        const j = int(0, i);
        const tmp = at(xs, i);
        xs[i] = at(xs, j);
        xs[j] = tmp;
      }
      return xs;
    },
  };
}

function pickN<T>(rng: Rng, xs: readonly T[], n: number): T[] {
  return rng.shuffle([...xs]).slice(0, Math.max(0, n));
}

function uuidFrom(text: string): string {
  const next = mulberry32(hashString(text));
  let hex = '';
  while (hex.length < 32) hex += Math.floor(next() * 0x10000).toString(16).padStart(4, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// ---------------------------------------------------------------------------------------------
// Time

const iso = (ms: number): string => new Date(ms).toISOString();
const isoDate = (ms: number): string => iso(ms).slice(0, 10);
const startOfDay = (ms: number): number => Math.floor(ms / DAY) * DAY;

/** Shifts an instant into 08:00–18:00 UTC on a weekday, the hours when people touch tickets. */
function workingHours(t: number): number {
  const day = startOfDay(t);
  const hour = (t - day) / HOUR;
  let out = hour >= 8 && hour < 18 ? t : day + 8 * HOUR + ((t - day) / DAY) * 10 * HOUR;
  const weekday = (Math.floor(out / DAY) + 4) % 7; // 1970-01-01 was a Thursday
  if (weekday === 6) out -= DAY;
  if (weekday === 0) out -= 2 * DAY;
  return out;
}

/** A minute-precise instant strictly inside (lo, hi), in working hours when the window allows. */
function between(rng: Rng, lo: number, hi: number): number {
  if (hi - lo <= 2 * MIN) return Math.floor((lo + hi) / 2);
  const t = lo + MIN + rng.next() * (hi - lo - 2 * MIN);
  const snapped = Math.floor(workingHours(t) / MIN) * MIN;
  if (snapped > lo && snapped < hi) return snapped;
  return Math.floor(t / MIN) * MIN;
}

// ---------------------------------------------------------------------------------------------
// Layout: how `size` items spread over teams

const CUMULATIVE: readonly number[] = TEAMS.reduce<number[]>((acc, t) => [...acc, at(acc, acc.length - 1) + t.weight], [0]);

interface Layout {
  size: number;
  replicas: number;
  teams: number;
}

function layoutOf(size: number): Layout {
  const replicas = Math.max(1, Math.ceil(size / DEFAULT_SIZE));
  return { size, replicas, teams: replicas * TEAMS.length };
}

/** Index of the first item of global team `g`; `teamStart(l, l.teams)` is `size`. */
function teamStart(l: Layout, g: number): number {
  const r = Math.floor(g / TEAMS.length);
  const t = g % TEAMS.length;
  return Math.floor((l.size * (r * DEFAULT_SIZE + at(CUMULATIVE, t))) / (l.replicas * DEFAULT_SIZE));
}

function teamOf(l: Layout, index: number): number {
  let lo = 0;
  let hi = l.teams;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (teamStart(l, mid) <= index) lo = mid;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------
// Team context

interface SprintWindow {
  id: string;
  name: string;
  number: number;
  state: SprintState;
  start: number;
  end: number;
  complete: number | null;
  goal: string | null;
}

interface TeamContext {
  g: number;
  replica: number;
  seed: TeamSeed;
  source: string;
  project: string;
  team: string;
  areaPath: string | null;
  adoOrdinal: number;
  now: number;
  today: number;
  rng: Rng;
  members: Person[];
  lead: Person;
  sprints: SprintWindow[] | null;
  cursors: Map<string, number>;
}

function replicaName(base: string, replica: number, sep: string): string {
  return replica === 0 ? base : `${base}${sep}${replica + 1}`;
}

function personFor(handle: PersonHandle, replica: number, shape: TeamSeed['shape']): Person {
  const seed = PEOPLE[handle];
  let name: string = seed.name;
  let email: string | null = seed.email;
  if (replica > 0) {
    const i = Object.keys(PEOPLE).indexOf(handle);
    const first = at(FIRST_NAMES, (i + replica * 5) % FIRST_NAMES.length);
    const last = at(LAST_NAMES, (i * 3 + replica * 7) % LAST_NAMES.length);
    name = `${first} ${last}`;
    email = seed.email === null ? null : `${first}.${last}.${replica + 1}@${seed.email.split('@')[1]}`.toLowerCase();
  }
  // Jira and Azure DevOps know the same person under different ids; only the email is shared.
  const identity = `${email ?? name}|${replica}`;
  const id = shape === 'jira' ? `712020:${uuidFrom(`jira|${identity}`)}` : uuidFrom(`ado|${identity}`);
  return { id, name, email };
}

function teamSprints(seed: TeamSeed, g: number, project: string, team: string, today: number): SprintWindow[] | null {
  const plan = seed.sprints;
  if (!plan) return null;
  const activeStart = today - plan.startedDaysAgo * DAY + 8 * HOUR;
  const out: SprintWindow[] = [];
  for (let k = 0; k <= FUTURE; k++) {
    const start = activeStart + (k - ACTIVE) * SPRINT_DAYS * DAY;
    const end = start + SPRINT_DAYS * DAY;
    const number = plan.active + k - ACTIVE;
    const state: SprintState = k < ACTIVE ? 'closed' : k === ACTIVE ? 'active' : 'future';
    out.push({
      id: String(1000 + g * 10 + k),
      name: seed.shape === 'jira' ? `${project} Sprint ${number}` : `${team} Sprint ${number}`,
      number,
      state,
      start,
      end,
      complete: state === 'closed' ? end - 2 * HOUR : null,
      goal: plan.goals[k] ?? null,
    });
  }
  return out;
}

function teamContext(opts: GenerateOptions, g: number): TeamContext {
  const replica = Math.floor(g / TEAMS.length);
  const t = g % TEAMS.length;
  const seed = at(TEAMS, t);
  const now = opts.now.getTime();
  const today = startOfDay(now);
  const project = replicaName(seed.project, replica, '');
  const team = replicaName(seed.team, replica, ' ');
  const members = seed.members.map((h) => personFor(h, replica, seed.shape));
  return {
    g,
    replica,
    seed,
    source: opts.source,
    project,
    team,
    areaPath: seed.area ? `${project}\\${seed.area}` : null,
    adoOrdinal: replica * adoProjectOrdinal(TEAMS.length) + adoProjectOrdinal(t),
    now,
    today,
    rng: createRng(mixSeed(opts.seed, g, 0x5a3b1e)),
    members,
    lead: personFor(seed.lead, replica, seed.shape),
    sprints: teamSprints(seed, g, project, team, today),
    cursors: new Map(),
  };
}

const nativeOf = (ctx: TeamContext, local: number): string => nativeKeyOf(ctx.seed, ctx.project, ctx.adoOrdinal, local);
const keyOf = (ctx: TeamContext, local: number): string => itemKey(ctx.source, nativeOf(ctx, local));

function urlOf(ctx: TeamContext, native: string): string {
  if (ctx.seed.shape === 'jira') return `${JIRA_BASE_URL}/browse/${native}`;
  return `${ADO_ORG_URL}/${encodeURIComponent(ctx.project)}/_workitems/edit/${native}`;
}

const SUFFIXES = ['(follow-up)', '(phase 2)', '(edge cases)', '(hardening)'] as const;

/** Titles cycle through a vocabulary; later rounds get a suffix so titles stay distinct. */
function nextTitle(ctx: TeamContext, cursor: string, list: readonly string[]): string {
  const n = ctx.cursors.get(cursor) ?? 0;
  ctx.cursors.set(cursor, n + 1);
  const base = at(list, n % list.length);
  const round = Math.floor(n / list.length);
  return round === 0 ? base : `${base} ${at(SUFFIXES, (round - 1) % SUFFIXES.length)}`;
}

function sprintRef(s: SprintWindow): SprintRef {
  return { id: s.id, name: s.name, state: s.state, startDate: iso(s.start), endDate: iso(s.end) };
}

function sprintRecord(ctx: TeamContext, s: SprintWindow): Sprint {
  return {
    key: itemKey(ctx.source, `sprint-${s.id}`),
    source: ctx.source,
    id: s.id,
    name: s.name,
    state: s.state,
    startDate: iso(s.start),
    endDate: iso(s.end),
    completeDate: s.complete === null ? null : iso(s.complete),
    goal: s.goal,
    project: ctx.project,
    team: ctx.team,
  };
}

// ---------------------------------------------------------------------------------------------
// Shapes: statuses, types, priorities per tool

interface Statuses {
  todo: string;
  doing: string;
  review: string;
  done: string;
}
const JIRA_STATUS: Statuses = { todo: 'To Do', doing: 'In Progress', review: 'In Review', done: 'Done' };
const ADO_STATUS: Statuses = { todo: 'New', doing: 'Active', review: 'Resolved', done: 'Closed' };

type SlotKind = 'story' | 'bug' | 'task' | 'sub' | 'risk';
type Category = WorkItemInput['typeCategory'];
const JIRA_TYPES: Record<SlotKind, readonly [string, Category]> = {
  story: ['Story', 'story'],
  bug: ['Bug', 'bug'],
  task: ['Task', 'task'],
  sub: ['Sub-task', 'subtask'],
  risk: ['Risk', 'risk'],
};
const ADO_TYPES: Record<SlotKind, readonly [string, Category]> = {
  story: ['User Story', 'story'],
  bug: ['Bug', 'bug'],
  task: ['Task', 'task'],
  sub: ['Task', 'task'],
  risk: ['Risk', 'risk'],
};

const JIRA_PRIORITY = [['Highest', 4], ['High', 18], ['Medium', 58], ['Low', 15], ['Lowest', 5]] as const;
const JIRA_BUG_PRIORITY = [['Highest', 10], ['High', 30], ['Medium', 45], ['Low', 12], ['Lowest', 3]] as const;
const ADO_PRIORITY = [['1', 8], ['2', 32], ['3', 50], ['4', 10]] as const;
const ADO_BUG_PRIORITY = [['1', 15], ['2', 40], ['3', 40], ['4', 5]] as const;
const POINTS = [[1, 8], [2, 20], [3, 30], [5, 25], [8, 12], [13, 5]] as const;

const statusesOf = (ctx: TeamContext): Statuses => (ctx.seed.shape === 'jira' ? JIRA_STATUS : ADO_STATUS);

// ---------------------------------------------------------------------------------------------
// Timelines

interface SprintMove {
  at: number;
  from: string | null;
  to: string;
}

interface Timeline {
  created: number;
  started: number | null;
  review: number | null;
  resolved: number | null;
  sprint: number | null;
  moves: SprintMove[];
  touched: number | null;
}

function lastEvent(tl: Timeline): number {
  let last = tl.created;
  for (const t of [tl.started, tl.review, tl.resolved, tl.touched]) if (t !== null && t > last) last = t;
  for (const m of tl.moves) if (m.at > last) last = m.at;
  return last;
}

function transitionsOf(ctx: TeamContext, tl: Timeline, by: string | null, reviewable: boolean): StatusTransition[] {
  const s = statusesOf(ctx);
  const out: StatusTransition[] = [{ at: iso(tl.created), from: null, to: s.todo, fromCategory: null, toCategory: 'todo', by: ctx.lead.id }];
  if (tl.started === null) return out;
  out.push({ at: iso(tl.started), from: s.todo, to: s.doing, fromCategory: 'todo', toCategory: 'in_progress', by });
  let current = s.doing;
  if (tl.review !== null && reviewable) {
    out.push({ at: iso(tl.review), from: s.doing, to: s.review, fromCategory: 'in_progress', toCategory: 'in_progress', by });
    current = s.review;
  }
  if (tl.resolved !== null) {
    out.push({ at: iso(tl.resolved), from: current, to: s.done, fromCategory: 'in_progress', toCategory: 'done', by });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Containers: epics (and Azure DevOps features) that work hangs under

interface Container {
  local: number;
  key: string;
  native: string;
  epicKey: string;
  epicIndex: number;
  epic: EpicSeed;
  state: ContainerState;
  created: number;
  started: number | null;
  resolved: number | null;
}

function containerTimeline(ctx: TeamContext, state: ContainerState, parent: Container | null): Timeline {
  const { rng, now } = ctx;
  const created = parent
    ? between(rng, parent.created + HOUR, parent.created + 8 * DAY)
    : state === 'todo'
      ? between(rng, now - 75 * DAY, now - 45 * DAY)
      : between(rng, now - (state === 'done' ? 260 : 210) * DAY, now - (state === 'done' ? 180 : 140) * DAY);
  const tl: Timeline = { created, started: null, review: null, resolved: null, sprint: null, moves: [], touched: null };
  if (state === 'todo') return tl;
  const startFrom = Math.max(created, parent?.started ?? created) + HOUR;
  tl.started = between(rng, startFrom, startFrom + 20 * DAY);
  if (state === 'done') {
    tl.resolved = parent?.resolved
      ? between(rng, parent.resolved - 15 * DAY, parent.resolved - HOUR)
      : parent
        ? between(rng, now - 35 * DAY, now - 5 * DAY)
        : between(rng, now - 20 * DAY, now - 3 * DAY);
    return tl;
  }
  tl.touched = between(rng, now - 3 * DAY, now - HOUR);
  return tl;
}

function containerDue(ctx: TeamContext, tl: Timeline, state: ContainerState): string | null {
  const { rng, today } = ctx;
  const gated = ctx.seed.cadence === 'stage-gate';
  if (state === 'done') return tl.resolved !== null && (gated || rng.chance(0.5)) ? isoDate(tl.resolved - rng.int(0, 10) * DAY) : null;
  if (state === 'todo') return gated ? isoDate(today + rng.int(120, 300) * DAY) : null;
  return gated || rng.chance(0.6) ? isoDate(today + rng.int(20, 150) * DAY) : null;
}

function adoFields(ctx: TeamContext, labels: readonly string[], iteration: string | null): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    'System.AreaPath': ctx.areaPath,
    'System.IterationPath': iteration ?? ctx.project,
    areaPath: ctx.areaPath,
  };
  if (labels.length > 0) fields['System.Tags'] = labels.join('; ');
  return fields;
}

function containerItem(ctx: TeamContext, c: Container, tl: Timeline, title: string, kind: 'epic' | 'feature'): WorkItemInput {
  const jira = ctx.seed.shape === 'jira';
  const labels = [c.epic.label];
  let fields: Record<string, unknown> = {};
  if (!jira) {
    fields = adoFields(ctx, labels, null);
    fields['Microsoft.VSTS.Common.ValueArea'] = c.epic.label === 'tech-debt' ? 'Architectural' : 'Business';
    if (c.epic.gate) fields['Custom.Gate'] = c.epic.gate;
  }
  const transitions = transitionsOf(ctx, tl, ctx.lead.id, false);
  const description =
    kind === 'epic'
      ? `Outcome: as a ${c.epic.persona}, ${c.epic.benefit}.\n\nScope: ${c.epic.stories.slice(0, 3).join('; ')}.`
      : `Part of "${c.epic.title}". Delivers ${lcFirst(title)} for the ${c.epic.persona}.`;
  return {
    key: c.key,
    source: ctx.source,
    sourceKind: 'sample',
    nativeKey: c.native,
    url: urlOf(ctx, c.native),
    project: ctx.project,
    team: ctx.team,
    type: kind === 'epic' ? 'Epic' : 'Feature',
    typeCategory: kind,
    title,
    description,
    status: at(transitions, transitions.length - 1).to,
    statusCategory: c.state,
    assignee: { ...ctx.lead },
    priority: jira ? 'High' : '2',
    labels,
    components: [],
    estimate: null,
    createdAt: iso(tl.created),
    updatedAt: iso(lastEvent(tl)),
    startedAt: tl.started === null ? null : iso(tl.started),
    resolvedAt: tl.resolved === null ? null : iso(tl.resolved),
    dueDate: containerDue(ctx, tl, c.state),
    sprint: null,
    parentKey: kind === 'feature' ? c.epicKey : null,
    epicKey: kind === 'feature' ? c.epicKey : null,
    links: [],
    blocked: false,
    fields,
    transitions,
    history: [],
  };
}

function featureState(epic: ContainerState, j: number): ContainerState {
  if (epic !== 'in_progress') return epic;
  return j % 2 === 1 ? 'done' : 'in_progress';
}

// ---------------------------------------------------------------------------------------------
// Work plan: which slot is what, decided up front so defects come in controlled proportions

type Bucket = 'closed' | 'active' | 'future' | 'backlog' | 'flow';

interface Slot {
  index: number;
  local: number;
  kind: SlotKind;
  parent: number | null;
  cat: StatusCategory | null;
  bucket: Bucket;
  sprint: number | null;
  assignee: number | null;
  review: boolean;
  carried: boolean;
  addedLate: boolean;
  staleDays: number;
  overdue: boolean;
  noEstimate: boolean;
  noAc: boolean;
  alignment: 'epic' | 'label' | 'none';
  flagged: boolean;
  links: ItemLink[];
}

const KIND_WEIGHTS = [['story', 55], ['bug', 18], ['task', 14], ['risk', 4]] as const;

function newSlot(index: number, local: number, kind: SlotKind, parent: number | null): Slot {
  return {
    index,
    local,
    kind,
    parent,
    cat: null,
    bucket: 'backlog',
    sprint: null,
    assignee: null,
    review: false,
    carried: false,
    addedLate: false,
    staleDays: 0,
    overdue: false,
    noEstimate: false,
    noAc: false,
    alignment: 'epic',
    flagged: false,
    links: [],
  };
}

function skeleton(ctx: TeamContext, count: number, base: number): Slot[] {
  const { rng } = ctx;
  const slots: Slot[] = [];
  let risks = 0;
  while (slots.length < count) {
    let kind: SlotKind = rng.weighted(KIND_WEIGHTS);
    if (kind === 'risk' && risks >= ctx.seed.risks.length) kind = 'task';
    if (kind === 'risk') risks++;
    const parent = slots.length;
    slots.push(newSlot(parent, base + parent, kind, null));
    if (kind !== 'story' || !rng.chance(0.3)) continue;
    const children = rng.int(1, 2);
    for (let c = 0; c < children && slots.length < count; c++) slots.push(newSlot(slots.length, base + slots.length, 'sub', parent));
  }
  return slots;
}

/** Who holds in-progress work: the overloaded member 5–7 items, everyone else 1–3, one item nobody. */
function wipPlan(ctx: TeamContext): (number | null)[] {
  const { rng, seed } = ctx;
  const plan: (number | null)[] = [];
  const over = seed.overloaded ? seed.members.indexOf(seed.overloaded) : -1;
  if (over >= 0) for (let n = rng.int(5, 7); n > 0; n--) plan.push(over);
  plan.push(null);
  for (const [i, handle] of seed.members.entries()) {
    if (i === over) continue;
    const [lo, hi] = seed.wip?.[handle] ?? [1, 3];
    for (let n = rng.int(lo, hi); n > 0; n--) plan.push(i);
  }
  return plan;
}

function planInProgress(ctx: TeamContext, tops: Slot[]): void {
  const { rng, seed } = ctx;
  const eligible = tops.filter((s) => s.kind !== 'risk');
  const plan = wipPlan(ctx);
  const chosen = pickN(rng, eligible, Math.min(plan.length, Math.ceil(eligible.length * 0.4)));
  for (const [i, slot] of chosen.entries()) {
    slot.cat = 'in_progress';
    slot.assignee = plan[i] ?? null;
    slot.review = slot.kind !== 'task' && rng.chance(0.3);
    slot.bucket = seed.sprints ? 'active' : 'flow';
  }
  const stale = pickN(rng, chosen.filter((s) => s.assignee !== null), chosen.length >= 4 ? rng.int(1, 2) : 0);
  for (const slot of stale) markStale(ctx, slot);
  for (const slot of chosen) {
    if (slot.bucket !== 'active' || slot.staleDays > 0) continue;
    slot.carried = rng.chance(0.15);
    slot.addedLate = !slot.carried && rng.chance(0.1);
  }
}

function markStale(ctx: TeamContext, slot: Slot): void {
  const { rng, seed } = ctx;
  slot.review = false;
  const age = seed.sprints?.startedDaysAgo ?? 0;
  if (seed.sprints && age >= 7 && rng.chance(0.5)) {
    slot.staleDays = rng.int(6, age - 1);
    return;
  }
  slot.staleDays = rng.int(6, 19);
  if (seed.sprints) slot.bucket = 'backlog';
}

const SCRUM_BUCKETS = [['closed', 50], ['active-done', 11], ['active-todo', 9], ['future', 10], ['backlog', 20]] as const;

function planRest(ctx: TeamContext, tops: Slot[]): void {
  const { rng, seed } = ctx;
  const leadIndex = seed.members.indexOf(seed.lead);
  for (const slot of tops) {
    if (slot.cat !== null) continue;
    if (slot.kind === 'risk') {
      slot.bucket = 'flow';
      slot.cat = rng.chance(0.35) ? 'done' : 'todo';
      slot.assignee = rng.chance(0.8) ? leadIndex : null;
      continue;
    }
    if (seed.sprints) planScrum(ctx, slot);
    else {
      slot.bucket = 'flow';
      slot.cat = rng.chance(0.58) ? 'done' : 'todo';
    }
    const anyone = rng.int(0, seed.members.length - 1);
    slot.assignee = slot.cat === 'done' || rng.chance(0.55) ? anyone : null;
    slot.review = slot.cat === 'done' && (slot.kind === 'story' || slot.kind === 'bug') && rng.chance(0.65);
  }
}

function planScrum(ctx: TeamContext, slot: Slot): void {
  const { rng } = ctx;
  const bucket = rng.weighted(SCRUM_BUCKETS);
  slot.cat = bucket === 'closed' || bucket === 'active-done' ? 'done' : 'todo';
  slot.bucket = bucket === 'active-done' || bucket === 'active-todo' ? 'active' : bucket;
  if (bucket === 'closed') {
    slot.sprint = rng.int(0, CLOSED_SPRINTS - 1);
    slot.carried = slot.sprint > 0 && rng.chance(0.1);
  }
  if (slot.bucket === 'active') {
    slot.carried = rng.chance(0.15);
    slot.addedLate = !slot.carried && rng.chance(0.12);
  }
}

function planSubtasks(ctx: TeamContext, slots: Slot[]): void {
  const { rng, seed } = ctx;
  for (const slot of slots) {
    if (slot.parent === null) continue;
    const p = at(slots, slot.parent);
    slot.bucket = p.bucket;
    slot.sprint = p.sprint;
    slot.carried = p.carried;
    slot.addedLate = p.addedLate;
    slot.cat = p.cat === 'in_progress' ? (rng.chance(0.5) ? 'done' : 'todo') : p.cat;
    slot.assignee = p.assignee ?? rng.int(0, seed.members.length - 1);
  }
}

function link(from: Slot, type: string, to: string): void {
  from.links.push({ type, targetKey: to });
}

function planDefects(ctx: TeamContext, tops: Slot[]): void {
  const { rng, seed } = ctx;
  const open = tops.filter((s) => s.cat !== 'done');
  for (const slot of pickN(rng, open, rng.int(1, 2))) slot.overdue = true;

  const doing = tops.filter((s) => s.cat === 'in_progress' && s.staleDays === 0 && s.assignee !== null);
  const [blocked, flaggedOnly] = pickN(rng, doing, 2);
  if (blocked) planBlocker(ctx, tops, blocked);
  if (flaggedOnly && ctx.g % 2 === 0) flaggedOnly.flagged = true;

  const stories = tops.filter((s) => s.kind === 'story');
  const estimable = stories.filter((s) => s.cat !== 'done');
  for (const slot of pickN(rng, estimable, Math.max(1, Math.round(stories.length * 0.1)))) slot.noEstimate = true;
  for (const slot of pickN(rng, stories, Math.max(1, Math.round(stories.length * 0.12)))) slot.noAc = true;

  const alignable = tops.filter((s) => s.kind !== 'risk');
  const loose = pickN(rng, alignable, Math.max(1, Math.round(alignable.length * 0.06)) + (seed.labelOnly ? Math.round(alignable.length * 0.07) : 0));
  for (const [i, slot] of loose.entries()) slot.alignment = i === 0 || !seed.labelOnly || i % 2 === 0 ? 'none' : 'label';
}

/** One flagged item blocked by another open item, and a third item that waits on the flagged one. */
function planBlocker(ctx: TeamContext, tops: Slot[], blocked: Slot): void {
  const { rng } = ctx;
  const blockers = tops.filter((s) => s !== blocked && s.cat !== 'done' && s.kind !== 'risk');
  if (blockers.length === 0) return;
  const blocker = rng.pick(blockers);
  blocked.flagged = true;
  link(blocked, 'is blocked by', keyOf(ctx, blocker.local));
  link(blocker, 'blocks', keyOf(ctx, blocked.local));
  const waiting = tops.filter((s) => s !== blocked && s !== blocker && s.cat === 'todo' && s.kind !== 'risk');
  if (waiting.length === 0) return;
  const dependent = rng.pick(waiting);
  link(dependent, 'is blocked by', keyOf(ctx, blocked.local));
  link(blocked, 'blocks', keyOf(ctx, dependent.local));
}

function planWork(ctx: TeamContext, count: number, base: number): Slot[] {
  const slots = skeleton(ctx, count, base);
  const tops = slots.filter((s) => s.kind !== 'sub');
  planInProgress(ctx, tops);
  planRest(ctx, tops);
  planSubtasks(ctx, slots);
  planDefects(ctx, tops);
  return slots;
}

// ---------------------------------------------------------------------------------------------
// Work timelines

function sprintAt(ctx: TeamContext, k: number): SprintWindow {
  if (!ctx.sprints) throw new Error(`team ${ctx.team} has no sprints`);
  return at(ctx.sprints, k);
}

/** The last touch of stale work: between `days` and `days + 1` days before now, after `from`. */
function staleInstant(ctx: TeamContext, days: number, from = 0): number {
  return between(ctx.rng, Math.max(ctx.now - (days + 1) * DAY, from + 30 * MIN), ctx.now - days * DAY);
}

function emptyTimeline(created: number): Timeline {
  return { created, started: null, review: null, resolved: null, sprint: null, moves: [], touched: null };
}

/** Work between `from` and the end of the window: started, maybe reviewed, maybe resolved. */
function progress(ctx: TeamContext, tl: Timeline, slot: Slot, from: number, until: number): void {
  const { rng, now } = ctx;
  if (slot.cat === 'todo') return;
  if (slot.staleDays > 0) {
    tl.started = staleInstant(ctx, slot.staleDays, from);
    return;
  }
  if (slot.cat === 'in_progress') {
    tl.started = between(rng, Math.max(from, now - 4 * DAY) + 30 * MIN, now - 2 * HOUR);
    if (slot.review) tl.review = between(rng, tl.started + 15 * MIN, now - HOUR);
    return;
  }
  tl.started = between(rng, from + 30 * MIN, until - 3 * HOUR);
  tl.resolved = between(rng, tl.started + HOUR, until - 30 * MIN);
  if (slot.review) tl.review = between(rng, tl.started + 15 * MIN, tl.resolved - 15 * MIN);
}

function closedTimeline(ctx: TeamContext, slot: Slot, k: number): Timeline {
  const { rng } = ctx;
  const sp = sprintAt(ctx, k);
  const prev = slot.carried && k > 0 ? sprintAt(ctx, k - 1) : null;
  const first = prev ?? sp;
  const tl = emptyTimeline(between(rng, first.start - 35 * DAY, first.start - HOUR));
  tl.sprint = k;
  tl.moves.push({ at: first.start - 30 * MIN, from: null, to: first.name });
  if (prev) tl.moves.push({ at: prev.complete ?? prev.end, from: prev.name, to: sp.name });
  tl.started = between(rng, first.start + HOUR, first.start + 9 * DAY);
  tl.resolved = between(rng, Math.max(tl.started, sp.start) + 4 * HOUR, sp.end - 3 * HOUR);
  if (slot.review) tl.review = between(rng, tl.started + HOUR, tl.resolved - HOUR);
  return tl;
}

function activeTimeline(ctx: TeamContext, slot: Slot, notBefore: number): Timeline {
  const { rng, now } = ctx;
  const sp = sprintAt(ctx, ACTIVE);
  const prev = sprintAt(ctx, ACTIVE - 1);
  let tl: Timeline;
  let entry = sp.start;
  if (slot.carried) {
    tl = emptyTimeline(between(rng, Math.max(prev.start - 30 * DAY, notBefore), prev.start - HOUR));
    tl.moves.push({ at: prev.start - 30 * MIN, from: null, to: prev.name }, { at: prev.complete ?? prev.end, from: prev.name, to: sp.name });
  } else if (slot.addedLate) {
    entry = between(rng, sp.start + HOUR, now - 30 * HOUR);
    tl = emptyTimeline(between(rng, Math.max(entry - 20 * DAY, notBefore), entry - HOUR));
    tl.moves.push({ at: entry, from: null, to: sp.name });
  } else {
    tl = emptyTimeline(between(rng, Math.max(sp.start - 40 * DAY, notBefore), sp.start - HOUR));
    tl.moves.push({ at: sp.start - 30 * MIN, from: null, to: sp.name });
  }
  tl.sprint = ACTIVE;
  progress(ctx, tl, slot, entry, now);
  return tl;
}

function futureTimeline(ctx: TeamContext, notBefore: number): Timeline {
  const { rng, now } = ctx;
  const sp = sprintAt(ctx, FUTURE);
  const tl = emptyTimeline(between(rng, Math.max(now - 60 * DAY, notBefore), now - 2 * DAY));
  tl.sprint = FUTURE;
  tl.moves.push({ at: between(rng, tl.created + HOUR, now - HOUR), from: null, to: sp.name });
  return tl;
}

/** Work outside sprints: the Kanban and stage-gate teams, risks, and scrum backlog items. */
function flowTimeline(ctx: TeamContext, slot: Slot, notBefore: number): Timeline {
  const { rng, now } = ctx;
  if (slot.staleDays > 0) {
    const started = staleInstant(ctx, slot.staleDays);
    const tl = emptyTimeline(between(rng, started - 30 * DAY, started - HOUR));
    tl.started = started;
    return tl;
  }
  if (slot.cat === 'todo') return emptyTimeline(between(rng, Math.max(now - (slot.bucket === 'backlog' ? 120 : 90) * DAY, notBefore), now - HOUR));
  if (slot.cat === 'in_progress') {
    const started = between(rng, now - 4 * DAY, now - 2 * HOUR);
    const tl = emptyTimeline(between(rng, started - 30 * DAY, started - HOUR));
    tl.started = started;
    if (slot.review) tl.review = between(rng, started + 15 * MIN, now - HOUR);
    return tl;
  }
  const resolved = between(rng, now - 84 * DAY, now - HOUR);
  const started = between(rng, resolved - 12 * DAY, resolved - 2 * HOUR);
  const tl = emptyTimeline(between(rng, started - 25 * DAY, started - HOUR));
  tl.started = started;
  tl.resolved = resolved;
  if (slot.review) tl.review = between(rng, started + 15 * MIN, resolved - 15 * MIN);
  return tl;
}

/** Later comments or edits that move `updatedAt` without a status change; never on stale work. */
function touch(ctx: TeamContext, tl: Timeline, slot: Slot): void {
  const { rng, now } = ctx;
  if (slot.staleDays > 0) return;
  const last = lastEvent(tl);
  const p = slot.cat === 'in_progress' ? 0.5 : slot.cat === 'todo' ? 0.2 : 0.1;
  if (now - HOUR - last < 2 * HOUR || !rng.chance(p)) return;
  const until = slot.cat === 'done' ? Math.min(last + 5 * DAY, now - HOUR) : now - 10 * MIN;
  tl.touched = between(rng, last, until);
}

function workTimeline(ctx: TeamContext, slot: Slot, notBefore: number): Timeline {
  let tl: Timeline;
  if (slot.bucket === 'closed') tl = closedTimeline(ctx, slot, slot.sprint ?? 0);
  else if (slot.bucket === 'active') tl = activeTimeline(ctx, slot, notBefore);
  else if (slot.bucket === 'future') tl = futureTimeline(ctx, notBefore);
  else tl = flowTimeline(ctx, slot, notBefore);
  touch(ctx, tl, slot);
  return tl;
}

/** Sub-tasks live inside their parent's life: created before it is planned, finished before it is. */
function subTimeline(ctx: TeamContext, slot: Slot, parent: Timeline): Timeline {
  const { rng, now } = ctx;
  const limit = Math.min(parent.moves[0]?.at ?? now - HOUR, parent.started ?? now - HOUR, parent.created + 5 * DAY);
  const tl = emptyTimeline(between(rng, parent.created, limit));
  tl.sprint = parent.sprint;
  tl.moves = parent.moves.map((m) => ({ ...m }));
  if (slot.cat !== 'done' || parent.started === null) return tl;
  const end = parent.resolved ?? now - 10 * MIN;
  tl.started = between(rng, parent.started, end - 20 * MIN);
  tl.resolved = between(rng, tl.started, end);
  return tl;
}

// ---------------------------------------------------------------------------------------------
// Work content

interface Produced {
  key: string;
  native: string;
  title: string;
  epicKey: string | null;
  components: string[];
  tl: Timeline;
}

function pickContainer(ctx: TeamContext, containers: readonly Container[], tl: Timeline | null): Container | null {
  const options: [Container, number][] = [];
  for (const c of containers) {
    if (c.state === 'in_progress' && (tl === null || c.created < tl.created)) options.push([c, 3]);
    if (c.state === 'todo' && tl === null) options.push([c, 2]);
    if (c.state === 'done' && tl?.resolved != null && tl.resolved < (c.resolved ?? 0) - HOUR && c.created < tl.created) options.push([c, 1.5]);
  }
  return options.length === 0 ? null : ctx.rng.weighted(options);
}

const CONTEXTS = ['who is signed in', 'on a supported browser or app version', 'in a market where the feature is enabled'] as const;
const OUTCOMES = [
  'the result is shown within two seconds',
  'the change is recorded in the audit log',
  'analytics receives exactly one event for the action',
  'errors are shown in plain language and logged with a correlation id',
] as const;
const STEPS = [
  'Repeat the flow from the linked support ticket',
  'Use a test account in the affected market',
  'Retry the action after a network timeout',
  'Switch language and reload the page',
] as const;
const MITIGATIONS = [
  'Agree a fallback plan with the vendor and review it monthly',
  'Pair a second person and document the runbook',
  'Add two weeks of buffer to the plan and raise it at the steering committee',
  'Run a load test at twice the expected peak and add autoscaling headroom',
] as const;
const JIRA_SUBTASKS = ['Backend changes', 'Frontend changes', 'Unit and contract tests', 'QA on staging', 'Docs and release notes'] as const;
const ADO_TASKS = ['Implement API changes', 'Update UI components', 'Write automated tests', 'Test on staging', 'Update documentation'] as const;

const PROPER_NOUNS = new Set([
  'Apple', 'Google', 'App', 'VoiceOver', 'TalkBack', 'Kafka', 'Snowflake', 'Stripe', 'Firebase', 'Grafana', 'PagerDuty', 'Terraform', 'Visa',
]);

function lcFirst(text: string): string {
  const first = text.split(' ', 1)[0] ?? '';
  if (PROPER_NOUNS.has(first) || !/^[A-Z][a-z]/.test(text)) return text;
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function acceptanceCriteria(ctx: TeamContext, persona: string, title: string): string {
  const { rng } = ctx;
  const [then, and] = pickN(rng, OUTCOMES, 2);
  return `Given a ${persona} ${rng.pick(CONTEXTS)}\nWhen they use "${title}"\nThen ${then}\nAnd ${and}`;
}

function workTitle(ctx: TeamContext, slot: Slot, container: Container | null, parent: Produced | null): string {
  const { seed } = ctx;
  if (slot.kind === 'sub' && parent) {
    const list = seed.shape === 'jira' ? JIRA_SUBTASKS : ADO_TASKS;
    return `${parent.title}: ${lcFirst(at(list, (slot.index - (slot.parent ?? 0) - 1) % list.length))}`;
  }
  if (slot.kind === 'risk') return nextTitle(ctx, 'risks', seed.risks);
  if (slot.kind === 'bug') return nextTitle(ctx, 'bugs', seed.bugs);
  if (!container) return nextTitle(ctx, 'chores', seed.chores);
  if (slot.kind === 'task') return nextTitle(ctx, 'tasks', seed.tasks);
  return nextTitle(ctx, `epic-${container.epicIndex}`, container.epic.stories);
}

interface Content {
  description: string | null;
  acceptance: string | null;
  fields: Record<string, unknown>;
}

function workContent(ctx: TeamContext, slot: Slot, title: string, container: Container | null, parent: Produced | null): Content {
  const { rng, seed } = ctx;
  const jira = seed.shape === 'jira';
  const persona = container?.epic.persona ?? 'team member';
  const benefit = container?.epic.benefit ?? '';
  const fields: Record<string, unknown> = {};
  if (slot.kind === 'story') {
    const story = container
      ? `As a ${persona}, I want ${lcFirst(title)} so that ${benefit}.`
      : `${title}. Asked for in the team channel; not planned under any epic.`;
    const acceptance = slot.noAc ? null : acceptanceCriteria(ctx, persona, title);
    if (jira) return { description: acceptance ? `${story}\n\nAcceptance criteria\n${acceptance}` : story, acceptance, fields };
    return { description: story, acceptance, fields };
  }
  if (slot.kind === 'bug') {
    const steps =
      `Steps to reproduce\n1. Open ${seed.surface}\n2. ${rng.pick(STEPS)}\n3. Observe the result\n\n` +
      `Expected: it works as documented\nActual: ${title}\nEnvironment: production`;
    if (!jira) fields['Microsoft.VSTS.TCM.ReproSteps'] = steps;
    return { description: steps, acceptance: null, fields };
  }
  if (slot.kind === 'risk') return riskContent(ctx, title, fields);
  if (slot.kind === 'sub') return { description: rng.chance(0.5) || !parent ? null : `Part of ${parent.native}.`, acceptance: null, fields };
  const done = `${title}. Done when the change is applied in every environment and noted in the runbook.`;
  return { description: rng.chance(0.4) ? null : done, acceptance: null, fields };
}

function riskContent(ctx: TeamContext, title: string, fields: Record<string, unknown>): Content {
  const { rng, seed } = ctx;
  const impact = rng.pick(['High', 'Medium', 'Low'] as const);
  const likelihood = rng.pick(['Likely', 'Possible', 'Unlikely'] as const);
  // The second risk of each team has no mitigation yet: risk-register hygiene to report.
  const mitigation = ctx.cursors.get('risks') === 2 ? null : rng.pick(MITIGATIONS);
  const jira = seed.shape === 'jira';
  fields[jira ? 'Risk Impact' : 'Custom.Impact'] = impact;
  fields[jira ? 'Risk Likelihood' : 'Custom.Probability'] = likelihood;
  if (mitigation) fields[jira ? 'Mitigation' : 'Custom.Mitigation'] = mitigation;
  const description = `Risk: ${title}.\nImpact: ${impact}. Likelihood: ${likelihood}.\nMitigation: ${mitigation ?? 'not yet defined'}`;
  return { description, acceptance: null, fields };
}

function workLabels(ctx: TeamContext, slot: Slot, container: Container | null): string[] {
  const { rng, seed } = ctx;
  const labels: string[] = [];
  if (slot.alignment === 'label' && seed.labelOnly) labels.push(seed.labelOnly);
  if (container && rng.chance(0.35)) labels.push(container.epic.label);
  if (slot.kind === 'bug' && seed.tags.includes('customer-reported') && rng.chance(0.3)) labels.push('customer-reported');
  if (rng.chance(0.4)) {
    const tag = rng.pick(seed.tags);
    if (!labels.includes(tag)) labels.push(tag);
  }
  return labels;
}

function workComponents(ctx: TeamContext, parent: Produced | null): string[] {
  const { rng, seed } = ctx;
  if (parent) return [...parent.components];
  if (seed.components.length === 0 || rng.chance(0.25)) return [];
  return pickN(rng, seed.components, rng.chance(0.2) ? 2 : 1);
}

function workEstimate(ctx: TeamContext, slot: Slot): number | null {
  const { rng, seed } = ctx;
  if (slot.kind === 'story') return slot.noEstimate ? null : rng.weighted(POINTS);
  if (slot.kind === 'bug') return rng.chance(0.45) ? rng.pick([1, 2, 3, 5] as const) : null;
  if (slot.kind === 'task' && seed.shape === 'jira') return rng.chance(0.3) ? rng.pick([1, 2, 3] as const) : null;
  return null;
}

function workPriority(ctx: TeamContext, slot: Slot): string {
  const { rng, seed } = ctx;
  const bug = slot.kind === 'bug';
  if (seed.shape === 'jira') return rng.weighted(bug ? JIRA_BUG_PRIORITY : JIRA_PRIORITY);
  return rng.weighted(bug ? ADO_BUG_PRIORITY : ADO_PRIORITY);
}

function workDue(ctx: TeamContext, slot: Slot, tl: Timeline): string | null {
  const { rng, today } = ctx;
  if (slot.overdue) {
    const earliest = startOfDay(tl.created) + DAY;
    const due = today - rng.int(1, 15) * DAY;
    return due >= earliest ? isoDate(due) : earliest < today ? isoDate(earliest) : null;
  }
  const share = ctx.seed.cadence === 'stage-gate' ? 0.45 : slot.kind === 'risk' ? 0.5 : 0.15;
  if (slot.kind === 'sub' || !rng.chance(share)) return null;
  if (tl.resolved !== null) return isoDate(Math.max(startOfDay(tl.created) + DAY, tl.resolved + rng.int(-6, 10) * DAY));
  return isoDate(today + rng.int(3, 45) * DAY);
}

function jiraFields(ctx: TeamContext, slot: Slot, tl: Timeline, content: Content): Record<string, unknown> {
  const fields = content.fields;
  if (slot.flagged) fields['Flagged'] = ['Impediment'];
  if (tl.resolved !== null && tl.sprint !== null && tl.sprint < ACTIVE && slot.kind !== 'sub') {
    fields['fixVersions'] = [`${ctx.seed.projectName} R${sprintAt(ctx, tl.sprint).number}`];
  }
  return fields;
}

function adoWorkFields(
  ctx: TeamContext,
  slot: Slot,
  tl: Timeline,
  content: Content,
  labels: string[],
  estimate: number | null,
  container: Container | null,
): Record<string, unknown> {
  const sprint = tl.sprint === null ? null : sprintAt(ctx, tl.sprint);
  const iteration = sprint && ctx.areaPath ? `${ctx.areaPath}\\Sprint ${sprint.number}` : null;
  const fields = { ...adoFields(ctx, labels, iteration), ...content.fields };
  if (slot.kind === 'story') {
    fields['Microsoft.VSTS.Common.ValueArea'] = container?.epic.label === 'tech-debt' ? 'Architectural' : 'Business';
    if (content.acceptance) fields['Microsoft.VSTS.Common.AcceptanceCriteria'] = content.acceptance;
  }
  if (estimate !== null) fields['Microsoft.VSTS.Scheduling.StoryPoints'] = estimate;
  if ((slot.kind === 'task' || slot.kind === 'sub') && tl.resolved === null) fields['Microsoft.VSTS.Scheduling.RemainingWork'] = ctx.rng.int(1, 16);
  if (slot.flagged) fields['Microsoft.VSTS.CMMI.Blocked'] = 'Yes';
  return fields;
}

function historyOf(ctx: TeamContext, tl: Timeline): FieldChange[] {
  return tl.moves.map((m) => ({ at: iso(m.at), field: 'sprint', from: m.from, to: m.to, by: ctx.lead.id }));
}

function workItem(ctx: TeamContext, slot: Slot, tl: Timeline, container: Container | null, parent: Produced | null, title: string): WorkItemInput {
  const jira = ctx.seed.shape === 'jira';
  const native = nativeOf(ctx, slot.local);
  const [type, typeCategory] = (jira ? JIRA_TYPES : ADO_TYPES)[slot.kind];
  const assignee = slot.assignee === null ? null : at(ctx.members, slot.assignee);
  const by = assignee?.id ?? ctx.lead.id;
  const transitions = transitionsOf(ctx, tl, by, slot.kind === 'story' || slot.kind === 'bug');
  const last = at(transitions, transitions.length - 1);
  const content = workContent(ctx, slot, title, container, parent);
  const labels = workLabels(ctx, slot, container);
  const estimate = workEstimate(ctx, slot);
  const fields = jira ? jiraFields(ctx, slot, tl, content) : adoWorkFields(ctx, slot, tl, content, labels, estimate, container);
  const parentKey = parent?.key ?? container?.key ?? null;
  const epicKey = parent ? parent.epicKey : container ? container.epicKey : null;
  return {
    key: itemKey(ctx.source, native),
    source: ctx.source,
    sourceKind: 'sample',
    nativeKey: native,
    url: urlOf(ctx, native),
    project: ctx.project,
    team: ctx.team,
    type,
    typeCategory,
    title,
    description: content.description,
    status: last.to,
    statusCategory: last.toCategory,
    assignee: assignee ? { ...assignee } : null,
    priority: workPriority(ctx, slot),
    labels,
    components: jira ? workComponents(ctx, parent) : [],
    estimate,
    createdAt: iso(tl.created),
    updatedAt: iso(lastEvent(tl)),
    startedAt: tl.started === null ? null : iso(tl.started),
    resolvedAt: tl.resolved === null ? null : iso(tl.resolved),
    dueDate: workDue(ctx, slot, tl),
    sprint: tl.sprint === null ? null : sprintRef(sprintAt(ctx, tl.sprint)),
    parentKey,
    epicKey,
    links: slot.links,
    blocked: slot.flagged,
    fields,
    transitions,
    history: historyOf(ctx, tl),
  };
}

// ---------------------------------------------------------------------------------------------
// One team, start to end

function* containersOf(ctx: TeamContext, budget: number, out: Container[]): Generator<WorkItemInput> {
  const { seed } = ctx;
  const epics: Container[] = [];
  for (const [i, epic] of seed.epics.entries()) {
    if (out.length >= budget) return;
    const tl = containerTimeline(ctx, epic.state, null);
    const key = keyOf(ctx, i);
    const c: Container = {
      local: i,
      key,
      native: nativeOf(ctx, i),
      epicKey: key,
      epicIndex: i,
      epic,
      state: epic.state,
      created: tl.created,
      started: tl.started,
      resolved: tl.resolved,
    };
    epics.push(c);
    out.push(c);
    yield containerItem(ctx, c, tl, epic.title, 'epic');
  }
  for (const epic of epics) {
    for (const [j, title] of (epic.epic.features ?? []).entries()) {
      if (out.length >= budget) return;
      const state = featureState(epic.state, j);
      const tl = containerTimeline(ctx, state, epic);
      const local = out.length;
      const c: Container = {
        ...epic,
        local,
        key: keyOf(ctx, local),
        native: nativeOf(ctx, local),
        state,
        created: tl.created,
        started: tl.started,
        resolved: tl.resolved,
      };
      out.push(c);
      yield containerItem(ctx, c, tl, title, 'feature');
    }
  }
}

/** Where work hangs: Azure DevOps stories sit under features, Jira stories directly under epics. */
function workContainers(ctx: TeamContext, all: readonly Container[]): Container[] {
  const features = all.filter((c) => c.local >= ctx.seed.epics.length);
  return ctx.seed.shape === 'ado' && features.length > 0 ? features : all.filter((c) => c.local < ctx.seed.epics.length);
}

function* teamItems(opts: GenerateOptions, g: number, budget: number): Generator<WorkItemInput> {
  const ctx = teamContext(opts, g);
  const all: Container[] = [];
  yield* containersOf(ctx, budget, all);
  const containers = workContainers(ctx, all);
  const slots = planWork(ctx, budget - all.length, all.length);
  const produced = new Map<number, Produced>();
  for (const slot of slots) {
    const parent = slot.parent === null ? null : (produced.get(slot.parent) ?? null);
    let container: Container | null = null;
    if (!parent && slot.alignment === 'epic' && slot.cat === 'todo') container = pickContainer(ctx, containers, null);
    const tl = parent ? subTimeline(ctx, slot, parent.tl) : workTimeline(ctx, slot, container ? container.created + HOUR : 0);
    if (!parent && slot.alignment === 'epic' && slot.cat !== 'todo') container = pickContainer(ctx, containers, tl);
    const title = workTitle(ctx, slot, container, parent);
    const item = workItem(ctx, slot, tl, container, parent, title);
    if (slot.kind === 'story') {
      produced.set(slot.index, { key: item.key, native: item.nativeKey, title, epicKey: item.epicKey, components: item.components, tl });
    }
    yield item;
  }
}

// ---------------------------------------------------------------------------------------------
// Pages

function* itemsFrom(opts: GenerateOptions, l: Layout, start: number): Generator<WorkItemInput> {
  for (let g = teamOf(l, start); g < l.teams; g++) {
    const first = teamStart(l, g);
    const budget = teamStart(l, g + 1) - first;
    let i = first;
    for (const item of teamItems(opts, g, budget)) {
      if (i >= start) yield item;
      i++;
    }
  }
}

function sprintsIn(opts: GenerateOptions, l: Layout, start: number, end: number): Sprint[] {
  const out: Sprint[] = [];
  for (let r = Math.floor(teamOf(l, start) / TEAMS.length); r < l.replicas; r++) {
    const first = teamStart(l, r * TEAMS.length);
    if (first >= end) break;
    if (first < start) continue;
    for (let t = 0; t < TEAMS.length; t++) {
      const ctx = teamContext(opts, r * TEAMS.length + t);
      for (const s of ctx.sprints ?? []) out.push(sprintRecord(ctx, s));
    }
  }
  return out;
}

export function* generatePages(opts: GenerateOptions, start: number, pageSize: number): Generator<GeneratedPage> {
  const l = layoutOf(opts.size);
  const items = itemsFrom(opts, l, start);
  for (let s = start; s < opts.size; s += pageSize) {
    const end = Math.min(opts.size, s + pageSize);
    const page: WorkItemInput[] = [];
    for (let i = s; i < end; i++) {
      const next = items.next();
      if (next.done) throw new Error(`sample generator ran out of items at ${i} of ${opts.size}`);
      page.push(next.value);
    }
    yield { start: s, end, items: page, sprints: sprintsIn(opts, l, s, end), quarantined: quarantinedIn(opts, l, s, end) };
  }
}

/** Sprints of the whole portfolio (one team's worth per numbered business unit). */
export function sprintCount(size: number): number {
  return layoutOf(size).replicas * TEAMS.filter((t) => t.sprints).length * (FUTURE + 1);
}

// ---------------------------------------------------------------------------------------------
// Deliberately malformed payloads, one Jira-shaped and one Azure DevOps-shaped, to show quarantine

function quarantinedIn(opts: GenerateOptions, l: Layout, start: number, end: number): QuarantinedPayload[] {
  const out: QuarantinedPayload[] = [];
  if (Math.floor(l.size / 3) >= start && Math.floor(l.size / 3) < end) out.push(brokenJiraIssue(opts, l));
  if (Math.floor((2 * l.size) / 3) >= start && Math.floor((2 * l.size) / 3) < end) out.push(brokenAdoWorkItem(opts, l));
  return out;
}

function brokenJiraIssue(opts: GenerateOptions, l: Layout): QuarantinedPayload {
  const t = TEAMS.findIndex((x) => x.shape === 'jira');
  const seed = at(TEAMS, t);
  const native = `${seed.project}-${teamStart(l, t + 1) - teamStart(l, t) + 1}`;
  const now = opts.now.getTime();
  return {
    nativeKey: native,
    error: `Jira issue ${native} has no summary (fields.summary is null); a work item needs a title`,
    payload: {
      id: String(10_000 + hashString(native) % 90_000),
      key: native,
      self: `${JIRA_BASE_URL}/rest/api/3/issue/${native}`,
      fields: {
        summary: null,
        issuetype: { name: 'Story', subtask: false },
        status: { name: 'To Do', statusCategory: { key: 'new' } },
        project: { key: seed.project },
        priority: { name: 'Medium' },
        labels: ['growth'],
        assignee: null,
        created: iso(startOfDay(now) - DAY + 10 * HOUR),
        updated: iso(startOfDay(now) - DAY + 10 * HOUR + 5 * MIN),
      },
    },
  };
}

function brokenAdoWorkItem(opts: GenerateOptions, l: Layout): QuarantinedPayload {
  const t = TEAMS.findIndex((x) => x.shape === 'ado');
  const seed = at(TEAMS, t);
  const id = ADO_FIRST_ID + adoProjectOrdinal(t) * ADO_ID_BLOCK + (teamStart(l, t + 1) - teamStart(l, t));
  const now = opts.now.getTime();
  return {
    nativeKey: String(id),
    error: `Azure DevOps work item ${id}: System.CreatedDate is 'not-a-date', not an ISO-8601 instant`,
    payload: {
      id,
      rev: 4,
      url: `${ADO_ORG_URL}/_apis/wit/workItems/${id}`,
      fields: {
        'System.Id': id,
        'System.TeamProject': seed.project,
        'System.AreaPath': `${seed.project}\\${seed.area ?? ''}`,
        'System.WorkItemType': 'User Story',
        'System.State': 'Active',
        'System.Title': 'Save card for later during checkout',
        'System.CreatedDate': 'not-a-date',
        'System.ChangedDate': iso(startOfDay(now) - DAY + 14 * HOUR),
        'Microsoft.VSTS.Common.Priority': 2,
        'Microsoft.VSTS.Scheduling.StoryPoints': 5,
      },
    },
  };
}
