import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigSchema } from '../../../src/config/schema.ts';
import { notifyCycle } from '../../../src/notify/cycle.ts';
import { createChannelPacer, deliverOutbox } from '../../../src/notify/deliver.ts';
import { createMentionResolver } from '../../../src/notify/mentions.ts';
import type { Transport } from '../../../src/notify/transports/transport.ts';
import { openStore } from '../../../src/store/index.ts';
import { findingId, type ReportedFinding } from '../../../src/store/findings.ts';
import { silentLogger } from '../../../src/util/log.ts';
import { argN, peakRssMb, report } from '../harness.ts';

// One cycle that produces N new findings (default 10,000) across 200 routed channels and 2,000
// people: build every alert and prompt, then deliver on a virtual clock through the per-channel pacer.
const n = argN(10_000);
const CHANNELS = 200;
const PEOPLE = 2_000;
const dir = mkdtempSync(join(tmpdir(), 'pmo-bench-slack-'));
const config = ConfigSchema.parse({
  timezone: 'Europe/Berlin',
  storage: { path: join(dir, 'pmo.db') },
  sources: [{ id: 'demo', kind: 'sample' }],
  slack: {
    mode: 'http',
    botToken: 'xoxb-bench',
    signingSecret: 'bench',
    routes: Array.from({ length: CHANNELS }, (_, i) => ({ match: { project: `P${i}` }, channel: `#team-${i}` })),
  },
});
const store = openStore(join(dir, 'pmo.db'), { lock: true });
const at = '2026-11-23T09:00:00.000Z';
let now = Date.parse(at);
const clock = { now: () => new Date(now) };
const log = silentLogger();

function makeFinding(i: number, prefix = ''): ReportedFinding {
  const person = i % PEOPLE;
  const project = `P${i % CHANNELS}`;
  const fixable = Math.floor(i / PEOPLE) % 2 === 0;
  const subject = { kind: 'item' as const, key: `demo:${prefix}${project}-${i}` };
  const ruleId = fixable ? 'estimate-required' : i % 5 === 1 ? 'overdue' : 'stale-in-progress';
  return {
    id: findingId(ruleId, subject),
    ruleId,
    category: fixable ? 'compliance' : 'risk',
    severity: i % 7 === 0 ? 'critical' : i % 3 === 0 ? 'info' : 'warning',
    subject,
    message: `${project}-${i} "Work item number ${i} with a realistic title" needs attention`,
    evidence: { days: i % 30 },
    owner: { id: `u${person}`, name: `Person ${person}`, email: `person${person}@acme.example` },
    url: `https://acme.atlassian.net/browse/${project}-${i}`,
    source: 'demo',
    project,
    team: `Team ${i % CHANNELS}`,
    fix: fixable ? { field: 'estimate', input: 'number' } : null,
  };
}

// Steady state: the people are known (cached from earlier cycles), as after the first days of use.
store.transaction(() => {
  for (let p = 0; p < PEOPLE; p++) store.slack.cacheUser(`person${p}@acme.example`, `U${String(p).padStart(6, '0')}`, at);
});
let lookups = 0;
const api = Object.assign(async () => (lookups++, { ok: true, user: { id: 'UX' } }), { calls: () => lookups });
const mentions = createMentionResolver({ store, slack: config.slack, clock, log, api });
const noPrompts = { ...config, slack: { ...config.slack, prompts: { ...config.slack.prompts, enabled: false } } };
const quiet: Transport = { name: 'setup', send: async () => ({ ref: `${Math.random()}` }) };

// An earlier cycle announced 1,000 findings in every channel; they resolve now, so each channel also
// gets a thread reply in the measured cycle (two posts per channel: the pacer must space them).
const earlier = Array.from({ length: 1_000 }, (_, i) => ({ ...makeFinding(i, 'OLD'), fix: null }));
const run0 = store.startRun('cycle', at);
store.transaction(() => store.findings.record(earlier, run0, at));
await notifyCycle({ store, config: noPrompts, clock, log, mentions, interactive: true }, run0, clock.now());
await deliverOutbox({ store, transport: quiet, clock, log, pacer: createChannelPacer(0), sleep: async () => undefined });

const findings = Array.from({ length: n }, (_, i) => makeFinding(i));
const runId = store.startRun('cycle', at);
store.transaction(() => {
  store.findings.record(findings, runId, at);
  store.findings.resolveUnseenIn(runId, at, { all: true, rules: [], items: [], keep: [], seen: new Set(findings.map((f) => f.id)) });
});

const started = performance.now();
const summary = await notifyCycle({ store, config, clock, log, mentions, interactive: true }, runId, clock.now());
const buildSeconds = (performance.now() - started) / 1000;

const resolvedReplies = summary.resolvedReplies;
const posts = new Map<string, number[]>();
let calls = 0;
const transport: Transport = {
  name: 'bench',
  async send(message) {
    calls++;
    const list = posts.get(message.channel) ?? [];
    list.push(now);
    posts.set(message.channel, list);
    return { ref: `${calls}.0001` };
  },
};
const deliveryStarted = performance.now();
const delivery = await deliverOutbox({ store, transport, clock, log, pacer: createChannelPacer(1000), sleep: async (ms) => void (now += ms) });
const deliverySeconds = (performance.now() - deliveryStarted) / 1000;
let minGapMs = Number.POSITIVE_INFINITY;
let maxPerChannel = 0;
for (const times of posts.values()) {
  maxPerChannel = Math.max(maxPerChannel, times.length);
  for (let i = 1; i < times.length; i++) minGapMs = Math.min(minGapMs, times[i]! - times[i - 1]!);
}
store.close();
rmSync(dir, { recursive: true, force: true });
if (delivery.sent !== summary.messages) throw new Error(`delivered ${delivery.sent} of ${summary.messages}`);
if (Number.isFinite(minGapMs) && minGapMs < 1000) throw new Error(`two posts to one channel ${minGapMs} ms apart`);
report({
  name: 'slack-notify',
  n,
  seconds: buildSeconds,
  requests: calls + lookups,
  peakRssMb: peakRssMb(),
  notes: {
    channels: summary.alerts,
    promptDMs: summary.prompts.messages,
    promptedFindings: summary.prompts.findings,
    threadReplies: resolvedReplies,
    planSeconds: summary.seconds.plan,
    enqueueSeconds: summary.seconds.build,
    slackCalls: calls + lookups,
    userLookups: lookups,
    minGapSameChannelMs: Number.isFinite(minGapMs) ? minGapMs : 'n/a',
    maxPostsPerChannel: maxPerChannel,
    virtualDeliverySeconds: Number(((now - Date.parse(at)) / 1000).toFixed(1)),
    deliveryCpuSeconds: Number(deliverySeconds.toFixed(2)),
  },
});
