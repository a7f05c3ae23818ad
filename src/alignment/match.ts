import type { WorkItem } from '../model/work-item.ts';
import type { CelCompiler, CelPredicate } from './cel.ts';
import type { AlignmentMatch } from './config.ts';

/** `demo:PAY-1` → `PAY-1`; a key without a source prefix is returned unchanged. */
function nativePart(key: string): string {
  const at = key.indexOf(':');
  return at < 0 ? key : key.slice(at + 1);
}

/** Azure DevOps area path as the sample and ADO connectors store it (`System.AreaPath`, `areaPath`). */
export function areaPathOf(item: WorkItem): string | null {
  const raw = item.fields['System.AreaPath'] ?? item.fields['areaPath'];
  return typeof raw === 'string' && raw !== '' ? normalisePath(raw) : null;
}

function normalisePath(path: string): string {
  return path.replaceAll('/', '\\').replace(/\\+$/, '').toLowerCase();
}

/** Tags case-insensitively: ADO `System.Tags` ("a; b") and the normalised labels. */
function itemTags(item: WorkItem): string[] {
  const out = item.labels.map((l) => l.toLowerCase());
  const raw = item.fields['System.Tags'];
  if (typeof raw === 'string') for (const t of raw.split(';')) if (t.trim()) out.push(t.trim().toLowerCase());
  return out;
}

/**
 * Many `match:` blocks at once, indexed by value: an item is looked up by its own labels, tags,
 * components, project, team, keys and area path (and its ancestors' paths), so the cost per item
 * does not grow with the number of objectives. CEL expressions are evaluated per item.
 */
export interface MatchIndex {
  /** Indices (ascending) of the blocks the item meets by its own attributes. */
  own(item: WorkItem): number[];
  /** Indices of the blocks whose `epics` name this key (an ancestor that is not stored). */
  key(key: string): number[];
}

export function buildMatchIndex(blocks: ReadonlyArray<AlignmentMatch | null>, cel: CelCompiler): MatchIndex {
  const epics = new Map<string, number[]>();
  const labels = new Map<string, number[]>();
  const tags = new Map<string, number[]>();
  const components = new Map<string, number[]>();
  const projects = new Map<string, number[]>();
  const teams = new Map<string, number[]>();
  const areas = new Map<string, number[]>();
  const expressions: Array<{ i: number; test: CelPredicate }> = [];
  const put = (map: Map<string, number[]>, key: string, i: number) => {
    const list = map.get(key);
    if (!list) map.set(key, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  blocks.forEach((m, i) => {
    if (m === null) return;
    for (const k of m.epics ?? []) put(epics, k, i);
    for (const l of m.labels ?? []) put(labels, l, i);
    for (const t of m.tags ?? []) put(tags, t.toLowerCase(), i);
    for (const c of m.components ?? []) put(components, c, i);
    for (const p of m.projects ?? []) put(projects, p, i);
    for (const t of m.teams ?? []) put(teams, t, i);
    for (const a of m.areaPaths ?? []) put(areas, normalisePath(a), i);
    if (m.cel !== undefined) expressions.push({ i, test: cel.compile(m.cel) });
  });
  const hasTags = tags.size > 0;
  const hasAreas = areas.size > 0;

  const keyHits = (k: string, out: Set<number>) => {
    for (const i of epics.get(k) ?? []) out.add(i);
    const native = nativePart(k);
    if (native !== k) for (const i of epics.get(native) ?? []) out.add(i);
  };
  return {
    key(k) {
      if (epics.size === 0) return [];
      const out = new Set<number>();
      keyHits(k, out);
      return [...out].sort((a, b) => a - b);
    },
    own(item) {
      const out: number[] = [];
      const add = (hits: readonly number[] | undefined) => {
        if (hits !== undefined) for (const i of hits) out.push(i);
      };
      if (epics.size > 0) {
        add(epics.get(item.key));
        add(epics.get(item.nativeKey));
      }
      for (const l of item.labels) add(labels.get(l));
      if (hasTags) for (const t of itemTags(item)) add(tags.get(t));
      for (const c of item.components) add(components.get(c));
      add(projects.get(item.project));
      if (item.team !== null) add(teams.get(item.team));
      if (hasAreas) {
        // The path itself and every path above it: Fabrikam\Checkout\Wallets, Fabrikam\Checkout, Fabrikam.
        for (let p = areaPathOf(item); p !== null; p = parentPath(p)) add(areas.get(p));
      }
      for (const e of expressions) if (!out.includes(e.i) && e.test(item)) out.push(e.i);
      if (out.length < 2) return out;
      return [...new Set(out)].sort((a, b) => a - b);
    },
  };
}

function parentPath(path: string): string | null {
  const at = path.lastIndexOf('\\');
  return at <= 0 ? null : path.slice(0, at);
}
