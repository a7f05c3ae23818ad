import type { WorkItem } from '../model/work-item.ts';
import type { CelCompiler, CelPredicate } from './cel.ts';
import type { AlignmentMatch } from './config.ts';

/** A compiled `match:` block: a predicate over an item's own attributes, plus its epic keys. */
export interface CompiledMatch {
  /** True when the item itself meets any criterion (inheritance is the hierarchy's job). */
  item(item: WorkItem): boolean;
  /** True when a key (of an item or of an ancestor that is not stored) is one of the `epics`. */
  key(key: string): boolean;
}

export function compileMatch(match: AlignmentMatch, cel: CelCompiler): CompiledMatch {
  const epics = new Set(match.epics ?? []);
  const labels = new Set(match.labels ?? []);
  const tags = new Set((match.tags ?? []).map((t) => t.toLowerCase()));
  const components = new Set(match.components ?? []);
  const projects = new Set(match.projects ?? []);
  const teams = new Set(match.teams ?? []);
  const areas = (match.areaPaths ?? []).map(normalisePath);
  const expr: CelPredicate | undefined = match.cel === undefined ? undefined : cel.compile(match.cel);

  const key = (k: string): boolean => epics.size > 0 && (epics.has(k) || epics.has(nativePart(k)));
  return {
    key,
    item(item) {
      if (epics.size > 0 && (epics.has(item.key) || epics.has(item.nativeKey))) return true;
      if (labels.size > 0 && item.labels.some((l) => labels.has(l))) return true;
      if (tags.size > 0 && itemTags(item).some((t) => tags.has(t))) return true;
      if (components.size > 0 && item.components.some((c) => components.has(c))) return true;
      if (projects.size > 0 && projects.has(item.project)) return true;
      if (teams.size > 0 && item.team !== null && teams.has(item.team)) return true;
      if (areas.length > 0) {
        const path = areaPathOf(item);
        if (path !== null && areas.some((a) => path === a || path.startsWith(a + '\\'))) return true;
      }
      return expr !== undefined && expr(item);
    },
  };
}

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
