import * as z from 'zod';

/**
 * The JSON Schema (draft 2020-12) of what may be written in the config file: the input side of the
 * zod schema, so defaulted keys are optional. Descriptions from `.describe()` / `.meta()` are kept;
 * parts JSON Schema cannot express (transforms, custom checks) are left open.
 */
export function configJsonSchema(schema: z.ZodType): object {
  const generated = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  const { $schema: _schema, title: _title, ...rest } = generated;
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'pmo-bot configuration', ...rest };
}
