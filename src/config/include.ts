import { dirname, relative, resolve } from 'node:path';
import { formatPath, type ConfigProblem } from './errors.ts';
import type { LocatedEntry, LocatedMap, LocatedNode, Position } from './located.ts';
import { parseYaml } from './yaml-source.ts';

export interface SourceTree {
  /** The merged tree; undefined when the main file is empty or unreadable. */
  root: LocatedNode | undefined;
  /** Every file read, main file first, then includes depth-first in include order. */
  files: string[];
  problems: ConfigProblem[];
}

export type ReadText = (file: string) => string;

interface Loader {
  read: ReadText;
  files: string[];
  problems: ConfigProblem[];
}

/**
 * Reads `file` and, recursively, the files named by its top-level `include:` (a path or a list of
 * paths, relative to the including file). Merge order: a file's own content first, then each include
 * (with its own includes) in order. Top-level lists are concatenated; top-level mappings are merged
 * key by key where the earlier file keeps its keys; for anything else the earlier file wins. A file
 * reached twice through different includes is read once; a cycle is a problem.
 */
export function readSourceTree(file: string, read: ReadText): SourceTree {
  const main = resolve(file);
  const loader: Loader = { read, files: [], problems: [] };
  let text: string;
  try {
    text = read(main);
  } catch (error) {
    loader.problems.push({ file: main, line: 1, column: 1, path: '', message: `cannot read the config file: ${describeReadError(error)}` });
    return { root: undefined, files: [], problems: loader.problems };
  }
  const root = loadFile(loader, main, text, [main]);
  return { root, files: loader.files, problems: loader.problems };
}

function loadFile(loader: Loader, file: string, text: string, stack: string[]): LocatedNode | undefined {
  loader.files.push(file);
  const parsed = parseYaml(file, text);
  loader.problems.push(...parsed.problems);
  const root = parsed.root;
  if (root?.kind !== 'map') return root;
  const include = root.entries.get('include');
  if (include === undefined) return root;
  root.entries.delete('include');
  for (const ref of includeRefs(loader, include)) {
    const target = resolve(dirname(file), ref.path);
    if (stack.includes(target)) {
      const cycle = [...stack.slice(stack.indexOf(target)), target].map((f) => shortName(f, file)).join(' -> ');
      loader.problems.push({ ...ref.pos, path: ref.key, message: `include cycle: ${cycle}` });
      continue;
    }
    if (loader.files.includes(target)) continue;
    let included: string;
    try {
      included = loader.read(target);
    } catch (error) {
      loader.problems.push({ ...ref.pos, path: ref.key, message: `cannot read included file "${ref.path}": ${describeReadError(error)}` });
      continue;
    }
    const child = loadFile(loader, target, included, [...stack, target]);
    if (child === undefined) continue;
    if (child.kind !== 'map') {
      loader.problems.push({ ...child.pos, path: '', message: 'an included file must be a mapping of top-level keys' });
      continue;
    }
    mergeInto(loader, root, child);
  }
  return root;
}

interface IncludeRef {
  /** As written in the config. */
  path: string;
  /** Rendered key path of the entry, `include` or `include[1]`. */
  key: string;
  pos: Position;
}

function includeRefs(loader: Loader, entry: LocatedEntry): IncludeRef[] {
  const node = entry.node;
  const items = node.kind === 'seq' ? node.items : [node];
  const refs: IncludeRef[] = [];
  for (const [i, item] of items.entries()) {
    const key = node.kind === 'seq' ? `include[${i}]` : 'include';
    if (item.kind === 'scalar' && typeof item.value === 'string' && item.value !== '') {
      refs.push({ path: item.value, key, pos: item.pos });
      continue;
    }
    const pos = node.kind === 'seq' ? item.pos : entry.keyPos;
    const message = node.kind === 'seq' ? 'expected a file path' : 'include expects a file path or a list of file paths';
    loader.problems.push({ ...pos, path: key, message });
  }
  return refs;
}

function mergeInto(loader: Loader, target: LocatedMap, source: LocatedMap): void {
  for (const [key, incoming] of source.entries) {
    const existing = target.entries.get(key);
    if (existing === undefined) {
      target.entries.set(key, incoming);
      continue;
    }
    const a = existing.node;
    const b = incoming.node;
    if (a.kind === 'seq' && b.kind === 'seq') {
      existing.node = { kind: 'seq', pos: a.pos, items: [...a.items, ...b.items] };
    } else if (a.kind === 'map' && b.kind === 'map') {
      for (const [subKey, subEntry] of b.entries) {
        if (!a.entries.has(subKey)) a.entries.set(subKey, subEntry);
      }
    } else if (a.kind !== 'scalar' && b.kind !== 'scalar') {
      loader.problems.push({
        ...incoming.keyPos,
        path: formatPath([key]),
        message: `cannot merge "${key}": a ${kindName(b)} here, a ${kindName(a)} in ${shortName(a.pos.file, incoming.keyPos.file)}`,
      });
    }
  }
}

function kindName(node: LocatedNode): string {
  return node.kind === 'map' ? 'mapping' : node.kind === 'seq' ? 'list' : 'single value';
}

/** `file` as written relative to the file that mentions it. */
function shortName(file: string, from: string): string {
  return relative(dirname(from), file);
}

function describeReadError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return error instanceof Error ? error.message : String(error);
}
