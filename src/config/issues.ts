import type * as z from 'zod';
import { formatPath, type ConfigProblem } from './errors.ts';
import { lookup, positionOf, type LocatedNode, type PathSegment, type Position } from './located.ts';
import { positionInScalar } from './scalar-offset.ts';
import { declaredKeys, schemasAt } from './schema-walk.ts';
import { suggest } from './suggest.ts';

type Issue = z.core.$ZodIssue;

export interface IssueContext {
  schema: z.core.$ZodType;
  /** The value zod validated (plain JavaScript of `root`). */
  data: unknown;
  /** The located tree the value came from. */
  root: LocatedNode | undefined;
  /** Where to point when the tree has nothing better (the main file, 1:1). */
  fallback: Position;
}

/** Turns zod issues into located, reader-friendly problems (one per unknown key). */
export function issuesToProblems(issues: readonly Issue[], ctx: IssueContext): ConfigProblem[] {
  const sink: Sink = { problems: [], guessed: new Set(), missing: new Map() };
  for (const issue of issues) mapIssue(issue, [], ctx, sink);
  // `chanels:` written for `channels:` also makes `channels` missing; the did-you-mean says it all.
  return sink.problems.filter((p) => {
    const key = sink.missing.get(p);
    return key === undefined || !sink.guessed.has(key);
  });
}

interface Sink {
  problems: ConfigProblem[];
  /** `formatPath(objectPath + suggested key)` of every did-you-mean given for an unknown key. */
  guessed: Set<string>;
  /** "missing required key" problems, with `formatPath` of the missing key's path. */
  missing: Map<ConfigProblem, string>;
}

/** A problem about `path`, placed at its node or, when the YAML lacks it, at the nearest ancestor. */
export function problemAt(ctx: Pick<IssueContext, 'root' | 'fallback'>, path: readonly PathSegment[], message: string): ConfigProblem {
  return { ...positionOf(lookup(ctx.root, path), ctx.fallback), path: formatPath(path), message };
}

function mapIssue(issue: Issue, prefix: readonly PathSegment[], ctx: IssueContext, sink: Sink): void {
  const out = sink.problems;
  const path = [...prefix, ...issue.path];
  const at = (message: string, where: readonly PathSegment[] = path): ConfigProblem => {
    const problem = { ...positionOf(lookup(ctx.root, where), ctx.fallback), path: formatPath(where), message };
    out.push(problem);
    return problem;
  };
  const missing = isMissing(ctx, path);
  const parent = path.slice(0, -1);
  const key = path.at(-1);

  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = declaredKeys(schemasAt(ctx.schema, path, ctx.data));
      for (const unknown of issue.keys) {
        const keyPath = [...path, unknown];
        const found = lookup(ctx.root, keyPath);
        const pos = found.depth === keyPath.length && found.keyPos ? found.keyPos : positionOf(found, ctx.fallback);
        const guess = suggest(unknown, known);
        if (guess !== undefined) sink.guessed.add(formatPath([...path, guess]));
        out.push({ ...pos, path: formatPath(keyPath), message: unknownKey(unknown, known) });
      }
      return;
    }
    case 'invalid_key': {
      const found = lookup(ctx.root, path);
      const pos = found.depth === path.length && found.keyPos ? found.keyPos : positionOf(found, ctx.fallback);
      const allowed = issue.issues.flatMap((inner) => (inner.code === 'invalid_value' ? inner.values.map(String) : []));
      const message = allowed.length > 0
        ? unknownKey(String(key), allowed)
        : `invalid key "${String(key)}": ${issue.issues.map((inner) => lowerFirst(inner.message)).join('; ')}`;
      out.push({ ...pos, path: formatPath(path), message });
      return;
    }
    case 'invalid_union':
      mapUnion(issue, path, ctx, sink);
      return;
    case 'invalid_type':
      if (missing) {
        sink.missing.set(at(missingKey(key), parent), formatPath(path));
        return;
      }
      at(`expected ${typeName(issue.expected)}, got ${describe(nodeAt(ctx, path))}${quoteHint(issue.expected, nodeAt(ctx, path))}`);
      return;
    case 'invalid_value':
      if (missing) {
        sink.missing.set(at(`${missingKey(key)} (one of: ${issue.values.map(String).join(', ')})`, parent), formatPath(path));
        return;
      }
      at(allowedValues(issue.values, nodeAt(ctx, path)));
      return;
    case 'custom':
      // A schema's own check about a key itself (an unknown rule id) points at the key, not its value.
      if (issue.params?.['at'] === 'key') {
        const found = lookup(ctx.root, path);
        const pos = found.depth === path.length && found.keyPos ? found.keyPos : positionOf(found, ctx.fallback);
        out.push({ ...pos, path: formatPath(path), message: issue.message });
        return;
      }
      // A check about a place inside a string value (a CEL expression) points at that character.
      if (typeof issue.params?.['offset'] === 'number') {
        const node = nodeAt(ctx, path);
        if (node?.kind === 'scalar') {
          out.push({ ...positionInScalar(node, issue.params['offset']), path: formatPath(path), message: issue.message });
          return;
        }
      }
      at(messageFor(issue, nodeAt(ctx, path)));
      return;
    default:
      at(messageFor(issue, nodeAt(ctx, path)));
  }
}

