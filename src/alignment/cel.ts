import { Environment } from '@marcbachmann/cel-js';
import type { WorkItem } from '../model/work-item.ts';
import { errorMessage } from '../util/errors.ts';

/**
 * CEL matching sits behind this small interface so the alignment module does not depend on how
 * (or by which library) CEL is evaluated elsewhere; a shared evaluator can be plugged in later.
 */
export interface CelPredicate {
  /** True when the expression yields `true`; any other value, or an evaluation error, is false. */
  (item: WorkItem): boolean;
}

export interface CelCompiler {
  /** Parses an expression over `item`; throws CelSyntaxError on a malformed one. */
  compile(expression: string): CelPredicate;
}

export class CelSyntaxError extends Error {
  constructor(expression: string, detail: string) {
    super(`invalid CEL expression ${JSON.stringify(expression)}: ${detail}`);
    this.name = 'CelSyntaxError';
  }
}

/** Runtime failures (a missing key, a type mismatch) per expression, so a report can name them. */
export interface CelErrorTally {
  count: number;
  first: string | null;
}

/** The default compiler on @marcbachmann/cel-js; `item` is the WorkItem as stored (a CEL map). */
export function createCelCompiler(errors?: Map<string, CelErrorTally>): CelCompiler {
  const env = new Environment({ homogeneousAggregateLiterals: false }).registerVariable('item', 'map');
  return {
    compile(expression) {
      let program: (ctx: Record<string, unknown>) => unknown;
      try {
        program = env.parse(expression);
      } catch (err) {
        throw new CelSyntaxError(expression, firstLine(errorMessage(err)));
      }
      return (item) => {
        try {
          return program({ item }) === true;
        } catch (err) {
          if (errors) {
            const tally = errors.get(expression) ?? { count: 0, first: null };
            tally.count++;
            tally.first ??= `${item.key}: ${firstLine(errorMessage(err))}`;
            errors.set(expression, tally);
          }
          return false;
        }
      };
    },
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
