import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { textToAdf } from '../../../connectors/jira/adf.ts';
import { fixture } from './helpers.ts';
import { createValidator, type Drift } from './openapi.ts';

/**
 * Every fixture against the official spec of its endpoint (reference/jira: the Jira Cloud platform
 * v3 OpenAPI, the Jira Software OpenAPI and the ADF JSON schema). Data Center v2 answers are checked
 * against the v3 spec's schema of the same operation (`/search` is the v2 search's v3 twin).
 */

const REFERENCE = '/work/shared/reference/jira/';
const load = (file: string) => JSON.parse(readFileSync(REFERENCE + file, 'utf8')) as Record<string, unknown>;

// Where the live API departs from the spec, seen in the captured payloads of reference/fixtures/devlake-jira:
// changelog items carry null for "no value" though the spec types them as plain strings.
// The IssueLink schema doubles as the create-link request and requires both ends; an issue's own
// links carry only the other end (inwardIssue or outwardIssue), as in those payloads.
const DRIFTS: Drift[] = [
  ...['from', 'fromString', 'to', 'toString'].map((k): Drift => ({ at: `ChangeDetails.${k}`, allowNull: true })),
  { at: 'IssueLink', optional: ['inwardIssue', 'outwardIssue'] },
];

const platform = createValidator(load('swagger-v3.v3.json'), DRIFTS);
const software = createValidator(load('software-swagger.v3.json'));
const adf = createValidator(load('adf-schema-v1-full.json'));

const OPERATIONS: Array<[string, 'platform' | 'software', string, string]> = [
  ['cloud/field.json', 'platform', 'get', '/rest/api/3/field'],
  ['cloud/search-page-1.json', 'platform', 'post', '/rest/api/3/search/jql'],
  ['cloud/search-page-2.json', 'platform', 'post', '/rest/api/3/search/jql'],
  ['cloud/search-incremental.json', 'platform', 'post', '/rest/api/3/search/jql'],
  ['cloud/search-empty.json', 'platform', 'post', '/rest/api/3/search/jql'],
  ['cloud/search-ids.json', 'platform', 'post', '/rest/api/3/search/jql'],
  ['cloud/search-malformed.json', 'platform', 'post', '/rest/api/3/search/jql'],
  ['cloud/bulk-changelog.json', 'platform', 'post', '/rest/api/3/changelog/bulkfetch'],
  ['cloud/status.json', 'platform', 'get', '/rest/api/3/status'],
  ['cloud/myself.json', 'platform', 'get', '/rest/api/3/myself'],
  ['cloud/server-info.json', 'platform', 'get', '/rest/api/3/serverInfo'],
  ['cloud/mypermissions-PAY.json', 'platform', 'get', '/rest/api/3/mypermissions'],
  ['cloud/mypermissions-WEB.json', 'platform', 'get', '/rest/api/3/mypermissions'],
  ['cloud/user-search.json', 'platform', 'get', '/rest/api/3/user/search'],
  ['cloud/issue-description.json', 'platform', 'get', '/rest/api/3/issue/{issueIdOrKey}'],
  ['cloud/boards-PAY.json', 'software', 'get', '/rest/agile/1.0/board'],
  ['cloud/board-1-configuration.json', 'software', 'get', '/rest/agile/1.0/board/{boardId}/configuration'],
  ['datacenter/field.json', 'platform', 'get', '/rest/api/3/field'],
  ['datacenter/search-page-1.json', 'platform', 'get', '/rest/api/3/search'],
  ['datacenter/search-page-2.json', 'platform', 'get', '/rest/api/3/search'],
  ['datacenter/changelog-OPS-1-0.json', 'platform', 'get', '/rest/api/3/issue/{issueIdOrKey}/changelog'],
  ['datacenter/changelog-OPS-1-2.json', 'platform', 'get', '/rest/api/3/issue/{issueIdOrKey}/changelog'],
  ['datacenter/status.json', 'platform', 'get', '/rest/api/3/status'],
  ['datacenter/myself.json', 'platform', 'get', '/rest/api/3/myself'],
  ['datacenter/server-info.json', 'platform', 'get', '/rest/api/3/serverInfo'],
];

