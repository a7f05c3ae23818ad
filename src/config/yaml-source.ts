import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YamlNode, YAMLError } from 'yaml';
import { formatPath, type ConfigProblem } from './errors.ts';
import type { LocatedNode, PathSegment, Position } from './located.ts';

export interface ParsedYaml {
  /** undefined for an empty document. */
  root: LocatedNode | undefined;
  problems: ConfigProblem[];
}

/** Aliases may fan out exponentially ("billion laughs"); no real config comes near this. */
const MAX_NODES = 100_000;

/**
 * Parses one YAML file into a located tree. Syntax errors (unclosed quotes, bad indentation, tabs,
 * duplicate keys, several documents) become problems at the parser's position; when there are any,
 * `root` is still returned but should not be trusted.
 */
export function parseYaml(file: string, text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const pos = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const problems = yamlErrors(doc, file, pos);
  const builder: Builder = { doc, file, text, pos, problems, budget: MAX_NODES, open: new Set() };
  const root = doc.contents === null ? undefined : build(builder, doc.contents, []);
  return { root, problems };
}

interface Builder {
  doc: Document.Parsed;
  file: string;
  text: string;
  pos: (offset: number) => Position;
  problems: ConfigProblem[];
  budget: number;
  /** Collections being built, so an alias that points into its own ancestor is caught. */
  open: Set<YamlNode>;
}

function build(b: Builder, node: YamlNode, path: PathSegment[]): LocatedNode {
  const here = b.pos(node.range?.[0] ?? 0);
  if (--b.budget < 0) {
    if (b.budget === -1) {
      b.problems.push({ ...here, path: formatPath(path), message: `the document expands to more than ${MAX_NODES} values (aliases?)` });
    }
    return { kind: 'scalar', pos: here, value: null, interpolated: false };
  }
  if (isAlias(node)) {
    const target = node.resolve(b.doc);
    if (target === undefined || b.open.has(target)) {
      const why = target === undefined ? 'unknown alias' : 'alias refers to a collection that contains it:';
      b.problems.push({ ...here, path: formatPath(path), message: `${why} *${node.source}` });
      return { kind: 'scalar', pos: here, value: null, interpolated: false };
    }
    return build(b, target, path);
  }
  if (!isMap(node) && !isSeq(node)) {
    if (!isScalar(node)) return { kind: 'scalar', pos: here, value: null, interpolated: false };
    const range = node.range;
    const raw = range && typeof node.value === 'string' ? { text: b.text.slice(range[0], range[1]), style: String(node.type ?? 'PLAIN') } : undefined;
    return { kind: 'scalar', pos: here, value: node.value, interpolated: false, ...(raw ? { raw } : {}) };
  }
  b.open.add(node);
  try {
    return buildCollection(b, node, path, here);
  } finally {
    b.open.delete(node);
  }
}

function buildCollection(b: Builder, node: YamlNode, path: PathSegment[], here: Position): LocatedNode {
  if (isMap(node)) {
    const entries = new Map<string, { keyPos: Position; node: LocatedNode }>();
    for (const pair of node.items) {
      const keyNode = pair.key;
      const keyPos = isScalar(keyNode) || isMap(keyNode) || isSeq(keyNode) ? b.pos(keyNode.range?.[0] ?? 0) : here;
      if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
        b.problems.push({ ...keyPos, path: formatPath(path), message: 'keys must be plain text' });
        continue;
      }
      const key = String(keyNode.value);
      const valueNode = pair.value;
      const value: LocatedNode = isScalar(valueNode) || isMap(valueNode) || isSeq(valueNode) || isAlias(valueNode)
        ? build(b, valueNode, [...path, key])
        : { kind: 'scalar', pos: keyPos, value: null, interpolated: false };
      entries.set(key, { keyPos, node: value });
    }
    return { kind: 'map', pos: here, entries };
  }
  if (isSeq(node)) {
    const items: LocatedNode[] = [];
    for (const item of node.items) {
      if (isScalar(item) || isMap(item) || isSeq(item) || isAlias(item)) items.push(build(b, item, [...path, items.length]));
      else items.push({ kind: 'scalar', pos: here, value: null, interpolated: false });
    }
    return { kind: 'seq', pos: here, items };
  }
  return { kind: 'scalar', pos: here, value: null, interpolated: false };
}

