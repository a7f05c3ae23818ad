import type { AlignmentConfig } from './config.ts';
import type { Portfolio } from './portfolio.ts';

/**
 * Mapping through the hierarchy (sub-task → story → feature → epic → initiative): an item meets
 * every matcher that it or any ancestor meets. Among several objectives the one with the best
 * declared `priority` wins (1 beats 2; without a priority, declaration order, after prioritised
 * ones) and the item is reported as a conflict where the disagreement starts.
 */
export interface Mapping {
  /** Objective index per item, −1 when unaligned. */
  objective: Int32Array;
  /** Theme index per item, −1 when none. */
  theme: Int32Array;
  /** Key-result matcher indices per item (only those of its own objective). */
  keyResults: Array<readonly number[]>;
  /** The nearest epic at or above each item (index), −1 when none is stored. */
  epic: Int32Array;
  conflicts: Conflict[];
  cycles: string[][];
  /** Items each objective matched by their own attributes (before inheritance). */
  directMatches: number[];
}

export interface Conflict {
  /** Where the disagreement starts: the item whose own or inherited matches first disagree. */
  key: string;
  url: string;
  objectives: string[];
  winner: string;
  /** Items that inherit this conflict, the origin included. */
  affected: number;
}

const NONE = -1;
const EMPTY: readonly number[] = [];

export function mapPortfolio(p: Portfolio, config: AlignmentConfig): Mapping {
  const n = p.items.length;
  const { objectiveCount, themeCount, list } = p.matchers;
  const parentIdx = new Int32Array(n).fill(NONE);
  const sets: Array<readonly number[]> = new Array<readonly number[]>(n);
  const interned = new Map<string, readonly number[]>();
  const intern = (values: number[]): readonly number[] => {
    if (values.length === 0) return EMPTY;
    const k = values.join(',');
    const found = interned.get(k);
    if (found) return found;
    interned.set(k, values);
    return values;
  };
  // Matches of ancestors that are referenced but not stored (an epic in another project, say).
  const dangling = (key: string): number[] => p.matchers.index.key(key);

  const state = new Uint8Array(n); // 0 new, 1 on the walk, 2 resolved
  const cycles: string[][] = [];
  const stack: number[] = [];
  for (let start = 0; start < n; start++) {
    if (state[start] === 2) continue;
    let at = start;
    let inherited: readonly number[] = EMPTY;
    for (;;) {
      state[at] = 1;
      stack.push(at);
      const parentKey = p.items[at]!.parent;
      if (parentKey === null) break;
      const pi = p.byKey.get(parentKey);
      if (pi === undefined) {
        inherited = intern(dangling(parentKey));
        break;
      }
      if (state[pi] === 1) {
        const from = stack.indexOf(pi);
        cycles.push(stack.slice(from).map((i) => p.items[i]!.key));
        break; // the link that closes the cycle is not followed
      }
      parentIdx[at] = pi;
      if (state[pi] === 2) {
        inherited = sets[pi]!;
        break;
      }
      at = pi;
    }
    while (stack.length > 0) {
      const i = stack.pop()!;
      inherited = union(p.items[i]!.own, inherited, intern);
      sets[i] = inherited;
      state[i] = 2;
    }
  }

  const rank = (objectives: AlignmentConfig['objectives']) => (i: number) => [objectives[i]?.priority ?? Number.MAX_SAFE_INTEGER, i] as const;
  const objectiveRank = rank(config.objectives);
  const themeRank = (i: number) => [config.themes[i]?.priority ?? Number.MAX_SAFE_INTEGER, i] as const;
  const best = (candidates: number[], rankOf: (i: number) => readonly [number, number]): number => {
    let winner = NONE;
    for (const c of candidates) {
      if (winner === NONE) winner = c;
      else {
        const [pa, ia] = rankOf(c);
        const [pb, ib] = rankOf(winner);
        if (pa < pb || (pa === pb && ia < ib)) winner = c;
      }
    }
    return winner;
  };

  const objective = new Int32Array(n).fill(NONE);
  const theme = new Int32Array(n).fill(NONE);
  const keyResults: Array<readonly number[]> = new Array<readonly number[]>(n);
  // Sets are interned, so each distinct set is decided once and shared by every item holding it.
  const decided = new Map<readonly number[], { o: number; t: number; objectives: number[]; krs: readonly number[] }>();
  for (let i = 0; i < n; i++) {
    const set = sets[i]!;
    let d = decided.get(set);
    if (!d) {
      const objectives = set.filter((m) => m < objectiveCount);
      const o = best(objectives, objectiveRank);
      const themes = set.filter((m) => m >= objectiveCount && m < objectiveCount + themeCount).map((m) => m - objectiveCount);
      let t = best(themes, themeRank);
      if (t === NONE && o !== NONE) {
        const named = config.objectives[o]?.theme;
        t = named === undefined ? NONE : config.themes.findIndex((x) => x.id === named);
      }
      const krs = o === NONE ? EMPTY : set.filter((m) => m >= objectiveCount + themeCount && list[m]!.index === o);
      d = { o, t, objectives, krs: krs.length === 0 ? EMPTY : krs };
      decided.set(set, d);
    }
    objective[i] = d.o;
    theme[i] = d.t;
    keyResults[i] = d.krs;
  }

  // Conflict origins: an item that disagrees and whose parent does not disagree the same way.
  const origin = new Int32Array(n).fill(NONE);
  const affected = new Map<number, number>();
  const order = topological(parentIdx);
  for (const i of order) {
    const d = decided.get(sets[i]!)!;
    if (d.objectives.length < 2) continue;
    const pi = parentIdx[i]!;
    const inheritedSame = pi !== NONE && origin[pi] !== NONE && sets[pi] === sets[i];
    origin[i] = inheritedSame ? origin[pi]! : i;
    affected.set(origin[i]!, (affected.get(origin[i]!) ?? 0) + 1);
  }
  const conflicts: Conflict[] = [];
  for (const [i, count] of affected) {
    const d = decided.get(sets[i]!)!;
    conflicts.push({
      key: p.items[i]!.key,
      url: p.items[i]!.url,
      objectives: d.objectives.map((o) => config.objectives[o]!.id),
      winner: config.objectives[d.o]!.id,
      affected: count,
    });
  }
  conflicts.sort((a, b) => b.affected - a.affected || (a.key < b.key ? -1 : 1));

  const epic = new Int32Array(n).fill(NONE);
  for (const i of order) {
    if (p.items[i]!.typeCategory === 'epic') epic[i] = i;
    else if (parentIdx[i] !== NONE) epic[i] = epic[parentIdx[i]!]!;
  }

  const directMatches = new Array<number>(objectiveCount).fill(0);
  for (const it of p.items) for (const m of it.own) if (m < objectiveCount) directMatches[m]!++;

  return { objective, theme, keyResults, epic, conflicts, cycles, directMatches };
}

