import { sampleConnector } from '../../../connectors/sample/index.ts';
import { fixedClock } from '../../../src/util/clock.ts';
import { silentLogger } from '../../../src/util/log.ts';
import { argN, peakRssMb, report } from '../harness.ts';

// Generates the demo portfolio as a stream of pages and consumes it without storing it.
const n = argN(100_000);
const config = sampleConnector.configSchema.parse({ id: 'demo', kind: 'sample', size: n });
const connector = sampleConnector.create(config, { clock: fixedClock('2026-11-21T09:00:00.000Z'), log: silentLogger() });
const started = performance.now();
let items = 0;
let bytes = 0;
for await (const page of connector.pull({ state: { source: 'demo', watermark: null, cursor: null, lastFullSyncAt: null, lastSyncAt: null }, full: true })) {
  items += page.items.length + page.quarantined.length;
  for (const item of page.items) bytes += item.title.length;
}
report({ name: 'demo-generate', n: items, seconds: (performance.now() - started) / 1000, requests: null, peakRssMb: peakRssMb(), notes: { titleChars: bytes } });
