import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../../helpers/cli.ts';
import type { WorkItem } from '../../../src/model/work-item.ts';
import { FakeAdo, serve } from './fake-ado.ts';
import { ADA, GRACE, PAT, project } from './helpers.ts';


const cli = runCliAsync;

describe('pmo-bot with an Azure DevOps source (loopback fake, child processes)', () => {
  let server: { fake: FakeAdo; url: string; close: () => Promise<void> };
  let dir: string;
  const env = { ADO_PAT: PAT, LOG_LEVEL: 'info' };

  beforeAll(async () => {
    server = await serve((origin) => new FakeAdo({ orgUrl: `${origin}/contoso`, auth: { pat: PAT }, projects: [project('Fabrikam', 'agile'), project('ERP', 'scrum')] }));
    const f = server.fake;
    const a = f.create('Fabrikam', { 'System.WorkItemType': 'User Story', 'System.Title': 'Passkeys', 'System.AreaPath': 'Fabrikam\\Checkout', 'System.IterationPath': 'Fabrikam\\Checkout\\Sprint 2', 'System.AssignedTo': ADA, 'System.Tags': 'growth' });
    f.update(a, { 'System.State': 'Active' }, { by: GRACE });
    f.create('ERP', { 'System.WorkItemType': 'Product Backlog Item', 'System.Title': 'Ledger export', 'System.AreaPath': 'ERP\\Checkout', 'System.State': 'Committed', 'System.AssignedTo': GRACE });
    dir = mkdtempSync(join(tmpdir(), 'pmo-ado-'));
    writeFileSync(
      join(dir, 'pmo-bot.yaml'),
      [
        'storage: { path: ./data/pmo-bot.db }',
        'sources:',
        '  - { id: demo, kind: sample }',
        `  - { id: contoso-ado, kind: azure-devops, orgUrl: "${server.url}", auth: { pat: "\${ADO_PAT}" }, projects: [Fabrikam, ERP] }`,
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await server.close();
  });

  it('doctor, sync and items: Jira-shaped and Azure DevOps items in one portfolio, the PAT never printed', async () => {
    const doctor = await cli(['doctor', '--json', '--config', 'pmo-bot.yaml'], dir, env);
    const sync = await cli(['sync', '--json', '--config', 'pmo-bot.yaml'], dir, env);
    const again = await cli(['sync', '--json', '--config', 'pmo-bot.yaml', '--source', 'contoso-ado'], dir, env);
    const items = await cli(['items', '--json', '--config', 'pmo-bot.yaml'], dir, env);

    expect(doctor.code, doctor.stderr).toBe(0);
    const checks = JSON.parse(doctor.stdout) as Array<{ source: string; ok: boolean; checks: Array<{ name: string; detail: string }> }>;
    expect(checks.map((c) => [c.source, c.ok])).toEqual([['demo', true], ['contoso-ado', true]]);
    expect(checks[1]!.checks.find((c) => c.name === 'project ERP')!.detail).toBe('readable; process Scrum');
    expect(sync.code, sync.stderr).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject([{ source: 'demo', ok: true }, { source: 'contoso-ado', kind: 'azure-devops', upserted: 2, ok: true }]);
    // A fresh process: three discovery requests (location, resource areas, wit locations), then one per project.
    expect(JSON.parse(again.stdout)).toMatchObject([{ source: 'contoso-ado', fetched: 0, requests: 3 + 2, ok: true }]);
    const all = JSON.parse(items.stdout) as WorkItem[];
    expect(all.filter((i) => i.source === 'contoso-ado').map((i) => [i.project, i.type, i.statusCategory, i.team])).toEqual([
      ['Fabrikam', 'User Story', 'in_progress', 'Checkout'],
      ['ERP', 'Product Backlog Item', 'in_progress', 'Checkout'],
    ]);
    expect(all.some((i) => i.source === 'demo')).toBe(true);
    expect(doctor.stdout + doctor.stderr + sync.stdout + sync.stderr + items.stderr).not.toContain(PAT);
  });
});
