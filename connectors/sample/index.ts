import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import { z } from 'zod';
import type { Connector, ConnectorDefinition, ConnectorDeps, DoctorCheck, PullPage, PullRequest } from '../../src/model/connector.ts';
import { generatePages, type GenerateOptions } from './generate.ts';
import { DEFAULT_SIZE } from './portfolio.ts';

export const SampleSourceConfig = z.strictObject({
  id: z.string().min(1).describe('Source id; item keys are `<id>:<native key>`, e.g. `demo:PAY-12`.'),
  kind: z.literal('sample').describe('The embedded, seeded demo portfolio (no network, no credentials).'),
  since: z
    .string()
    .optional()
    .describe('Accepted like on every source; the demo is small and always emitted whole (its history spans about eight months).'),
  size: z
    .int()
    .min(1)
    .max(1_000_000)
    .default(DEFAULT_SIZE)
    .describe(`Number of work items. The default ${DEFAULT_SIZE} is the seven-team demo company; larger sizes add numbered business units (PAY2, Fabrikam2, …) for benchmarks.`),
  seed: z.int().default(42).describe('PRNG seed; the same seed and the same clock give byte-identical items.'),
  pageSize: z.int().min(1).max(10_000).default(500).describe('Work items per pulled page (one store transaction each).'),
});
export type SampleSourceConfig = z.infer<typeof SampleSourceConfig>;

/**
 * Resume token of an unfinished full pull: the next item index plus what the earlier pages were
 * generated from, so a resumed pull continues the same portfolio even if the clock moved on.
 */
interface Resume {
  next: number;
  now: Date;
}

const CURSOR = /^(\d+)@(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\/(\d+)\/(-?\d+)$/;

function encodeCursor(next: number, now: Date, config: SampleSourceConfig): string {
  return `${next}@${now.toISOString()}/${config.size}/${config.seed}`;
}

function decodeCursor(cursor: string, config: SampleSourceConfig): Resume | null {
  const m = CURSOR.exec(cursor);
  if (!m) return null;
  const [, next, now, size, seed] = m;
  if (Number(size) !== config.size || Number(seed) !== config.seed) return null;
  const index = Number(next);
  if (index <= 0 || index >= config.size) return null;
  return { next: index, now: new Date(now ?? '') };
}

function emptyPage(watermark: string | null): PullPage {
  return { items: [], quarantined: [], sprints: [], removed: [], watermark, cursor: null, requests: 0 };
}

export function createSampleConnector(config: SampleSourceConfig, deps: ConnectorDeps): Connector {
  const log = deps.log.child({ source: config.id, kind: 'sample' });

  function resumeFrom(cursor: string | null): Resume | null {
    if (cursor === null) return null;
    const resume = decodeCursor(cursor, config);
    if (!resume) log.warn({ cursor }, 'Sample cursor does not match this portfolio; starting the full pull again');
    return resume;
  }

  async function* pull(request: PullRequest): AsyncGenerator<PullPage> {
    const { cursor, watermark: previous } = request.state;
    if (cursor === null && previous !== null && !request.full) {
      // The demo portfolio is static between full pulls: nothing changes incrementally.
      yield emptyPage(previous);
      return;
    }
    const resume = resumeFrom(cursor);
    const now = resume?.now ?? deps.clock.now();
    const opts: GenerateOptions = { source: config.id, size: config.size, seed: config.seed, now };
    const watermark = now.toISOString();
    log.debug({ start: resume?.next ?? 0, size: config.size }, 'Generating sample portfolio');
    for (const page of generatePages(opts, resume?.next ?? 0, config.pageSize)) {
      // Generation is CPU-only: give the event loop (health checks, Slack, GC tasks) a turn per page.
      await setImmediatePromise();
      if (request.signal?.aborted) return;
      const last = page.end >= config.size;
      yield {
        items: page.items,
        quarantined: page.quarantined,
        sprints: page.sprints,
        removed: [],
        watermark,
        cursor: last ? null : encodeCursor(page.end, now, config),
        requests: 0,
        ...(last ? { fullSyncDone: true } : {}),
      };
    }
  }

  async function check(): Promise<DoctorCheck[]> {
    return [{ name: 'sample', ok: true, detail: `embedded demo portfolio, ${config.size} items` }];
  }

  return { id: config.id, kind: 'sample', pull, check };
}

export const sampleConnector: ConnectorDefinition<SampleSourceConfig> = {
  kind: 'sample',
  description: 'Embedded, seeded demo portfolio: Jira-shaped and Azure DevOps-shaped projects of a fictional retailer',
  configSchema: SampleSourceConfig,
  create: createSampleConnector,
};
