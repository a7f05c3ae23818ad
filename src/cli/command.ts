import { PmoError } from '../util/errors.ts';
import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  positionals: string[];
}

/** A CLI command: its help text, its flags, and what it does (returns the exit code). */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Longer help: what it prints, examples. */
  details?: string;
  options: OptionSpec;
  run(args: ParsedArgs): Promise<number>;
}

/** Flags every command takes. */
export const COMMON_OPTIONS: OptionSpec = {
  config: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h' },
};

export const JSON_OPTION: OptionSpec = { json: { type: 'boolean' } };

export function str(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** A whole-number flag within bounds (its default when absent); anything else is a usage error. */
export function intFlag(args: ParsedArgs, name: string, bounds: { min: number; max: number; fallback: number }): number {
  const text = str(args, name);
  if (text === undefined) return bounds.fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < bounds.min || n > bounds.max) {
    throw new PmoError('USAGE', `--${name} must be a whole number from ${bounds.min} to ${bounds.max}, got "${text}"`);
  }
  return n;
}