function yamlErrors(doc: Document.Parsed, file: string, pos: (offset: number) => Position): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const error of doc.errors) {
    // An unclosed quote swallows the rest of the file: whatever the parser says after it is noise.
    if (problems.some((p) => p.message.startsWith('unclosed quoted string'))) break;
    const problem = yamlProblem(doc, error, file, pos);
    // The parser often reports one mistake twice at the same spot (e.g. bad indentation).
    const at = `${problem.line}:${problem.column}`;
    if (seen.has(at)) continue;
    seen.add(at);
    problems.push(problem);
  }
  return problems;
}

function yamlProblem(doc: Document.Parsed, error: YAMLError, file: string, pos: (offset: number) => Position): ConfigProblem {
  const offset = error.pos[0];
  const where = error.linePos?.[0] ? { file, line: error.linePos[0].line, column: error.linePos[0].col } : pos(offset);
  const path = pathAtOffset(doc.contents, offset);
  switch (error.code) {
    case 'MISSING_CHAR': {
      const open = /quote/i.test(error.message) ? unclosedQuote(doc.contents, offset) : undefined;
      if (open !== undefined) {
        return { ...pos(open.start), path: formatPath(open.path), message: `unclosed quoted string: missing the closing ${open.quote}` };
      }
      break;
    }
    case 'DUPLICATE_KEY': {
      const key = path.at(-1);
      const name = key === undefined ? '' : ` "${String(key)}"`;
      return { ...where, path: formatPath(path), message: `duplicate key${name} (a key may appear only once in a mapping)` };
    }
    case 'TAB_AS_INDENT':
      return { ...where, path: formatPath(path), message: 'tab used for indentation (YAML indentation must use spaces)' };
    case 'MULTIPLE_DOCS':
      return { ...where, path: '', message: 'a config file holds one YAML document; remove the extra "---"' };
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return { ...where, path: formatPath(path), message: `${readable(error.message)} (check the indentation of this line and the next)` };
    default:
      break;
  }
  return { ...where, path: formatPath(path), message: readable(error.message) };
}

/** First line of a parser message, without its own position and with a lower-case start. */
function readable(message: string): string {
  const first = (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?\s*$/, '').trim();
  if (/^[A-Z][a-z]/.test(first)) return first[0]?.toLowerCase() + first.slice(1);
  return first;
}

/** The key path of the deepest node whose source range holds `offset`. */
function pathAtOffset(node: unknown, offset: number, path: PathSegment[] = []): PathSegment[] {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const keyRange = pair.key.range;
      const value = pair.value;
      const end = (isScalar(value) || isMap(value) || isSeq(value) || isAlias(value)) && value.range ? value.range[2] : keyRange?.[2];
      if (keyRange === undefined || keyRange === null || end === undefined) continue;
      if (offset < keyRange[0] || offset > end) continue;
      const next = [...path, String(pair.key.value)];
      return offset >= keyRange[2] ? pathAtOffset(value, offset, next) : next;
    }
  }
  if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const item = node.items[i];
      const range = (isScalar(item) || isMap(item) || isSeq(item)) ? item.range : undefined;
      if (range && offset >= range[0] && offset <= range[2]) return pathAtOffset(item, offset, [...path, i]);
    }
  }
  return path;
}

interface OpenQuote {
  start: number;
  quote: string;
  path: PathSegment[];
}

/** The quoted scalar that runs up to `offset`, where the parser noticed the quote was never closed. */
function unclosedQuote(node: unknown, offset: number, path: PathSegment[] = []): OpenQuote | undefined {
  if (isScalar(node)) {
    const range = node.range;
    if (range && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && range[0] < offset && range[2] >= offset) {
      return { start: range[0], quote: node.type === 'QUOTE_DOUBLE' ? '"' : "'", path };
    }
    return undefined;
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      const found = unclosedQuote(pair.key, offset, path) ?? unclosedQuote(pair.value, offset, [...path, key]);
      if (found) return found;
    }
  }
  if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const found = unclosedQuote(node.items[i], offset, [...path, i]);
      if (found) return found;
    }
  }
  return undefined;
}
