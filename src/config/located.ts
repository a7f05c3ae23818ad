/**
 * The configuration as a tree of values that remember where they were written (file, line, column),
 * so that merged includes and interpolated strings can still be traced back to their source.
 */

export interface Position {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export type LocatedNode = LocatedMap | LocatedSeq | LocatedScalar;

export interface LocatedMap {
  kind: 'map';
  pos: Position;
  entries: Map<string, LocatedEntry>;
}

export interface LocatedEntry {
  keyPos: Position;
  node: LocatedNode;
}

export interface LocatedSeq {
  kind: 'seq';
  pos: Position;
  items: LocatedNode[];
}

export interface LocatedScalar {
  kind: 'scalar';
  pos: Position;
  value: unknown;
  /** True once `${VAR}` interpolation has put environment text into the value: never echo it. */
  interpolated: boolean;
  /** The scalar as written (quotes, escapes, block header included) and its YAML style, for positions inside the value. */
  raw?: { text: string; style: string } | undefined;
}

export type PathSegment = PropertyKey;

export interface Lookup {
  /** How many leading path segments exist in the tree. */
  depth: number;
  /** The node reached after `depth` segments (the root when depth is 0). */
  node: LocatedNode | undefined;
  /** The key position when the node reached is the value of a map entry. */
  keyPos: Position | undefined;
}

/** Follows `path` as far as the tree allows. */
export function lookup(root: LocatedNode | undefined, path: readonly PathSegment[]): Lookup {
  let node = root;
  let keyPos: Position | undefined;
  let depth = 0;
  for (const segment of path) {
    if (node === undefined) break;
    const next = child(node, segment);
    if (next === undefined) break;
    node = next.node;
    keyPos = next.keyPos;
    depth++;
  }
  return { depth, node, keyPos };
}

/**
 * Where a reader should look for the node `lookup` reached: a scalar's own text, or the key that
 * introduces a collection or an empty value (a block collection starts on the line below its key).
 */
export function positionOf(found: Lookup, fallback: Position): Position {
  const { node, keyPos } = found;
  if (node === undefined) return fallback;
  if (keyPos !== undefined && (node.kind !== 'scalar' || node.value === null)) return keyPos;
  return node.pos;
}

/** The plain JavaScript value of a tree (maps become objects, sequences arrays). */
export function toPlain(node: LocatedNode | undefined): unknown {
  if (node === undefined) return undefined;
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const [key, entry] of node.entries) {
    // defineProperty so that a `__proto__` key stays an ordinary (and, for zod, unknown) key
    Object.defineProperty(out, key, { value: toPlain(entry.node), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function child(node: LocatedNode, segment: PathSegment): { node: LocatedNode; keyPos: Position | undefined } | undefined {
  if (node.kind === 'map') {
    if (typeof segment === 'symbol') return undefined;
    const entry = node.entries.get(String(segment));
    return entry === undefined ? undefined : { node: entry.node, keyPos: entry.keyPos };
  }
  if (node.kind === 'seq') {
    const index = typeof segment === 'number' ? segment : typeof segment === 'string' && /^\d+$/.test(segment) ? Number(segment) : -1;
    const item = node.items[index];
    return item === undefined ? undefined : { node: item, keyPos: undefined };
  }
  return undefined;
}
