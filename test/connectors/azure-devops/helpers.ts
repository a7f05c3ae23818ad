import { createHash } from 'node:crypto';
import nock from 'nock';
import { afterEach, beforeEach, expect } from 'vitest';
import { createAzureDevOpsConnector } from '../../../connectors/azure-devops/index.ts';
import { AzureDevOpsSourceConfig } from '../../../connectors/azure-devops/schema.ts';
import type { Connector } from '../../../src/model/connector.ts';
import { openStore } from '../../../src/store/index.ts';
import { syncSource } from '../../../src/sync/sync.ts';
import { fixedClock } from '../../../src/util/clock.ts';
import { createLogger, type Logger } from '../../../src/util/log.ts';
import { FakeAdo, identity, type FakeAdoOptions, type FakeIteration, type FakeProject, type ProcessName } from './fake-ado.ts';

export const ORG = 'https://dev.azure.com/fabrikam';
export const PAT = 'x7k2pq9wz4m8r1t6y3u5i0o2p4a6s8d0f1g3h5j7k9l2z4x6c8v0';
export const NOW = '2026-11-21T09:00:00.000Z';
export const clock = fixedClock(NOW);

export const ADA = identity('Ada Lovelace', 'ada@fabrikam.example');
export const GRACE = identity('Grace Hopper', 'grace@fabrikam.example');
/** An on-premises identity: a domain account, no email. */
export const LINUS = identity('Linus Domain', null);

/** A stable uuid from a label (iterations are identified by uuid). */
function uuid(label: string): string {
  const hex = createHash('sha1').update(label).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function sprints(project: string, team: string): FakeIteration[] {
  return [
    { id: uuid(`${project}/${team}/1`), name: 'Sprint 1', path: `${project}\\${team}\\Sprint 1`, startDate: '2026-10-19T00:00:00Z', finishDate: '2026-10-30T00:00:00Z', timeFrame: 'past' },
    { id: uuid(`${project}/${team}/2`), name: 'Sprint 2', path: `${project}\\${team}\\Sprint 2`, startDate: '2026-11-16T00:00:00Z', finishDate: '2026-11-27T00:00:00Z', timeFrame: 'current' },
    { id: uuid(`${project}/${team}/3`), name: 'Sprint 3', path: `${project}\\${team}\\Sprint 3`, startDate: '2026-11-30T00:00:00Z', finishDate: '2026-12-11T00:00:00Z', timeFrame: 'future' },
  ];
}

export function project(name: string, process: ProcessName, teams: string[] = ['Checkout']): FakeProject {
  return { name, process, teams: teams.map((t) => ({ name: t, areas: [`${name}\\${t}`], iterations: sprints(name, t) })) };
}

export function makeFake(options: Partial<FakeAdoOptions> = {}): FakeAdo {
  return new FakeAdo({ orgUrl: ORG, auth: { pat: PAT }, projects: [project('Fabrikam', 'agile')], ...options });
}

export function config(overrides: Record<string, unknown> = {}): AzureDevOpsSourceConfig {
  return AzureDevOpsSourceConfig.parse({ id: 'ado', kind: 'azure-devops', orgUrl: ORG, auth: { pat: PAT }, projects: ['Fabrikam'], ...overrides });
}

/** Collects log lines so tests can assert that nothing secret is printed. */
export function captureLog(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger({ level: 'debug', format: 'json', write: (l) => lines.push(l) }), lines };
}

/** Policy knobs with a virtual clock that sleeping advances; `sleeps` records every wait. */
export function virtualTime() {
  const sleeps: number[] = [];
  let t = 1_000_000;
  return {
    sleeps,
    policy: {
      now: () => t,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        t += ms;
      },
      random: () => 0.5,
    },
  };
}

export function connector(cfg: AzureDevOpsSourceConfig, log: Logger = captureLog().log, policy = virtualTime().policy): Connector {
  return createAzureDevOpsConnector(cfg, { clock, log }, { policy });
}

/** Routes every request to the fake's origin through nock to the fake; anything else is refused. */
export function useNock(): void {
  beforeEach(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    nock.enableNetConnect();
    expect(pending.filter((p) => !p.includes('/.*/'))).toEqual([]);
  });
}

export function route(fake: FakeAdo): void {
  const scope = nock(fake.origin).persist();
  for (const method of ['GET', 'POST', 'PATCH', 'OPTIONS']) {
    // nock 15 hands the reply function a fetch `Request`.
    scope.intercept(/.*/, method).reply(async (request: Request) => {
      const url = new URL(request.url);
      const headers: Record<string, string> = {};
      request.headers.forEach((v, k) => (headers[k] = v));
      const r = fake.handle(method, url.pathname + url.search, headers, await request.text());
      return [r.status, r.body, r.headers];
    });
  }
}

export function newStore() {
  return openStore(':memory:');
}

export async function sync(c: Connector, store = newStore(), full = false) {
  const result = await syncSource(c, { store, clock, log: createLogger({ level: 'silent' }) }, { full });
  return { result, store };
}

/** A story with the usual fields, created on the fake. */
export function story(fake: FakeAdo, fields: Record<string, unknown> = {}, projectName = 'Fabrikam'): number {
  return fake.create(projectName, {
    'System.WorkItemType': 'User Story',
    'System.Title': 'Customer can sign in with a passkey',
    'System.AreaPath': `${projectName}\\Checkout`,
    'System.IterationPath': `${projectName}\\Checkout\\Sprint 2`,
    'System.AssignedTo': ADA,
    'System.Tags': 'growth; auth',
    'System.Description': '<div><p>As a <b>shopper</b> I want passkeys.</p><ul><li>Face ID</li><li>Windows Hello</li></ul></div>',
    'Microsoft.VSTS.Common.AcceptanceCriteria': '<ol><li>Sign-in &amp; sign-up work</li><li>Fallback to password</li></ol>',
    'Microsoft.VSTS.Common.Priority': 2,
    'Microsoft.VSTS.Scheduling.StoryPoints': 5,
    ...fields,
  });
}
