import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AdoIteration, AdoRevisionBatch, AdoWorkItem } from '../../../connectors/azure-devops/schema.ts';
import { fixture, type ProcessName } from './fake-ado.ts';
import { GRACE, PAT, config, connector, makeFake, route, story, sync, useNock } from './helpers.ts';

/**
 * Fixtures and the fake's replies checked against Microsoft's own 7.1 REST specs
 * (/work/shared/reference/ado, MicrosoftDocs/vsts-rest-api-specs): every property must be one the
 * spec declares, with the declared type, format and enum. A small Swagger 2.0 checker: `$ref`,
 * `allOf`, objects, arrays, primitives, enums, date-time and uuid formats.
 */

const REF = '/work/shared/reference/ado';
type Schema = Record<string, unknown>;
interface Spec {
  definitions: Record<string, Schema>;
  paths: Record<string, Record<string, { parameters?: Array<{ name?: string; in?: string; $ref?: string }> }>>;
}
const load = (path: string): Spec => JSON.parse(readFileSync(`${REF}/${path}`, 'utf8').replace(/^\uFEFF/, '')) as Spec;
const WIT = load('wit/7.1/workItemTracking.json');
const WORK = load('work/7.1/work.json');

/** The spec's own `x-ms-examples` replies. */
const example = (path: string): { responses: { '200': { body: unknown } } } => JSON.parse(readFileSync(`${REF}/${path}`, 'utf8').replace(/^\uFEFF/, '')) as never;

function check(spec: Spec, value: unknown, schema: Schema, at: string, errors: string[]): void {
  if (value === null || value === undefined) return;
  if (typeof schema['$ref'] === 'string') {
    const name = decodeURIComponent(schema['$ref'].replace('#/definitions/', ''));
    const def = spec.definitions[name];
    if (!def) return void errors.push(`${at}: unknown definition ${name}`);
    return check(spec, value, def, at, errors);
  }
  const parts = [schema, ...((schema['allOf'] as Schema[] | undefined) ?? []).map((s) => resolve(spec, s))];
  const props: Record<string, Schema> = {};
  for (const p of parts) Object.assign(props, (p['properties'] as Record<string, Schema> | undefined) ?? {});
  for (const p of parts) for (const parent of (p['allOf'] as Schema[] | undefined) ?? []) Object.assign(props, collect(spec, parent));
  const enumValues = schema['enum'] as unknown[] | undefined;
  if (enumValues && !enumValues.includes(value)) return void errors.push(`${at}: ${JSON.stringify(value)} is not one of ${enumValues.join(', ')}`);
  const type = schema['type'] as string | undefined;
  if (type === 'array') {
    if (!Array.isArray(value)) return void errors.push(`${at}: expected an array`);
    value.forEach((v, i) => check(spec, v, (schema['items'] as Schema | undefined) ?? {}, `${at}[${i}]`, errors));
    return;
  }
  if (type === 'string') {
    if (typeof value !== 'string') return void errors.push(`${at}: expected a string, got ${typeof value}`);
    if (schema['format'] === 'date-time' && Number.isNaN(Date.parse(value))) errors.push(`${at}: not a date-time`);
    if (schema['format'] === 'uuid' && !/^[0-9a-f-]{36}$/i.test(value)) errors.push(`${at}: not a uuid`);
    return;
  }
  if (type === 'integer' && !Number.isInteger(value)) return void errors.push(`${at}: expected an integer`);
  if (type === 'boolean' && typeof value !== 'boolean') return void errors.push(`${at}: expected a boolean`);
  if (type === 'object' || Object.keys(props).length > 0) {
    // `{type: object}` with nothing declared is the spec's "any value" (field values, attributes).
    if (Object.keys(props).length === 0 && !schema['additionalProperties']) return;
    if (typeof value !== 'object' || Array.isArray(value)) return void errors.push(`${at}: expected an object`);
    const extra = schema['additionalProperties'] as Schema | undefined;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (props[k]) check(spec, v, props[k], `${at}.${k}`, errors);
      else if (extra) check(spec, v, extra, `${at}.${k}`, errors);
      // `_links` is a plain map on the wire; the spec models it as ReferenceLinks{links}.
      else if (k !== '_links') errors.push(`${at}: property "${k}" is not in the spec`);
    }
  }
}

function resolve(spec: Spec, s: Schema): Schema {
  return typeof s['$ref'] === 'string' ? (spec.definitions[decodeURIComponent(s['$ref'].replace('#/definitions/', ''))] ?? {}) : s;
}

function collect(spec: Spec, s: Schema): Record<string, Schema> {
  const r = resolve(spec, s);
  const out: Record<string, Schema> = { ...((r['properties'] as Record<string, Schema> | undefined) ?? {}) };
  for (const parent of (r['allOf'] as Schema[] | undefined) ?? []) Object.assign(out, collect(spec, parent));
  return out;
}

function errorsOf(spec: Spec, definition: string, value: unknown): string[] {
  const errors: string[] = [];
  check(spec, value, { $ref: `#/definitions/${definition}` }, definition, errors);
  return errors;
}

