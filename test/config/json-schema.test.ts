import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/config/json-schema.ts';
import { StandInConfig } from './stand-in-schema.ts';

interface JsonSchemaObject {
  $schema?: string;
  title?: string;
  description?: string;
  type?: string;
  properties?: Record<string, JsonSchemaObject & { default?: unknown }>;
  required?: string[];
  additionalProperties?: unknown;
}

describe('configJsonSchema', () => {
  it('describes the input side of the schema as draft 2020-12', () => {
    const schema = configJsonSchema(StandInConfig) as JsonSchemaObject;

    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toBe('pmo-bot configuration');
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties ?? {})).toEqual(['timezone', 'storage', 'sources', 'slack', 'schedules', 'methodology', 'rules', 'objectives']);
    // defaulted keys are optional to write
    expect(schema.required).toEqual(['sources', 'slack']);
  });

  it('keeps descriptions and defaults', () => {
    const schema = configJsonSchema(StandInConfig) as JsonSchemaObject;

    expect(schema.description).toBe('stand-in for the pmo-bot configuration');
    expect(schema.properties?.['timezone']).toEqual({ type: 'string', default: 'UTC', description: 'IANA time zone for schedules and reports' });
    expect(schema.properties?.['slack']?.additionalProperties).toBe(false);
  });

  it('leaves parts JSON Schema cannot express open instead of failing', () => {
    const schema = configJsonSchema(z.strictObject({ when: z.date(), n: z.string().transform((s) => s.length) })) as JsonSchemaObject;

    expect(schema.properties?.['when']).toEqual({});
    expect(schema.properties?.['n']).toEqual({ type: 'string' });
  });
});
