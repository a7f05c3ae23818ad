import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, beforeEach, expect } from 'vitest';
import { createJiraConnector, JiraSourceConfig } from '../../../connectors/jira/index.ts';
import type { Connector } from '../../../src/model/connector.ts';
import { fixedClock, type Clock } from '../../../src/util/clock.ts';
import { createLogger, type Logger } from '../../../src/util/log.ts';

export const CLOUD = 'https://acme.atlassian.net';
export const DC = 'https://jira.corp.example';
export const NOW = '2026-11-21T09:00:00.000Z';
export const API_TOKEN = 'ATATT3xFfGF0-secret-api-token';
export const PAT = 'NjQ2OTU2-dc-personal-access-token';

const FIXTURES = new URL('../../fixtures/jira/', import.meta.url);

/** A recorded-shape payload from test/fixtures/jira (a fresh copy each call). */
export function fixture<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(new URL(path, FIXTURES), 'utf8')) as T;
}

export function cloudConfig(over: Record<string, unknown> = {}): JiraSourceConfig {
  return JiraSourceConfig.parse({
    id: 'acme',
    kind: 'jira',
    baseUrl: CLOUD,
    auth: { email: 'pmo-bot@acme.example', apiToken: API_TOKEN },
    projects: ['PAY'],
    extraFields: ['Risk level'],
    ...over,
  });
}

export function dcConfig(over: Record<string, unknown> = {}): JiraSourceConfig {
  return JiraSourceConfig.parse({
    id: 'corp',
    kind: 'jira',
    deployment: 'datacenter',
    baseUrl: DC,
    auth: { token: PAT },
    projects: ['OPS'],
    fields: { team: 'Team' },
    ...over,
  });
}

export interface Harness {
  connector: Connector;
  /** Every pause the HTTP policy took, in ms (Retry-After, backoff, slow-down). */
  sleeps: number[];
  logs: string[];
  log: Logger;
  clock: Clock;
}

export function harness(config: JiraSourceConfig, clock: Clock = fixedClock(NOW)): Harness {
  const sleeps: number[] = [];
  const logs: string[] = [];
  const log = createLogger({ level: 'debug', format: 'json', write: (line) => logs.push(line) });
  // Virtual time: a pause moves the policy's clock on instead of waiting.
  let slept = 0;
  const connector = createJiraConnector(config, {
    clock,
    log,
    http: {
      sleep: async (ms) => {
        sleeps.push(ms);
        slept += ms;
      },
      now: () => clock.now().getTime() + slept,
      random: () => 0.5,
      baseDelayMs: 100,
    },
  });
  return { connector, sleeps, logs, log, clock };
}

/**
 * nock at the socket level for jira.js's native fetch: no real network, and after each test no
 * unmatched request and no unused mock (Renovate's httpMock discipline).
 */
export function useHttpMock(): { unmatched: string[] } {
  const state = { unmatched: [] as string[] };
  const onNoMatch = (req: { method?: string; path?: string; href?: string; url?: string }): void => {
    state.unmatched.push(`${req.method ?? '?'} ${req.href ?? req.url ?? req.path ?? '?'}`);
  };
  beforeEach(() => {
    state.unmatched.length = 0;
    nock.disableNetConnect();
    nock.emitter.on('no match', onNoMatch);
  });
  afterEach(() => {
    nock.emitter.removeListener('no match', onNoMatch);
    const pending = nock.pendingMocks();
    nock.cleanAll();
    nock.enableNetConnect();
    expect(state.unmatched, 'unmatched requests').toEqual([]);
    expect(pending, 'unused mocks').toEqual([]);
  });
  return state;
}

/** Mocks the requests every Cloud sync makes before searching: fields, boards, sprints, board configuration. */
export function mockCloudPreamble(scope: nock.Scope, opts: { sprints?: boolean; boardConfiguration?: unknown } = {}): nock.Scope {
  scope.get('/rest/api/3/field').reply(200, fixture('cloud/field.json'));
  if (opts.sprints === false) return scope;
  return scope
    .get('/rest/agile/1.0/board')
    .query({ projectKeyOrId: 'PAY', startAt: '0', maxResults: '50' })
    .reply(200, fixture('cloud/boards-PAY.json'))
    .get('/rest/agile/1.0/board/1/sprint')
    .query({ startAt: '0', maxResults: '50' })
    .reply(200, fixture('cloud/sprints-board-1.json'))
    .get('/rest/agile/1.0/board/1/configuration')
    .reply(200, opts.boardConfiguration ?? fixture('cloud/board-1-configuration.json'));
}

/** Field discovery and an OPS project without agile boards: what every Data Center sync asks first. */
export function mockDcPreamble(scope: nock.Scope): nock.Scope {
  return scope
    .get('/rest/api/2/field')
    .reply(200, fixture('datacenter/field.json'))
    .get('/rest/agile/1.0/board')
    .query(true)
    .reply(200, { maxResults: 50, startAt: 0, total: 0, isLast: true, values: [] });
}

export interface SearchBody {
  jql: string;
  fields: string[];
  maxResults: number;
  expand?: string;
  nextPageToken?: string;
}
