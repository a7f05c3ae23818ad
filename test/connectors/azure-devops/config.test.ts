import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { connectorFor } from '../../../connectors/api.ts';
import { AzureDevOpsSourceConfig, sinceInstant } from '../../../connectors/azure-devops/schema.ts';
import { ConfigSchema } from '../../../src/config/schema.ts';

const base = { id: 'contoso-ado', kind: 'azure-devops', orgUrl: 'https://dev.azure.com/contoso/', auth: { pat: 'p' }, projects: ['Fabrikam'] };

describe('azure-devops source config', () => {
  it('applies defaults and trims the org URL', () => {
    expect(AzureDevOpsSourceConfig.parse(base)).toEqual({ ...base, orgUrl: 'https://dev.azure.com/contoso', blockedTag: 'Blocked', pageSize: 1000, maxRequests: 20_000, concurrency: 4, timeoutSeconds: 120 });
  });

  it.each([
    ['an unknown key', { ...base, project: ['x'] }],
    ['no projects', { ...base, projects: [] }],
    ['both pat and token', { ...base, auth: { pat: 'p', token: 't' } }],
    ['an empty pat', { ...base, auth: { pat: '' } }],
    ['a non-URL orgUrl', { ...base, orgUrl: 'contoso' }],
    ['a bad since', { ...base, since: 'last year' }],
    ['an unknown type category', { ...base, typeCategories: { Risk: 'danger' } }],
    ['concurrency 0', { ...base, concurrency: 0 }],
  ])('rejects %s', (_, input) => {
    expect(AzureDevOpsSourceConfig.safeParse(input).success).toBe(false);
  });

  it('describes every key', () => {
    for (const [key, schema] of Object.entries(AzureDevOpsSourceConfig.shape)) expect(schema.description, key).toBeTruthy();
  });

  it('is registered and accepted in a full config next to the demo', () => {
    const config = ConfigSchema.parse({ sources: [{ id: 'demo', kind: 'sample' }, { ...base, auth: { token: 't' }, since: '365d', areaPaths: ['Fabrikam\\Checkout'], estimateField: { 'User Story': 'Custom.Points' } }] });

    expect(connectorFor('azure-devops')?.kind).toBe('azure-devops');
    expect(config.sources.map((s) => s.kind)).toEqual(['sample', 'azure-devops']);
  });

  it('the commented-out source in the example config is valid once uncommented', () => {
    const example = readFileSync(new URL('../../../config/pmo-bot.example.yaml', import.meta.url), 'utf8').split('\n');
    const start = example.findIndex((l) => l.includes('# - id: contoso-ado'));
    const end = example.findIndex((l, i) => i > start && l.includes('timeoutSeconds'));
    const block = example
      .slice(start, end + 1)
      .map((l) => l.replace(/^  # /, ''))
      .filter((l) => !l.trimStart().startsWith('#'))
      .join('\n')
      .replace('${ADO_PAT}', 'pat-from-env');

    const parsed = AzureDevOpsSourceConfig.safeParse((parse(block) as unknown[])[0]);

    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(Object.keys(parsed.data ?? {}).sort()).toEqual(Object.keys(AzureDevOpsSourceConfig.shape).sort());
  });

  it.each([
    ['2025-01-01', '2025-01-01T00:00:00.000Z'],
    ['2025-01-01T12:00:00+02:00', '2025-01-01T10:00:00.000Z'],
    ['30d', '2026-10-22T09:00:00.000Z'],
  ])('since %s', (since, expected) => {
    expect(sinceInstant(since, new Date('2026-11-21T09:00:00Z'))?.toISOString()).toBe(expected);
  });
});
