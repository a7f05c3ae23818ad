import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectorDefinitions } from '../connectors/api.ts';
import { builtInRules } from '../rules/api.ts';
import { configJsonSchema } from '../src/config/json-schema.ts';
import { loadConfig } from '../src/config/load.ts';
import { ConfigSchema } from '../src/config/schema.ts';

const ROOT = resolve(import.meta.dirname, '..');

describe('registries and generated files stay in step with the tree', () => {
  it('registers every connector folder, under its folder name', () => {
    const folders = readdirSync(join(ROOT, 'connectors'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();

    expect(connectorDefinitions.map((c) => c.kind).sort()).toEqual(folders);
  });

  it('registers every rule file, sorted, with the file name as its id', () => {
    const files = readdirSync(join(ROOT, 'rules'))
      .filter((f) => f.endsWith('.ts') && f !== 'api.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();

    expect(builtInRules.map((r) => r.meta.id)).toEqual(files);
  });

  it('every rule has a test that names it', () => {
    const tests = readdirSync(join(ROOT, 'test/rules'))
      .map((f) => readFileSync(join(ROOT, 'test/rules', f), 'utf8'))
      .join('\n');

    for (const rule of builtInRules) expect(tests, rule.meta.id).toContain(`'${rule.meta.id}'`);
  });

  it('ships the JSON Schema the example config points editors at, up to date', () => {
    const example = readFileSync(join(ROOT, 'config/pmo-bot.example.yaml'), 'utf8');
    const shipped = JSON.parse(readFileSync(join(ROOT, 'config/pmo-bot.schema.json'), 'utf8')) as unknown;

    expect(example.split('\n')[0]).toBe('# yaml-language-server: $schema=./pmo-bot.schema.json');
    expect(shipped, 'regenerate with: node bin/pmo-bot.js config schema > config/pmo-bot.schema.json').toEqual(configJsonSchema(ConfigSchema));
  });

  it('the example config is valid', () => {
    const loaded = loadConfig(join(ROOT, 'config/pmo-bot.example.yaml'), { schema: ConfigSchema, env: {} });

    expect(loaded.value.sources.map((s) => s.kind)).toContain('sample');
  });
});