function mapUnion(issue: z.core.$ZodIssueInvalidUnion, path: PathSegment[], ctx: IssueContext, sink: Sink): void {
  const at = (message: string, where: readonly PathSegment[] = path): ConfigProblem => {
    const problem = { ...positionOf(lookup(ctx.root, where), ctx.fallback), path: formatPath(where), message };
    sink.problems.push(problem);
    return problem;
  };
  if (issue.inclusive === false) {
    at('matches more than one of the allowed forms');
    return;
  }
  // A discriminated union whose tag matched no option: zod puts the tag key at the end of the path.
  if (issue.discriminator !== undefined && issue.errors.length === 0) {
    const options = (issue.options ?? []).map(String);
    if (isMissing(ctx, path)) {
      // No option was chosen, so no strict object reported the misspelt tag as unknown: say it here.
      const sibling = lookup(ctx.root, path.slice(0, -1)).node;
      const typo = sibling?.kind === 'map' ? suggest(issue.discriminator, sibling.entries.keys()) : undefined;
      const hint = typo === undefined ? '' : `; found "${typo}", a typo?`;
      at(`missing required key "${issue.discriminator}" (one of: ${options.join(', ')}${hint})`, path.slice(0, -1));
      return;
    }
    at(`${issue.discriminator} ${allowedValues(issue.options ?? [], nodeAt(ctx, path))}`);
    return;
  }
  const branch = bestBranch(issue.errors);
  if (branch !== undefined) {
    for (const inner of branch) mapIssue(inner, path, ctx, sink);
    return;
  }
  const node = nodeAt(ctx, path);
  if (node === undefined && isMissing(ctx, path)) {
    sink.missing.set(at(missingKey(path.at(-1)), path.slice(0, -1)), formatPath(path));
    return;
  }
  const forms = [...new Set(issue.errors.flatMap(expectations))];
  const values = issue.errors.flatMap((errors) => errors.flatMap((e) => (e.path.length === 0 && e.code === 'invalid_value' ? e.values : [])));
  at(`must be ${forms.length === 1 ? forms[0] : `one of: ${forms.join(', ')}`} (got ${describe(node)}${didYouMean(node, values)})`);
}

/**
 * The branch that got furthest: one that accepted the value's shape (no type or value mismatch at
 * the union itself), preferring one whose literal fields matched, then the one with fewest issues.
 * undefined when every branch rejected the value outright.
 */
function bestBranch(branches: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  const rejectsShape = (i: Issue): boolean =>
    i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value' || i.code === 'invalid_union');
  const shaped = branches.filter((issues) => !issues.some(rejectsShape));
  if (shaped.length === 0) return undefined;
  const tagged = shaped.filter((issues) => !issues.some((i) => i.path.length === 1 && i.code === 'invalid_value'));
  const pool = tagged.length > 0 ? tagged : shaped;
  let best = pool[0];
  for (const issues of pool) if (best === undefined || issues.length < best.length) best = issues;
  return best;
}

/** What a rejected branch wanted at the union itself: a type name or its literal values. */
function expectations(issues: readonly Issue[]): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    if (issue.path.length !== 0) continue;
    if (issue.code === 'invalid_type') out.push(typeName(issue.expected));
    else if (issue.code === 'invalid_value') out.push(...issue.values.map(String));
    else if (issue.code === 'invalid_union') out.push(...issue.errors.flatMap(expectations));
  }
  return out;
}

function unknownKey(key: string, known: readonly string[]): string {
  const guess = suggest(key, known);
  if (guess !== undefined) return `unknown key "${key}" (did you mean "${guess}"?)`;
  if (known.length > 0 && known.length <= 12) return `unknown key "${key}" (expected one of: ${known.join(', ')})`;
  return `unknown key "${key}"`;
}

function missingKey(key: PathSegment | undefined): string {
  return typeof key === 'number' ? `missing required item [${key}]` : `missing required key "${String(key)}"`;
}

function allowedValues(values: readonly unknown[], node: LocatedNode | undefined): string {
  const listed = values.map(String);
  const head = listed.length === 1 ? `must be ${listed[0]}` : `must be one of: ${listed.join(', ')}`;
  return `${head} (got ${describe(node)}${didYouMean(node, values)})`;
}

