import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type * as z from 'zod';
import { ConfigError, formatPath, sortProblems, type ConfigProblem } from './errors.ts';
import { readSourceTree } from './include.ts';
import { interpolateTree } from './interpolate.ts';
import { issuesToProblems, problemAt } from './issues.ts';
import { lookup, positionOf, toPlain, type LocatedNode, type Position } from './located.ts';

export interface LoadOptions<T> {
  schema: z.ZodType<T>;
  /** Variables for `${VAR}` interpolation; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** Extra checks after zod succeeds, may return problems with a path array. */
  refine?: (value: T) => Array<{ path: (string | number)[]; message: string }>;
}

export interface LoadedConfig<T> {
  value: T;
  /** Every file read: the main file first, then includes in merge order (absolute paths). */
  files: string[];
  /** Every string that came from ${VAR} interpolation, for log redaction. */
  interpolatedSecrets: string[];
  /** Where a key path was written; the nearest existing ancestor when the YAML lacks it. */
  locate(path: (string | number)[]): { file: string; line: number; column: number };
}

/**
 * Reads, merges (`include:`), interpolates (`${VAR}`) and validates a YAML config.
 * Synchronous; throws a ConfigError listing every problem found, sorted by file then line.
 */
export function loadConfig<T>(file: string, options: LoadOptions<T>): LoadedConfig<T> {
  const main = resolve(file);
  const source = readSourceTree(main, (f) => readFileSync(f, 'utf8'));
  const fallback: Position = { file: main, line: 1, column: 1 };
  // Structural problems (syntax, includes) make the tree unreliable: report them alone.
  if (source.problems.length > 0) throw new ConfigError(sortProblems(source.problems, source.files));

  const root: LocatedNode = source.root ?? { kind: 'map', pos: fallback, entries: new Map() };
  const interpolation = interpolateTree(root, options.env ?? process.env);
  const data = toPlain(root);
  const problems: ConfigProblem[] = [...interpolation.problems];
  const failed = new Set(interpolation.failed.map((path) => formatPath(path)));

  const parsed = options.schema.safeParse(data);
  if (!parsed.success) {
    const ctx = { schema: options.schema, data, root, fallback };
    // A string that failed interpolation is already reported; its knock-on schema errors are noise.
    problems.push(...issuesToProblems(parsed.error.issues, ctx).filter((p) => !failed.has(p.path)));
  } else if (problems.length === 0 && options.refine) {
    for (const extra of options.refine(parsed.data)) problems.push(problemAt({ root, fallback }, extra.path, extra.message));
  }
  if (!parsed.success && problems.length === 0) problems.push({ ...fallback, path: '', message: 'invalid configuration' });
  if (problems.length > 0 || !parsed.success) throw new ConfigError(sortProblems(problems, source.files));

  return {
    value: parsed.data,
    files: source.files,
    interpolatedSecrets: interpolation.secrets,
    locate: (path) => positionOf(lookup(root, path), fallback),
  };
}

export interface ResolveConfigPathArgs {
  flag?: string | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
  bundledDefault: string;
}

/**
 * Which config file to load: `--config`, else `$PMO_BOT_CONFIG`, else `<cwd>/config/pmo-bot.yaml`
 * when it exists, else the bundled example. Relative paths resolve against `cwd`; empty values count
 * as not given.
 */
export function resolveConfigPath(args: ResolveConfigPathArgs): { path: string; origin: 'flag' | 'env' | 'default' | 'bundled' } {
  if (args.flag !== undefined && args.flag !== '') return { path: resolve(args.cwd, args.flag), origin: 'flag' };
  const fromEnv = args.env['PMO_BOT_CONFIG'];
  if (fromEnv !== undefined && fromEnv !== '') return { path: resolve(args.cwd, fromEnv), origin: 'env' };
  const local = resolve(args.cwd, 'config', 'pmo-bot.yaml');
  if (existsSync(local)) return { path: local, origin: 'default' };
  return { path: resolve(args.cwd, args.bundledDefault), origin: 'bundled' };
}
