import { itemKey, type Sprint, type SprintRef, type SprintState } from '../../src/model/work-item.ts';
import { toIsoInstant } from './time.ts';
import type { AgileSprint } from './schema.ts';

/**
 * The sprint custom field (gh-sprint) comes in two forms: an array of objects (Cloud, Data Center 8+)
 * or, on older servers and in some webhooks, an array of strings like
 * `com.atlassian.greenhopper.service.sprint.Sprint@1a2b[id=3,rapidViewId=1,state=CLOSED,name=S1,startDate=…,…]`.
 */

export interface ParsedSprint {
  id: string;
  name: string;
  state: SprintState;
  startDate: string | null;
  endDate: string | null;
  completeDate: string | null;
  goal: string | null;
  boardId: number | null;
}

const LEGACY = /\[(.*)\]\s*$/s;

export function parseSprintValue(value: unknown): ParsedSprint[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  const out: ParsedSprint[] = [];
  for (const entry of list) {
    const s = typeof entry === 'string' ? parseLegacy(entry) : typeof entry === 'object' && entry !== null ? parseObject(entry as Record<string, unknown>) : null;
    if (!s) throw new Error(`unreadable sprint value ${JSON.stringify(entry).slice(0, 80)}`);
    out.push(s);
  }
  return out;
}

function parseObject(o: Record<string, unknown>): ParsedSprint | null {
  const id = o['id'];
  const state = sprintState(o['state']);
  if ((typeof id !== 'number' && typeof id !== 'string') || typeof o['name'] !== 'string' || !state) return null;
  return {
    id: String(id),
    name: o['name'],
    state,
    startDate: toIsoInstant(o['startDate']),
    endDate: toIsoInstant(o['endDate']),
    completeDate: toIsoInstant(o['completeDate']),
    goal: typeof o['goal'] === 'string' && o['goal'] !== '' ? o['goal'] : null,
    boardId: typeof o['boardId'] === 'number' ? o['boardId'] : typeof o['originBoardId'] === 'number' ? o['originBoardId'] : null,
  };
}

function parseLegacy(text: string): ParsedSprint | null {
  const body = LEGACY.exec(text)?.[1];
  if (body === undefined) return null;
  // Values may contain commas (names, goals): split only before `key=`.
  const attrs = new Map<string, string>();
  for (const part of body.split(/,(?=[A-Za-z]+=)/)) {
    const eq = part.indexOf('=');
    if (eq > 0) attrs.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const value = (k: string): string | null => {
    const v = attrs.get(k);
    return v === undefined || v === '<null>' || v === '' ? null : v;
  };
  const id = value('id');
  const name = attrs.get('name');
  const state = sprintState(value('state'));
  if (id === null || name === undefined || !state) return null;
  const board = Number(value('rapidViewId'));
  return {
    id,
    name,
    state,
    startDate: toIsoInstant(value('startDate')),
    endDate: toIsoInstant(value('endDate')),
    completeDate: toIsoInstant(value('completeDate')),
    goal: value('goal'),
    boardId: Number.isFinite(board) && value('rapidViewId') !== null ? board : null,
  };
}

function sprintState(v: unknown): SprintState | null {
  if (typeof v !== 'string') return null;
  const s = v.toLowerCase();
  return s === 'active' || s === 'future' || s === 'closed' ? s : null;
}

/** The sprint an item is in now: the active one, else the next future one, else the last closed. */
export function currentSprint(sprints: readonly ParsedSprint[]): ParsedSprint | null {
  const active = sprints.find((s) => s.state === 'active');
  if (active) return active;
  const future = sprints.filter((s) => s.state === 'future');
  if (future.length > 0) return future.reduce((a, b) => (Number(a.id) <= Number(b.id) ? a : b));
  const closed = sprints.filter((s) => s.state === 'closed');
  if (closed.length === 0) return null;
  return closed.reduce((a, b) => ((a.endDate ?? '') >= (b.endDate ?? '') ? a : b));
}

export function sprintRef(s: ParsedSprint): SprintRef {
  return { id: s.id, name: s.name, state: s.state, startDate: s.startDate, endDate: s.endDate };
}

export function sprintRecord(source: string, s: ParsedSprint, project: string | null): Sprint {
  return {
    key: itemKey(source, `sprint-${s.id}`),
    source,
    id: s.id,
    name: s.name,
    state: s.state,
    startDate: s.startDate,
    endDate: s.endDate,
    completeDate: s.completeDate,
    goal: s.goal,
    project,
    team: null,
  };
}

/** A sprint from the agile API (`/rest/agile/1.0/board/{id}/sprint`). */
export function fromAgileSprint(s: AgileSprint): ParsedSprint | null {
  return parseObject(s as unknown as Record<string, unknown>);
}