function union(own: readonly number[], inherited: readonly number[], intern: (v: number[]) => readonly number[]): readonly number[] {
  if (own.length === 0) return inherited;
  if (inherited.length === 0) return intern([...own]);
  const merged = [...new Set([...own, ...inherited])].sort((a, b) => a - b);
  return intern(merged);
}

/** Indices ordered so every parent comes before its children (the parent links are acyclic here). */
function topological(parentIdx: Int32Array): Int32Array {
  const n = parentIdx.length;
  const depth = new Int32Array(n).fill(-1);
  const path: number[] = [];
  let maxDepth = 0;
  for (let i = 0; i < n; i++) {
    let at = i;
    path.length = 0;
    while (at !== NONE && depth[at] === -1) {
      path.push(at);
      at = parentIdx[at]!;
    }
    let d = at === NONE ? -1 : depth[at]!;
    for (let k = path.length - 1; k >= 0; k--) depth[path[k]!] = ++d;
    if (d > maxDepth) maxDepth = d;
  }
  // Counting sort by depth.
  const starts = new Int32Array(maxDepth + 2);
  for (let i = 0; i < n; i++) starts[depth[i]! + 1]!++;
  for (let d = 1; d < starts.length; d++) starts[d]! += starts[d - 1]!;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[starts[depth[i]!]!++] = i;
  return order;
}
