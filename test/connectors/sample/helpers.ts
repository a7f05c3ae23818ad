import { createSampleConnector, SampleSourceConfig } from '../../../connectors/sample/index.ts';
import type { Connector, PullPage, SyncState } from '../../../src/model/connector.ts';
import type { Sprint, WorkItemInput } from '../../../src/model/work-item.ts';
import { fixedClock, type Clock } from '../../../src/util/clock.ts';
import { silentLogger, type Logger } from '../../../src/util/log.ts';

export const NOW = '2026-11-20T09:30:00.000Z';

export function makeConnector(config: Record<string, unknown> = {}, deps: { clock?: Clock; log?: Logger } = {}): Connector {
  const parsed = SampleSourceConfig.parse({ id: 'demo', kind: 'sample', ...config });
  return createSampleConnector(parsed, { clock: deps.clock ?? fixedClock(NOW), log: deps.log ?? silentLogger() });
}

export function syncState(overrides: Partial<SyncState> = {}): SyncState {
  return { source: 'demo', watermark: null, cursor: null, lastFullSyncAt: null, lastSyncAt: null, ...overrides };
}

export async function collectPages(connector: Connector, state: SyncState = syncState(), full = false, limit = Infinity): Promise<PullPage[]> {
  const pages: PullPage[] = [];
  for await (const page of connector.pull({ state, full })) {
    pages.push(page);
    if (pages.length >= limit) break;
  }
  return pages;
}

export interface Portfolio {
  pages: PullPage[];
  items: WorkItemInput[];
  sprints: Sprint[];
  byKey: Map<string, WorkItemInput>;
}

export async function portfolio(config: Record<string, unknown> = {}, clock?: Clock): Promise<Portfolio> {
  const pages = await collectPages(makeConnector(config, clock ? { clock } : {}));
  const items = pages.flatMap((p) => p.items);
  return { pages, items, sprints: pages.flatMap((p) => p.sprints), byKey: new Map(items.map((i) => [i.key, i])) };
}

export const isContainer = (i: WorkItemInput): boolean => i.typeCategory === 'epic' || i.typeCategory === 'feature';
export const ms = (iso: string): number => Date.parse(iso);
