import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.ts';
import type { Connector } from '../../src/model/connector.ts';
import type { Transport } from '../../src/notify/transports/transport.ts';
import { createLogger } from '../../src/util/log.ts';
import { createRuntime } from '../../src/worker/runtime.ts';
import { startWorker } from '../../src/worker/worker.ts';
import { makeWorkItem } from '../helpers/builders.ts';

describe('worker', () => {
  it('logs and counts a failing cycle, runs the next one on schedule, and stops cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmo-worker-'));
    const config = ConfigSchema.parse({
      storage: { path: join(dir, 'pmo.db') },
      sources: [{ id: 'demo', kind: 'sample' }],
      schedules: { sync: '* * * * * *' }, // every second (node-cron's optional seconds field)
    });
    let pulls = 0;
    const flaky: Connector = {
      id: 'demo',
      kind: 'sample',
      check: async () => [],
      async *pull() {
        pulls++;
        if (pulls === 1) throw new Error('upstream 503');
        yield { items: [makeWorkItem({ source: 'demo', nativeKey: 'PAY-1', key: 'demo:PAY-1', estimate: null })], quarantined: [], sprints: [], removed: [], watermark: 'w', cursor: null, requests: 1 };
      },
    };
    const sent: string[] = [];
    const transport: Transport = { name: 'rec', send: async (m) => (sent.push(m.channel), { ref: null }) };
    const logs: string[] = [];
    const rt = createRuntime({ config, log: createLogger({ format: 'json', write: (l) => logs.push(l) }), lock: true, transport });
    rt.connectors = [flaky];

    const worker = startWorker(rt);
    const deadline = Date.now() + 10_000;
    while (worker.stats.cycles < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await worker.stop('test');

    expect(worker.stats.failedCycles).toBe(1);
    expect(worker.stats.lastCycle?.ok).toBe(true);
    expect(sent).toEqual(['#pmo-alerts', '@ada@acme.example']);
    expect(logs.some((l) => l.includes('Cycle failed') && l.includes('"failedCycles":1'))).toBe(true);
    expect(() => rt.store.items.count()).toThrow(/not open/);
  });
});

describe('worker cycle: KPI snapshots', () => {
  it('refreshes the week\'s KPI snapshot at most every six hours, so trends exist without running `kpis`', async () => {
    const { runCycle } = await import('../../src/worker/cycle.ts');
    const { fixedClock } = await import('../../src/util/clock.ts');
    const { silentLogger } = await import('../../src/util/log.ts');
    const dir = mkdtempSync(join(tmpdir(), 'pmo-kpi-'));
    const config = ConfigSchema.parse({ storage: { path: join(dir, 'pmo.db') }, sources: [{ id: 'demo', kind: 'sample' }] });
    const transport: Transport = { name: 'rec', send: async () => ({ ref: null }) };
    const at = (iso: string) => createRuntime({ config, log: silentLogger(), transport, clock: fixedClock(iso) });
    const live = (rt: ReturnType<typeof at>) => rt.store.db.prepare("SELECT count(DISTINCT taken_at) FROM kpi_snapshots WHERE origin = 'live'").pluck().get();

    const first = at('2026-11-23T09:00:00.000Z');
    const a = await runCycle(first);
    first.store.close();
    const soon = at('2026-11-23T10:00:00.000Z');
    const b = await runCycle(soon);
    soon.store.close();
    const later = at('2026-11-23T15:30:00.000Z');
    const c = await runCycle(later);
    const rows = live(later);
    later.store.close();

    expect([a.kpiSnapshot, b.kpiSnapshot, c.kpiSnapshot]).toEqual([true, false, true]);
    expect(rows).toBe(1); // the week's live row is rewritten, not duplicated
  });
});
