import type { WorkItem } from '../model/work-item.ts';

/**
 * The objective mapping the rules need (`objectives[].match` in config): a small, pure matcher so
 * `objective-link-required` does not depend on the alignment module. An item counts for an objective
 * it or any ancestor matches.
 */
export interface ObjectiveMatch {
  /** Epic (or any ancestor) native keys, e.g. `PAY-100` or Azure DevOps ids. */
  epics?: string[] | undefined;
  labels?: string[] | undefined;
  projects?: string[] | undefined;
  components?: string[] | undefined;
  /** Azure DevOps area paths; an item under a path (or the path itself) matches. */
  areaPaths?: string[] | undefined;
}

export interface ObjectiveSpec {
  id: string;
  title: string;
  match: ObjectiveMatch;
}

const AREA_FIELDS = ['System.AreaPath', 'areaPath'];

function areaPathOf(item: WorkItem): string | null {
  for (const f of AREA_FIELDS) {
    const v = item.fields[f];
    if (typeof v === 'string' && v !== '') return v;
  }
  return null;
}

function underPath(path: string, prefix: string): boolean {
  const p = path.toLowerCase();
  const q = prefix.toLowerCase().replace(/\\+$/, '');
  return p === q || p.startsWith(`${q}\\`);
}

/** The first objective the item itself matches (not looking at ancestors), or null. */
export function directObjective(objectives: readonly ObjectiveSpec[], item: WorkItem): string | null {
  for (const o of objectives) {
    const m = o.match;
    if (m.epics?.includes(item.nativeKey)) return o.id;
    if (m.labels?.some((l) => item.labels.includes(l))) return o.id;
    if (m.projects?.includes(item.project)) return o.id;
    if (m.components?.some((c) => item.components.includes(c))) return o.id;
    const area = m.areaPaths ? areaPathOf(item) : null;
    if (area !== null && m.areaPaths!.some((p) => underPath(area, p))) return o.id;
  }
  return null;
}

/** The item's ancestors' keys to try, nearest first: parent, then epic. */
export function ancestorKeys(item: Pick<WorkItem, 'parentKey' | 'epicKey'>): string[] {
  const out: string[] = [];
  if (item.parentKey !== null) out.push(item.parentKey);
  if (item.epicKey !== null && item.epicKey !== item.parentKey) out.push(item.epicKey);
  return out;
}

type AncestorLookup = (key: string) => { objective: string | null; next: string[] } | undefined;

/**
 * The objective an item maps to through itself or its ancestors, with `ancestor` answering the
 * walk (from memory or the store).
 */
export function objectiveOf(objectives: readonly ObjectiveSpec[], item: WorkItem, ancestor: AncestorLookup): string | null {
  return directObjective(objectives, item) ?? objectiveViaAncestors(item.key, ancestorKeys(item), ancestor);
}

/** The first objective found walking up from `start` (breadth first); depth-capped against cycles. */
export function objectiveViaAncestors(self: string, start: string[], ancestor: AncestorLookup, maxDepth = 8): string | null {
  let frontier = start;
  const seen = new Set<string>([self]);
  for (let depth = 0; depth < maxDepth && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const key of frontier) {
      if (seen.has(key)) continue;
      seen.add(key);
      const a = ancestor(key);
      if (!a) continue;
      if (a.objective !== null) return a.objective;
      next.push(...a.next);
    }
    frontier = next;
  }
  return null;
}
