import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../../helpers/cli.ts';
import { fakeJiraServer, type FakeJira } from './fake-jira-server.ts';


const cli = runCliAsync;

describe('a kind: jira source through the real CLI (fake Jira Cloud on loopback)', () => {
  let site: FakeJira;
  let dir: string;
  const env = { JIRA_EMAIL: 'bot@bench.example', JIRA_API_TOKEN: 'ATATT-cli-test-token' };

  beforeAll(async () => {
    site = await fakeJiraServer({ n: 250, now: Date.now() });
    dir = mkdtempSync(join(tmpdir(), 'pmo-jira-cli-'));
    writeFileSync(
      join(dir, 'pmo-bot.yaml'),
      [
        'storage: { path: ./data/pmo.db }',
        'sources:',
        '  - id: acme',
        '    kind: jira',
        `    baseUrl: ${site.url}`,
        '    auth: { email: "${JIRA_EMAIL}", apiToken: "${JIRA_API_TOKEN}" }',
        '    projects: [BEN, OPS]',
        '    pageSize: 100',
      ].join('\n'),
    );
  });
  afterAll(() => site.close());

  it('sync --json pulls every issue; a second sync costs one search', async () => {
    const first = await cli(['sync', '--json', '--config', 'pmo-bot.yaml'], dir, env);
    const searchesBefore = site.searches();
    const second = await cli(['sync', '--json', '--config', 'pmo-bot.yaml'], dir, env);

    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject([{ source: 'acme', kind: 'jira', fetched: 250, upserted: 250, quarantined: 0, removed: 0, ok: true }]);
    expect(second.code, second.stderr).toBe(0);
    expect(site.searches() - searchesBefore).toBe(1);
    expect(first.stderr + second.stderr).not.toContain(env.JIRA_API_TOKEN);
  });

  it('doctor --json reports each check of the Jira source', async () => {
    const r = await cli(['doctor', '--json', '--config', 'pmo-bot.yaml'], dir, env);

    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      {
        source: 'acme',
        kind: 'jira',
        ok: true,
        checks: [
          { name: 'reachable', ok: true, detail: `${site.url} answers: Jira 1001.0.0 (Cloud)` },
          { name: 'auth', ok: true, detail: 'authenticated as PMO Bot <bot@bench.example>' },
          { name: 'project BEN', ok: true, detail: 'browse: yes; edit issues: yes; add comments: yes' },
          { name: 'project OPS', ok: true, detail: 'browse: yes; edit issues: yes; add comments: yes' },
          { name: 'scope', ok: true, detail: 'project in ("BEN", "OPS") matches about 250 issues' },
          {
            name: 'fields',
            ok: true,
            detail: '6 fields; story points: Story point estimate (customfield_10016); sprint: Sprint (customfield_10020); epic link: none; flagged: Flagged (customfield_10021); start date: Start date (customfield_10015); acceptance criteria: none',
          },
          { name: 'rate limit', ok: true, detail: 'no rate-limit headers on 6 requests (well under the limits)' },
        ],
      },
    ]);
  });
});
