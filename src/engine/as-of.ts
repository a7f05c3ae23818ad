import type { Person, Sprint, SprintRef, SprintState, StatusCategory, WorkItem } from '../model/work-item.ts';
import type { Store } from '../store/index.ts';
import { sprintValues } from './helpers.ts';
import type { Portfolio } from './evaluate.ts';

/**
 * The portfolio as it stood at an earlier instant, rebuilt from what the connectors keep: status
 * transitions, and the history of sprint, estimate, assignee, due date, priority, labels, flag and
 * parent. Text (title, description, acceptance criteria) and custom fields are as they are now: no
 * connector keeps their history.
 */
export function portfolioAsOf(store: Store, at: string, people: PeopleIndex = peopleIndex(store)): Portfolio {
  const sprints = sprintIndex(store.items.sprints(), at);
  return {
    *items() {
      for (const item of store.items.iterate({ liveAt: at })) {
        const then = itemAsOf(item, at, sprints, people);
        if (then) yield then;
      }
    },
    item: (key) => {
      const item = store.items.get(key);
      return item && itemAsOf(item, at, sprints, people);
    },
    sprint: (key) => sprints.byKey.get(key),
    sprints: () => [...sprints.byKey.values()],
    sprintCount: () => sprints.byKey.size,
  };
}

export interface SprintIndex {
  byKey: Map<string, Sprint>;
  /** A history value (sprint id, key, name or iteration path) of a source → the sprint. */
  resolve(source: string, value: string): Sprint | undefined;
}

/** A sprint's state at an instant, from its dates (the stored state where it has none). */
export function sprintStateAt(s: Pick<Sprint, 'state' | 'startDate' | 'endDate' | 'completeDate'>, at: string): SprintState {
  const ms = Date.parse(at);
  const start = s.startDate ? Date.parse(s.startDate) : null;
  const end = s.completeDate ? Date.parse(s.completeDate) : s.endDate ? Date.parse(s.endDate) : null;
  if (start !== null && start > ms) return 'future';
  if (end !== null && end <= ms) return 'closed';
  if (start !== null) return 'active';
  return s.state === 'closed' && end === null ? 'closed' : s.state;
}

export function sprintIndex(all: readonly Sprint[], at: string): SprintIndex {
  const byKey = new Map<string, Sprint>();
  const byValue = new Map<string, Sprint>();
  for (const stored of all) {
    const s: Sprint = { ...stored, state: sprintStateAt(stored, at), completeDate: stored.completeDate && stored.completeDate <= at ? stored.completeDate : null };
    byKey.set(s.key, s);
    for (const v of [s.id, s.key, s.name]) {
      const id = `${s.source}\0${v.toLowerCase()}`;
      if (!byValue.has(id)) byValue.set(id, s);
    }
  }
  return {
    byKey,
    resolve(source, value) {
      const v = value.trim().toLowerCase();
      // Azure DevOps iteration paths (Project\Release 1\Sprint 3) name the sprint last.
      return byValue.get(`${source}\0${v}`) ?? byValue.get(`${source}\0${v.split('\\').at(-1) ?? v}`);
    },
  };
}

/** A history value naming a person (Jira and Azure DevOps keep display names) → the person, email included. */
export type PeopleIndex = (value: string) => Person | undefined;

/** Everyone assigned to a stored item, by display name and id (first seen wins). */
export function peopleIndex(store: Store): PeopleIndex {
  const byValue = new Map<string, Person>();
  const rows = store.db.prepare("SELECT DISTINCT json_extract(data, '$.assignee') FROM work_items WHERE assignee_email IS NOT NULL").pluck().iterate() as Iterable<string | null>;
  for (const json of rows) {
    if (json === null) continue;
    const p = JSON.parse(json) as Person;
    for (const v of [p.name, p.id]) if (!byValue.has(v.toLowerCase())) byValue.set(v.toLowerCase(), p);
  }
  return (value) => byValue.get(value.toLowerCase());
}

const refOf = (s: Sprint): SprintRef => ({ id: s.id, name: s.name, state: s.state, startDate: s.startDate, endDate: s.endDate });

