import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { API_TOKEN, CLOUD, cloudConfig, fixture, harness, useHttpMock } from './helpers.ts';

useHttpMock();

describe('Jira doctor checks', () => {
  it('reports reachability, auth, per-project permissions, discovered fields and rate-limit headroom', async () => {
    const basic = `Basic ${Buffer.from(`pmo-bot@acme.example:${API_TOKEN}`).toString('base64')}`;
    nock(CLOUD, { reqheaders: { authorization: basic } })
      .get('/rest/api/3/serverInfo')
      .reply(200, fixture('cloud/server-info.json'))
      .get('/rest/api/3/myself')
      .reply(200, fixture('cloud/myself.json'))
      .get('/rest/api/3/mypermissions')
      .query({ projectKey: 'PAY', permissions: 'BROWSE_PROJECTS,EDIT_ISSUES,ADD_COMMENTS' })
      .reply(200, fixture('cloud/mypermissions-PAY.json'))
      .get('/rest/api/3/mypermissions')
      .query({ projectKey: 'WEB', permissions: 'BROWSE_PROJECTS,EDIT_ISSUES,ADD_COMMENTS' })
      .reply(200, fixture('cloud/mypermissions-WEB.json'))
      .post('/rest/api/3/search/approximate-count', { jql: 'project in ("PAY", "WEB")' })
      .reply(200, { count: 1234 })
      .get('/rest/api/3/field')
      .reply(200, fixture('cloud/field.json'), { 'X-RateLimit-Limit': '350', 'X-RateLimit-Remaining': '300', 'X-RateLimit-Reset': '2026-11-21T10:00Z' });
    const h = harness(cloudConfig({ projects: ['PAY', 'WEB'], fields: { flagged: 'Impediment' } }));

    const checks = await h.connector.check();

    expect(checks).toEqual([
      { name: 'reachable', ok: true, detail: 'https://acme.atlassian.net answers: Jira 1001.0.0-SNAPSHOT (Cloud)' },
      { name: 'auth', ok: true, detail: 'authenticated as PMO Bot <pmo-bot@acme.example>' },
      { name: 'project PAY', ok: true, detail: 'browse: yes; edit issues: yes; add comments: yes' },
      { name: 'project WEB', ok: false, detail: 'no permission to browse this project' },
      { name: 'scope', ok: true, detail: 'project in ("PAY", "WEB") matches about 1,234 issues' },
      {
        name: 'fields',
        ok: false,
        detail:
          '13 fields; story points: Story point estimate (customfield_10016), Story Points (customfield_10026); sprint: Sprint (customfield_10020); epic link: none; flagged: none; start date: Start date (customfield_10015); acceptance criteria: Acceptance Criteria (customfield_10050); not found: fields.flagged: Impediment',
      },
      { name: 'rate limit', ok: true, detail: '300 of 350 left, resets 2026-11-21T10:00Z' },
    ]);
  });

  it('says when the deployment setting does not match the site and stops at a failed auth', async () => {
    nock(CLOUD)
      .get('/rest/api/3/serverInfo')
      .reply(200, fixture('datacenter/server-info.json'))
      .get('/rest/api/3/myself')
      .reply(401, { errorMessages: ['Client must be authenticated to access this resource.'] });

    const checks = await harness(cloudConfig()).connector.check();

    expect(checks).toEqual([
      { name: 'reachable', ok: false, detail: 'https://acme.atlassian.net answers: Jira 10.3.4 (Server); but the source says deployment: cloud' },
      { name: 'auth', ok: false, detail: 'HTTP 401: Client must be authenticated to access this resource.' },
    ]);
  });

  it('reports an unreachable host after the configured attempts', async () => {
    // A closed loopback port: a real ECONNREFUSED, not a mock.
    nock.enableNetConnect('127.0.0.1');
    const h = harness(cloudConfig({ baseUrl: 'http://127.0.0.1:9', maxAttempts: 2 }));

    const checks = await h.connector.check();

    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['reachable', false],
      ['auth', false],
    ]);
    expect(checks[0]?.detail).toMatch(/^Request to http:\/\/127.0.0.1:9\/rest\/api\/3\/serverInfo failed: /);
    expect(h.sleeps).toHaveLength(2);
  });
});
