import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { ConfigSchema } from '../../src/config/schema.ts';
import { buildDigests } from '../../src/notify/digest.ts';
import type { Transport } from '../../src/notify/transports/transport.ts';
import { fixedClock } from '../../src/util/clock.ts';
import { silentLogger } from '../../src/util/log.ts';
import { runCycle } from '../../src/worker/cycle.ts';
import { createRuntime } from '../../src/worker/runtime.ts';

describe('digest alignment sections', () => {
  it('gives the PMO digest effort per objective against targets, the unaligned share and forecasts; team digests stay on their findings', async () => {
    const example = loadConfig(resolve(import.meta.dirname, '../../config/pmo-bot.example.yaml'), { schema: ConfigSchema, env: {} }).value;
    const config = { ...example, storage: { path: join(mkdtempSync(join(tmpdir(), 'pmo-digest-')), 'pmo.db') } };
    const transport: Transport = { name: 'rec', send: async () => ({ ref: null }) };
    const rt = createRuntime({ config, log: silentLogger(), transport, clock: fixedClock('2026-11-21T09:00:00.000Z') });
    await runCycle(rt);

    const digests = buildDigests(rt.store, config, rt.clock.now(), rt.extensions);
    rt.store.close();

    const pmo = JSON.stringify(digests.find((d) => d.message.channel === config.slack.channels.digest)?.message.blocks);
    const team = JSON.stringify(digests.find((d) => d.message.channel === '#payments-delivery')?.message.blocks);
    expect(pmo).toContain('Effort by objective');
    for (const o of config.objectives) expect(pmo).toContain(o.id);
    expect(pmo).toMatch(/unaligned \d+%/);
    expect(pmo).toContain('Objective forecasts');
    expect(pmo).toMatch(/O3\*? [^"]*target 2027-02-28/);
    expect(team).toBeDefined();
    expect(team).not.toContain('Effort by objective');
  });
});