/** `item` as it was at `at`, or undefined when it did not exist yet. */
export function itemAsOf(item: WorkItem, at: string, sprints: SprintIndex, people: PeopleIndex = () => undefined): WorkItem | undefined {
  if (item.createdAt > at) return undefined;
  const transitions = item.transitions.filter((t) => t.at <= at);
  const history = item.history.filter((h) => h.at <= at);
  const later = item.history.filter((h) => h.at > at).sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));

  let status = item.status;
  let statusCategory: StatusCategory = item.statusCategory;
  const lastKept = transitions.at(-1);
  const firstLater = item.transitions.find((t) => t.at > at);
  if (lastKept) {
    status = lastKept.to;
    statusCategory = lastKept.toCategory;
  } else if (firstLater) {
    status = firstLater.from ?? 'To Do';
    statusCategory = firstLater.fromCategory ?? 'todo';
  }
  const startedAt = statusCategory === 'todo' ? null : (transitions.find((t) => t.toCategory !== 'todo')?.at ?? (item.startedAt && item.startedAt <= at ? item.startedAt : null));
  let resolvedAt: string | null = null;
  if (statusCategory === 'done') {
    resolvedAt = [...transitions].reverse().find((t) => t.toCategory === 'done')?.at ?? (item.resolvedAt && item.resolvedAt <= at ? item.resolvedAt : null);
  }

  const then: WorkItem = {
    ...item,
    status,
    statusCategory,
    startedAt,
    resolvedAt,
    transitions,
    history,
    // The last thing that happened to it by then (the stored value when nothing later is known).
    updatedAt: item.updatedAt <= at ? item.updatedAt : latest(item.createdAt, transitions.at(-1)?.at, history.at(-1)?.at),
    sprint: item.sprint ? currentSprint(item, sprints) : null,
  };
  // Undo, newest first, every tracked change made after `at`.
  for (const change of later) revert(then, change.field, change.from, sprints, people);
  return then;
}

function latest(...instants: Array<string | undefined>): string {
  let best = '';
  for (const i of instants) if (i !== undefined && i > best) best = i;
  return best;
}

/** The stored sprint reference, with its state as of the index's instant. */
function currentSprint(item: WorkItem, sprints: SprintIndex): SprintRef | null {
  if (!item.sprint) return null;
  const s = sprints.byKey.get(`${item.source}:${item.sprint.id}`);
  return s ? refOf(s) : item.sprint;
}

function revert(item: WorkItem, field: string, from: string | null, sprints: SprintIndex, people: PeopleIndex): void {
  const value = from === null || from.trim() === '' ? null : from;
  switch (field.toLowerCase()) {
    case 'sprint':
    case 'iteration':
    case 'system.iterationpath': {
      // Of the sprints a Jira value lists, the item was in the last one that resolves.
      let found: SprintRef | null = null;
      for (const name of sprintValues(value)) {
        const s = sprints.resolve(item.source, name);
        if (s) found = refOf(s);
      }
      item.sprint = found;
      return;
    }
    case 'estimate':
    case 'story points': {
      const n = value === null ? null : Number(value);
      item.estimate = n !== null && Number.isFinite(n) && n >= 0 ? n : null;
      return;
    }
    case 'assignee':
      if (value === null) item.assignee = null;
      else if (!item.assignee || (item.assignee.name !== value && item.assignee.id !== value)) {
        item.assignee = people(value) ?? { id: value, name: value, email: value.includes('@') ? value.toLowerCase() : null };
      }
      return;
    case 'duedate':
      item.dueDate = value === null ? null : value.slice(0, 10);
      return;
    case 'priority':
      item.priority = value;
      return;
    case 'labels':
      item.labels = value === null ? [] : value.split(value.includes(';') ? ';' : /\s+/).map((l) => l.trim()).filter(Boolean);
      return;
    case 'flagged':
      item.blocked = value !== null && value.toLowerCase() !== 'no';
      return;
    case 'parent':
      item.parentKey = value === null ? null : value.includes(':') ? value : `${item.source}:${value}`;
      return;
    case 'epic':
      item.epicKey = value === null ? null : value.includes(':') ? value : `${item.source}:${value}`;
      return;
    default:
      return;
  }
}
