import { describe, expect, it } from 'vitest';
import { FakeAdo } from './fake-ado.ts';
import { ORG, PAT, config, connector, makeFake, project, route, useNock } from './helpers.ts';

describe('azure-devops doctor', () => {
  useNock();

  it('reports reachability, auth, project access, process and fields per project', async () => {
    const fake = new FakeAdo({ orgUrl: ORG, auth: { pat: PAT }, projects: [project('Fabrikam', 'agile'), project('ERP', 'inherited')] });
    route(fake);

    const checks = await connector(config({ projects: ['Fabrikam', 'ERP', 'Ghost'] })).check();

    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['reachable', true],
      ['auth', true],
      ['project Fabrikam', true],
      ['fields Fabrikam', true],
      ['revisions Fabrikam', true],
      ['project ERP', true],
      ['fields ERP', true],
      ['revisions ERP', true],
      ['project Ghost', false],
    ]);
    expect(checks.find((c) => c.name === 'auth')!.detail).toBe('signed in as PMO Bot');
    expect(checks.find((c) => c.name === 'project Fabrikam')!.detail).toBe('readable; process Agile');
    expect(checks.find((c) => c.name === 'project ERP')!.detail).toBe('readable; process Contoso Agile (inherited from Agile)');
    expect(checks.find((c) => c.name === 'fields Fabrikam')!.detail).toContain('User Story → story (estimate Microsoft.VSTS.Scheduling.StoryPoints)');
    expect(checks.find((c) => c.name === 'fields Fabrikam')!.detail).toContain('blocked from the "Blocked" tag');
    expect(checks.find((c) => c.name === 'project Ghost')!.detail).toMatch(/^project Ghost: no JSON in the reply: not found \(HTTP 404\)/);
  });

  it('flags an estimate field the process lacks', async () => {
    const fake = makeFake();
    route(fake);

    const checks = await connector(config({ estimateField: { Epic: 'Custom.Missing' } })).check();

    expect(checks.find((c) => c.name === 'fields Fabrikam')).toMatchObject({ ok: false, detail: expect.stringContaining('estimate field not on the type: Epic (Custom.Missing)') });
  });

  it('stops at a refused token', async () => {
    const fake = makeFake({ auth: { pat: 'not-the-one-we-send-000000000000000000000000000000' } });
    route(fake);

    const checks = await connector(config()).check();

    expect(checks).toEqual([{ name: 'reachable', ok: false, detail: expect.stringMatching(/HTTP 401/) }]);
  });
});
