/**
 * A small JSON-Schema / OpenAPI 3.0 validator for checking fixtures against the official specs:
 * `$ref`, `type`, `properties`, `required`, `additionalProperties`, `items`, `allOf`, `anyOf`,
 * `oneOf`, `enum`, `nullable`, `minItems`, `minLength`. Enough to catch a fixture that invents a
 * key, misses a required one or has the wrong type; formats and numeric ranges are not checked.
 */

type Schema = Record<string, unknown>;

export interface Drift {
  /** A schema (`IssueLink`) or property (`ChangeDetails.from`) where the live API departs from the spec. */
  at: string;
  /** The live API sends null where the spec has a plain type. */
  allowNull?: true;
  /** Required keys the live API leaves out. */
  optional?: string[];
}

export function createValidator(root: Schema, drifts: readonly Drift[] = []) {
  const allowNull = new Set(drifts.filter((d) => d.allowNull).map((d) => d.at));
  const optional = new Map(drifts.filter((d) => d.optional).map((d) => [d.at, new Set(d.optional)]));

  function resolve(ref: string): { schema: Schema; name: string } {
    if (!ref.startsWith('#/')) throw new Error(`external $ref not supported: ${ref}`);
    let node: unknown = root;
    for (const part of ref.slice(2).split('/')) node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (!node || typeof node !== 'object') throw new Error(`unresolved $ref ${ref}`);
    return { schema: node as Schema, name: ref.split('/').pop() ?? ref };
  }

  function typeOf(v: unknown): string {
    if (v === null) return 'null';
    if (Array.isArray(v)) return 'array';
    if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
    return typeof v;
  }

  function validate(value: unknown, schema: Schema, path: string, owner: string, errors: string[]): void {
    if (typeof schema['$ref'] === 'string') {
      const { schema: target, name } = resolve(schema['$ref']);
      return validate(value, target, path, name, errors);
    }
    if (value === null && (schema['nullable'] === true || allowNull.has(owner))) return;
    if (Array.isArray(schema['allOf'])) for (const s of schema['allOf'] as Schema[]) validate(value, s, path, owner, errors);
    for (const key of ['anyOf', 'oneOf'] as const) {
      const options = schema[key];
      if (!Array.isArray(options)) continue;
      const passing = (options as Schema[]).filter((s) => {
        const e: string[] = [];
        validate(value, s, path, owner, e);
        return e.length === 0;
      });
      if (passing.length === 0) errors.push(`${path}: matches none of ${key}`);
    }
    if (Array.isArray(schema['enum']) && !(schema['enum'] as unknown[]).includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
    const type = schema['type'];
    if (typeof type === 'string' || Array.isArray(type)) {
      const allowed = Array.isArray(type) ? (type as string[]) : [type];
      const actual = typeOf(value);
      const ok = allowed.some((t) => t === actual || (t === 'number' && actual === 'integer'));
      if (!ok) {
        errors.push(`${path}: expected ${allowed.join('|')}, got ${actual}`);
        return;
      }
    }
    if (typeof value === 'string' && typeof schema['minLength'] === 'number' && value.length < schema['minLength']) errors.push(`${path}: shorter than ${schema['minLength']}`);
    if (Array.isArray(value)) {
      if (typeof schema['minItems'] === 'number' && value.length < schema['minItems']) errors.push(`${path}: fewer than ${schema['minItems']} items`);
      const items = schema['items'];
      if (items && typeof items === 'object') value.forEach((v, i) => validate(v, items as Schema, `${path}[${i}]`, owner, errors));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const obj = value as Record<string, unknown>;
    const props = (schema['properties'] ?? {}) as Record<string, Schema>;
    for (const req of (schema['required'] ?? []) as string[]) if (!(req in obj) && !optional.get(owner)?.has(req)) errors.push(`${path}: missing required "${req}"`);
    for (const [k, v] of Object.entries(obj)) {
      const prop = props[k];
      if (prop) {
        if (v === null && allowNull.has(`${owner}.${k}`)) continue;
        validate(v, prop, `${path}.${k}`, `${owner}.${k}`, errors);
        continue;
      }
      const extra = schema['additionalProperties'];
      if (extra === false) errors.push(`${path}: unknown property "${k}"`);
      else if (extra && typeof extra === 'object') validate(v, extra as Schema, `${path}.${k}`, owner, errors);
    }
  }

  return {
    /** Errors of `value` against a schema or a `$ref` string. */
    check(value: unknown, schema: Schema | string): string[] {
      const errors: string[] = [];
      validate(value, typeof schema === 'string' ? { $ref: schema } : schema, '$', typeof schema === 'string' ? (schema.split('/').pop() ?? '') : '', errors);
      return errors;
    },
    /** The 200/201 JSON response schema of an operation. */
    response(path: string, method: string): Schema | null {
      const paths = root['paths'] as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: Schema; example?: string }> }> }>>;
      const op = paths[path]?.[method];
      if (!op) throw new Error(`no ${method.toUpperCase()} ${path} in the spec`);
      const res = op.responses['200'] ?? op.responses['201'];
      return res?.content?.['application/json']?.schema ?? null;
    },
    example(path: string, method: string): unknown {
      const paths = root['paths'] as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { example?: string }> }> }>>;
      const ex = paths[path]?.[method]?.responses['200']?.content?.['application/json']?.example;
      return ex === undefined ? undefined : JSON.parse(ex);
    },
  };
}