/** Issue fields with a schema of their own in the spec (IssueBean.fields itself is free-form). */
const FIELD_SCHEMAS: Record<string, string> = {
  status: '#/components/schemas/StatusDetails',
  issuetype: '#/components/schemas/IssueTypeDetails',
  priority: '#/components/schemas/Priority',
  assignee: '#/components/schemas/UserDetails',
};
const ARRAY_FIELD_SCHEMAS: Record<string, string> = {
  issuelinks: '#/components/schemas/IssueLink',
  fixVersions: '#/components/schemas/Version',
  components: '#/components/schemas/ProjectComponent',
};

function fixtureFiles(): string[] {
  const base = new URL('../../fixtures/jira/', import.meta.url);
  return ['cloud', 'datacenter'].flatMap((d) => readdirSync(new URL(`${d}/`, base)).map((f) => `${d}/${f}`));
}

describe('Jira fixtures match the official specs', () => {
  it('covers every fixture file', () => {
    const checked = new Set([...OPERATIONS.map(([f]) => f), 'cloud/sprints-board-1.json']);

    expect(fixtureFiles().filter((f) => !checked.has(f))).toEqual([]);
  });

  it.each(OPERATIONS)('%s is a valid %s answer of %s %s', (file, spec, method, path) => {
    const v = spec === 'platform' ? platform : software;
    const schema = v.response(path, method);

    expect(schema, `the spec has a schema for ${method} ${path}`).not.toBeNull();
    expect(v.check(fixture(file), schema ?? {})).toEqual([]);
  });

  it.each(OPERATIONS.filter(([f]) => f.includes('search-page') || f.includes('search-incremental')))('the issue fields of %s match their component schemas', (file) => {
    const page = fixture<{ issues: Array<{ key: string; fields: Record<string, unknown> }> }>(file);
    const errors: string[] = [];
    for (const issue of page.issues) {
      for (const [field, ref] of Object.entries(FIELD_SCHEMAS)) {
        const value = issue.fields[field];
        if (value !== null && value !== undefined) errors.push(...platform.check(value, ref).map((e) => `${issue.key}.${field}${e.slice(1)}`));
      }
      for (const [field, ref] of Object.entries(ARRAY_FIELD_SCHEMAS)) {
        for (const value of (issue.fields[field] as unknown[] | undefined) ?? []) errors.push(...platform.check(value, ref).map((e) => `${issue.key}.${field}${e.slice(1)}`));
      }
      const description = issue.fields['description'];
      if (description && typeof description === 'object') errors.push(...adf.check(description, '#/definitions/doc_node').map((e) => `${issue.key}.description${e.slice(1)}`));
    }

    expect(errors).toEqual([]);
  });

  it('the sprint list has the keys and value types of the spec example (the spec gives no schema)', () => {
    const example = software.example('/rest/agile/1.0/board/{boardId}/sprint', 'get') as { values: Array<Record<string, unknown>> };
    const shape = new Map<string, string>();
    for (const s of example.values) for (const [k, v] of Object.entries(s)) shape.set(k, typeof v);

    const sprints = fixture<{ values: Array<Record<string, unknown>> }>('cloud/sprints-board-1.json').values;
    const problems = sprints.flatMap((s) => Object.entries(s).filter(([k, v]) => shape.get(k) !== typeof v).map(([k, v]) => `sprint ${String(s['id'])}.${k}: ${typeof v}, example has ${shape.get(k) ?? 'no such key'}`));

    expect(problems).toEqual([]);
  });

  it('the ADF pmo-bot writes back is valid against the ADF schema', () => {
    const doc = textToAdf('Given a saved card\nwhen paying\n\n- charged once\n- receipt sent', 'Acceptance criteria');

    expect(adf.check(doc, '#/definitions/doc_node')).toEqual([]);
  });

  it('catches a fixture that departs from the spec', () => {
    const page = fixture<{ issues: unknown[]; isLast: boolean }>('cloud/search-page-2.json');

    expect(platform.check({ ...page, total: 1 }, platform.response('/rest/api/3/search/jql', 'post') ?? {})).toEqual(['$: unknown property "total"']);
    expect(platform.check({ issues: 'none' }, platform.response('/rest/api/3/search/jql', 'post') ?? {})).toEqual(['$.issues: expected array, got string']);
  });
});
