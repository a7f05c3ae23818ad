/**
 * A small structured logger on stderr: a static message plus a metadata object, never a secret.
 * `LOG_FORMAT=json` (or a non-TTY stderr with `LOG_FORMAT` unset and `CI` set) prints JSON lines.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogMeta = Record<string, unknown>;

export interface Logger {
  debug(meta: LogMeta | string, msg?: string): void;
  info(meta: LogMeta | string, msg?: string): void;
  warn(meta: LogMeta | string, msg?: string): void;
  error(meta: LogMeta | string, msg?: string): void;
  child(bindings: LogMeta): Logger;
  /** Values that must never be printed (tokens, passwords); replaced by `[redacted]`. */
  addSecrets(values: Iterable<string>): void;
  level: LogLevel;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: 'pretty' | 'json';
  write?: (line: string) => void;
  secrets?: Iterable<string>;
}

const SECRET_WORDS = /token|secret|password|passwd|api_?key|authorization|cookie/i;

/**
 * Whether a key names a credential: token-like words anywhere, or a personal access token (`pat`,
 * `ado_pat`, `adoPat`). Whole-word for `pat`, so `path` or `pattern` are not mistaken for one.
 */
export function isSecretKey(key: string): boolean {
  return SECRET_WORDS.test(key) || /(^|[_-])pat$/i.test(key) || /[a-z0-9]Pat$/.test(key);
}

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = new Set<string>();
  for (const s of options.secrets ?? []) if (s.length >= 4) secrets.add(s);
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const format = options.format ?? (process.env['LOG_FORMAT'] === 'json' ? 'json' : 'pretty');
  const state = { level: options.level ?? 'info' };
  return build({}, state, secrets, write, format);
}

function build(
  bindings: LogMeta,
  state: { level: LogLevel },
  secrets: Set<string>,
  write: (line: string) => void,
  format: 'pretty' | 'json',
): Logger {
  const emit = (level: Exclude<LogLevel, 'silent'>, metaOrMsg: LogMeta | string, msg?: string): void => {
    if (RANK[level] < RANK[state.level]) return;
    const meta = typeof metaOrMsg === 'string' ? {} : metaOrMsg;
    const message = typeof metaOrMsg === 'string' ? metaOrMsg : (msg ?? '');
    const all = redactObject({ ...bindings, ...meta }, secrets);
    const text = redactText(message, secrets);
    if (format === 'json') {
      write(JSON.stringify({ time: new Date().toISOString(), level, msg: text, ...all }));
      return;
    }
    const pairs = Object.entries(all)
      .map(([k, v]) => `${k}=${formatValue(v)}`)
      .join(' ');
    write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${text}${pairs ? '  ' + pairs : ''}`);
  };
  return {
    get level() {
      return state.level;
    },
    set level(l: LogLevel) {
      state.level = l;
    },
    debug: (m, s) => emit('debug', m, s),
    info: (m, s) => emit('info', m, s),
    warn: (m, s) => emit('warn', m, s),
    error: (m, s) => emit('error', m, s),
    child: (more) => build({ ...bindings, ...more }, state, secrets, write, format),
    addSecrets(values) {
      for (const v of values) if (v.length >= 4) secrets.add(v);
    },
  };
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return /\s/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

export function redactText(text: string, secrets: Set<string>): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
  return out;
}

function redactObject(meta: LogMeta, secrets: Set<string>): LogMeta {
  const out: LogMeta = {};
  for (const [k, v] of Object.entries(meta)) out[k] = redactValue(k, v, secrets, 0);
  return out;
}

function redactValue(key: string, v: unknown, secrets: Set<string>, depth: number): unknown {
  if (isSecretKey(key) && v !== null && v !== undefined && v !== '') return '[redacted]';
  if (typeof v === 'string') return redactText(v, secrets);
  if (v instanceof Error) return redactText(v.message, secrets);
  if (depth > 4 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => redactValue('', x, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = redactValue(k, x, secrets, depth + 1);
  return out;
}

/** A logger that drops everything; for tests and library use. */
export function silentLogger(): Logger {
  return createLogger({ level: 'silent', write: () => undefined });
}