function didYouMean(node: LocatedNode | undefined, values: readonly unknown[]): string {
  if (node?.kind !== 'scalar' || typeof node.value !== 'string' || node.interpolated) return '';
  const guess = suggest(node.value, values.filter((v): v is string => typeof v === 'string'));
  return guess === undefined ? '' : `; did you mean "${guess}"?`;
}

/** Messages for the issue codes that need no knowledge of the surrounding document. */
function messageFor(issue: Issue, node?: LocatedNode): string {
  const got = node?.kind === 'scalar' ? ` (got ${describe(node)})` : '';
  switch (issue.code) {
    case 'too_small':
      return `${bound('at least', 'more than', issue.minimum, issue.inclusive, issue.exact, issue.origin)}${got}`;
    case 'too_big':
      return `${bound('at most', 'less than', issue.maximum, issue.inclusive, issue.exact, issue.origin)}${got}`;
    case 'invalid_format':
      return `${formatMessage(issue)}${got}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}${got}`;
    default:
      return lowerFirst(issue.message === 'Invalid input' ? 'invalid value' : issue.message);
  }
}

function bound(
  inclusiveWord: string,
  exclusiveWord: string,
  limit: number | bigint,
  inclusive: boolean | undefined,
  exact: boolean | undefined,
  origin: string,
): string {
  const word = exact ? 'exactly' : inclusive === false ? exclusiveWord : inclusiveWord;
  const n = Number(limit);
  switch (origin) {
    case 'array':
    case 'set':
      if (inclusiveWord === 'at least' && n === 1 && !exact && inclusive !== false) return 'must not be empty';
      return `must have ${word} ${limit} item${n === 1 ? '' : 's'}`;
    case 'string':
      if (inclusiveWord === 'at least' && n === 1 && !exact && inclusive !== false) return 'must not be empty';
      return `must be ${word} ${limit} character${n === 1 ? '' : 's'} long`;
    case 'date':
      return `must be ${inclusiveWord === 'at least' ? 'on or after' : 'on or before'} ${new Date(n).toISOString()}`;
    default:
      return `must be ${word} ${limit}`;
  }
}

const FORMATS: Record<string, string> = {
  url: 'a valid URL',
  email: 'a valid email address',
  uuid: 'a UUID',
  guid: 'a GUID',
  datetime: 'an ISO date-time such as 2025-01-31T09:00:00Z',
  date: 'a date such as 2025-01-31',
  time: 'a time such as 09:00',
  duration: 'an ISO duration such as P1D',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  hostname: 'a host name',
};

function formatMessage(issue: z.core.$ZodIssueInvalidStringFormat): string {
  if (issue.format === 'regex' && issue.pattern !== undefined) return `must match the pattern ${issue.pattern}`;
  if (issue.format === 'starts_with' && 'prefix' in issue) return `must start with "${String(issue.prefix)}"`;
  if (issue.format === 'ends_with' && 'suffix' in issue) return `must end with "${String(issue.suffix)}"`;
  if (issue.format === 'includes' && 'includes' in issue) return `must include "${String(issue.includes)}"`;
  return `must be ${FORMATS[issue.format] ?? `a valid ${issue.format}`}`;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  bigint: 'an integer',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  map: 'a mapping',
  array: 'a list',
  tuple: 'a list',
  set: 'a list',
  date: 'a date',
  null: 'null',
  undefined: 'nothing',
  nan: 'NaN',
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

function quoteHint(expected: string, node: LocatedNode | undefined): string {
  if (expected !== 'string' || node?.kind !== 'scalar') return '';
  return typeof node.value === 'number' || typeof node.value === 'boolean' ? ' (put it in quotes to make it text)' : '';
}

/** How a value reads in a message; text that came from the environment is never echoed. */
function describe(node: LocatedNode | undefined): string {
  if (node === undefined) return 'nothing';
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  const value = node.value;
  if (value === null || value === undefined) return 'an empty value';
  if (typeof value === 'string') {
    if (node.interpolated) return 'a value from the environment';
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return `a ${typeof value}`;
}

function nodeAt(ctx: IssueContext, path: readonly PathSegment[]): LocatedNode | undefined {
  const found = lookup(ctx.root, path);
  return found.depth === path.length ? found.node : undefined;
}

/** The last key of `path` is absent from an existing mapping (or list) in the YAML. */
function isMissing(ctx: IssueContext, path: readonly PathSegment[]): boolean {
  if (path.length === 0) return false;
  const found = lookup(ctx.root, path);
  if (found.depth !== path.length - 1) return false;
  return found.node === undefined ? found.depth === 0 : found.node.kind !== 'scalar';
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]?.toLowerCase() + text.slice(1) : text;
}
