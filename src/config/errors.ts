import { isAbsolute, relative, sep } from 'node:path';

/** One thing wrong with the configuration, always with the place it was found. */
export interface ConfigProblem {
  /** Absolute path of the YAML file. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Rendered key path such as `sources[0].auth.email`; '' for the document root. */
  path: string;
  message: string;
}

/** Every problem found in a configuration, all at once; `message` lists them one per line. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** `file:line:col  path  message`, the file relative to the working directory when inside it. */
export function formatProblem(p: ConfigProblem): string {
  return `${displayFile(p.file)}:${p.line}:${p.column}  ${p.path === '' ? '(root)' : p.path}  ${p.message}`;
}

/** Renders a key path the way a reader writes it: `sources[0].auth.email`, `rules.stale-in-progress`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'symbol') out += `[${String(segment)}]`;
    else if (/^[A-Za-z0-9_$-]+$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/**
 * Drops exact duplicates and orders problems by file (in the order given, main file first; files not
 * listed after them by name), then line, then column.
 */
export function sortProblems(problems: readonly ConfigProblem[], fileOrder: readonly string[] = []): ConfigProblem[] {
  const seen = new Set<string>();
  const unique: ConfigProblem[] = [];
  for (const p of problems) {
    const id = JSON.stringify([p.file, p.line, p.column, p.path, p.message]);
    if (seen.has(id)) continue;
    seen.add(id);
    unique.push(p);
  }
  const rank = (file: string): number => {
    const i = fileOrder.indexOf(file);
    return i === -1 ? fileOrder.length : i;
  };
  // Array.prototype.sort is stable, so problems at the same position keep their discovery order.
  return unique.sort(
    (a, b) =>
      rank(a.file) - rank(b.file) ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column,
  );
}

export function displayFile(file: string): string {
  const rel = relative(process.cwd(), file);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return file;
  return rel;
}
