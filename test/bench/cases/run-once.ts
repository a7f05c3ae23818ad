import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigSchema } from '../../../src/config/schema.ts';
import { silentLogger } from '../../../src/util/log.ts';
import { runCycle } from '../../../src/worker/cycle.ts';
import { createRuntime } from '../../../src/worker/runtime.ts';
import type { Transport } from '../../../src/notify/transports/transport.ts';
import { argN, peakRssMb, report } from '../harness.ts';

// One full worker cycle (sync → evaluate → notify) on a fresh store with an N-item demo portfolio.
const n = argN(100_000);
const dir = mkdtempSync(join(tmpdir(), 'pmo-bench-'));
const config = ConfigSchema.parse({
  timezone: 'Europe/Berlin',
  storage: { path: join(dir, 'pmo.db') },
  sources: [{ id: 'demo', kind: 'sample', size: n }],
});
let delivered = 0;
const transport: Transport = { name: 'bench', send: async () => ({ ref: `m${++delivered}` }) };
const rt = createRuntime({ config, log: silentLogger(), lock: true, transport });
const started = performance.now();
const summary = await runCycle(rt);
const seconds = (performance.now() - started) / 1000;
rt.store.close();
rmSync(dir, { recursive: true, force: true });
if (!summary.ok) throw new Error(`cycle failed: ${summary.error}`);
report({
  name: 'run-once',
  n: summary.evaluation?.items ?? 0,
  seconds,
  requests: summary.sync.reduce((s, r) => s + r.requests, 0),
  peakRssMb: peakRssMb(),
  notes: {
    syncSeconds: Number(summary.sync.reduce((s, r) => s + r.seconds, 0).toFixed(2)),
    evaluateSeconds: Number((summary.evaluation?.seconds ?? 0).toFixed(2)),
    findings: summary.evaluation?.findings.open ?? 0,
    messages: delivered,
  },
});