describe('fixtures against the official 7.1 specs', () => {
  it('the checker catches what it should', () => {
    expect(errorsOf(WIT, 'WorkItem', { id: 'x', rev: 1, fields: {}, bogus: 1 })).toEqual(['WorkItem.id: expected an integer', 'WorkItem: property "bogus" is not in the spec']);
    expect(errorsOf(WIT, 'WorkItemStateColor', { name: 'Active', category: 'InProgress', colour: 'x' })).toEqual(['WorkItemStateColor: property "colour" is not in the spec']);
    expect(errorsOf(WORK, 'TeamIterationAttributes', { timeFrame: 'now' })).toEqual(['TeamIterationAttributes.timeFrame: "now" is not one of past, current, future']);
  });

  it.each(['agile', 'scrum', 'cmmi', 'basic', 'inherited'] as ProcessName[])('%s process metadata: WorkItemType and WorkItemTypeCategory', (name) => {
    const f = fixture<{ types: unknown[]; categories: unknown[] }>(`processes/${name}.json`);

    expect(f.types.flatMap((t) => errorsOf(WIT, 'WorkItemType', t))).toEqual([]);
    expect(f.categories.flatMap((c) => errorsOf(WIT, 'WorkItemTypeCategory', c))).toEqual([]);
  });

  it('every state category in the fixtures is one of the five Azure Boards categories', () => {
    const categories = new Set<unknown>();
    for (const name of ['agile', 'scrum', 'cmmi', 'basic', 'inherited']) {
      for (const t of fixture<{ types: Array<{ states: Array<{ category: string }> }> }>(`processes/${name}.json`).types) for (const s of t.states) categories.add(s.category);
    }
    expect([...categories].sort()).toEqual(['Completed', 'InProgress', 'Proposed', 'Removed', 'Resolved']);
  });

  it("the connector's readers accept Microsoft's own example replies", () => {
    const feed = example('wit/7.1/httpExamples/workItemRevisions/GET__wit_reporting_workItemRevisions.json').responses['200'].body;
    const batch = example('wit/7.1/httpExamples/workItemsBatch/POST__wit_WorkItemsBatch_ids-_ids__fields-_columns_.json').responses['200'].body as { value: unknown[] };
    const expanded = example('wit/7.1/httpExamples/workItems/GET__wit_WorkItems_ids-_ids___expand-all.json').responses['200'].body as { value: unknown[] };
    const iteration = example('work/7.1/httpExamples/iterations/GET__work_teamsettings_iterations__iterationId_.json').responses['200'].body;

    expect(AdoRevisionBatch.parse(feed).values).toHaveLength(3);
    for (const v of AdoRevisionBatch.parse(feed).values ?? []) expect(AdoWorkItem.safeParse(v).success).toBe(true);
    for (const v of [...batch.value, ...expanded.value]) expect(AdoWorkItem.safeParse(v).success).toBe(true);
    expect(AdoIteration.parse(iteration)).toMatchObject({ name: expect.any(String) });
  });
});

describe('the fake against the official 7.1 specs', () => {
  useNock();

  it('feed, batch, WIQL, iterations, team areas and comments are spec-shaped; requests use declared parameters', async () => {
    const fake = makeFake();
    route(fake);
    const epic = fake.create('Fabrikam', { 'System.WorkItemType': 'Epic', 'System.Title': 'E' });
    const id = story(fake);
    fake.update(id, { 'System.State': 'Active' }, { by: GRACE });
    fake.link(id, 'System.LinkTypes.Hierarchy-Reverse', epic, 'Parent');
    const c = connector(config());
    await sync(c, undefined);
    await c.writeBack!(String(id), { field: 'comment', value: 'hi' });
    const reply = (method: string, path: RegExp, body: unknown = null) => {
      const r = fake.requests.find((x) => x.method === method && path.test(x.path))!;
      const sent = typeof r.body === 'string' || r.body === undefined ? r.body : JSON.stringify(r.body);
      return JSON.parse(fake.handle(method, `${fake.basePath}${r.path}?${r.query.toString()}`, { authorization: `Basic ${Buffer.from(`PAT:${PAT}`).toString('base64')}` }, body ?? sent).body) as Record<string, unknown>;
    };

    const feed = reply('GET', /workItemRevisions$/);
    const batch = reply('POST', /workItemsBatch$/);
    const wiql = reply('POST', /wiql$/);
    const iterations = reply('GET', /teamsettings\/iterations$/);
    const areas = reply('GET', /teamfieldvalues$/);
    const comment = reply('POST', /comments$/);

    expect(errorsOf(WIT, 'StreamedBatch', { ...feed, values: [] })).toEqual([]);
    expect((feed['values'] as unknown[]).flatMap((v) => errorsOf(WIT, 'WorkItem', v))).toEqual([]);
    expect((batch['value'] as unknown[]).flatMap((v) => errorsOf(WIT, 'WorkItem', v))).toEqual([]);
    expect(errorsOf(WIT, 'WorkItemQueryResult', wiql)).toEqual([]);
    expect((iterations['value'] as unknown[]).flatMap((v) => errorsOf(WORK, 'TeamSettingsIteration', v))).toEqual([]);
    expect(errorsOf(WORK, 'TeamFieldValues', areas)).toEqual([]);
    expect(errorsOf(WIT, 'Comment', comment)).toEqual([]);
    const sentBatch = fake.requests.find((r) => r.method === 'POST' && /workItemsBatch$/.test(r.path))!.body;
    expect(errorsOf(WIT, 'WorkItemBatchGetRequest', sentBatch)).toEqual([]);
    expect(sentBatch).toMatchObject({ $expand: 'relations', errorPolicy: 'omit' });
    expect(errorsOf(WIT, 'Wiql', fake.requests.find((r) => /wiql$/.test(r.path))!.body)).toEqual([]);
    const declared = (WIT.paths['/{organization}/{project}/_apis/wit/reporting/workitemrevisions']!['get']!.parameters ?? []).map((p) => p.name);
    const sent = [...fake.requests.find((r) => /workItemRevisions$/.test(r.path))!.query.keys()];
    expect(sent.filter((k) => !declared.includes(k) && k !== 'api-version')).toEqual([]);
  });
});
