/** One small error class with a stable `code`; the CLI maps codes to exit codes. */
export type ErrorCode =
  | 'USAGE'
  | 'CONFIG_INVALID'
  | 'DB_LOCKED'
  | 'DB_NOT_SQLITE'
  | 'DB_OPEN_FAILED'
  | 'DB_TOO_NEW'
  | 'EXTERNAL_HOST'
  | 'UNKNOWN_SOURCE'
  | 'INTERNAL';

export class PmoError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PmoError';
    this.code = code;
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
