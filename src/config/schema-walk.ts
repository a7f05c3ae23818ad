import type * as z from 'zod';
import type { PathSegment } from './located.ts';

/**
 * Reads zod v4 internals (`schema._zod.def`) to find which schema applies at a path of the input,
 * e.g. to list the keys an object accepts for "did you mean" hints. Best effort: an unknown schema
 * kind simply yields no candidates.
 */

type Schema = z.core.$ZodType;

/** Wrappers whose inner schema sees the same input. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);
const MAX_UNWRAP = 32;

/** The concrete schemas (objects, arrays, records, scalars, …) that may apply at `path`. */
export function schemasAt(schema: Schema, path: readonly PathSegment[], data: unknown): Schema[] {
  let value = data;
  let candidates = expand(schema, value);
  for (const segment of path) {
    value = childValue(value, segment);
    const next: Schema[] = [];
    for (const candidate of candidates) {
      const inner = childSchema(candidate, segment);
      if (inner !== undefined) next.push(...expand(inner, value));
    }
    candidates = [...new Set(next)];
    if (candidates.length === 0) break;
  }
  return candidates;
}

/** The keys that the object schemas among `schemas` declare, in declaration order. */
export function declaredKeys(schemas: readonly Schema[]): string[] {
  const keys = new Set<string>();
  for (const schema of schemas) {
    const def = defOf(schema);
    if (def.type === 'object') for (const key of Object.keys(def.shape)) keys.add(key);
  }
  return [...keys];
}

function defOf(schema: Schema): z.core.$ZodTypes['_zod']['def'] {
  return (schema as z.core.$ZodTypes)._zod.def;
}

function expand(schema: Schema, value: unknown, depth = 0): Schema[] {
  if (depth > MAX_UNWRAP) return [];
  const def = defOf(schema);
  if (WRAPPERS.has(def.type) && 'innerType' in def) return expand(def.innerType, value, depth + 1);
  switch (def.type) {
    case 'pipe':
      return expand(def.in, value, depth + 1);
    case 'lazy':
      return expand(def.getter(), value, depth + 1);
    case 'intersection':
      return [...expand(def.left, value, depth + 1), ...expand(def.right, value, depth + 1)];
    case 'union':
      return unionOptions(def, value).flatMap((option) => expand(option, value, depth + 1));
    default:
      return [schema];
  }
}

/** For a discriminated union, the option whose discriminator matches the input; else every option. */
function unionOptions(def: z.core.$ZodUnionDef, value: unknown): readonly Schema[] {
  const discriminator = 'discriminator' in def && typeof def.discriminator === 'string' ? def.discriminator : undefined;
  if (discriminator === undefined || typeof value !== 'object' || value === null) return def.options;
  const tag = (value as Record<string, unknown>)[discriminator];
  const matching = def.options.filter((option) => option._zod.propValues?.[discriminator]?.has(tag as z.core.util.Primitive));
  return matching.length > 0 ? matching : def.options;
}

function childSchema(schema: Schema, segment: PathSegment): Schema | undefined {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      if (typeof segment !== 'symbol' && Object.hasOwn(def.shape, segment)) return def.shape[String(segment)];
      const catchall = def.catchall;
      return catchall !== undefined && defOf(catchall).type !== 'never' ? catchall : undefined;
    }
    case 'array':
      return def.element;
    case 'record':
    case 'map':
      return def.valueType;
    case 'tuple': {
      const index = Number(segment);
      return def.items[index] ?? def.rest ?? undefined;
    }
    default:
      return undefined;
  }
}

function childValue(value: unknown, segment: PathSegment): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) return value[Number(segment)];
  return typeof segment === 'symbol' ? undefined : (value as Record<string, unknown>)[String(segment)];
}
