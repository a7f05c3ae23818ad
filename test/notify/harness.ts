import { ConfigSchema, type ConfigInput, type Config } from '../../src/config/schema.ts';
import type { Finding } from '../../src/model/finding.ts';
import { notifyCycle, type CycleNotifySummary } from '../../src/notify/cycle.ts';
import { createChannelPacer, deliverOutbox } from '../../src/notify/deliver.ts';
import { createMentionResolver, type MentionResolver } from '../../src/notify/mentions.ts';
import type { SlackMessage } from '../../src/notify/message.ts';
import type { Transport } from '../../src/notify/transports/transport.ts';
import { openStore } from '../../src/store/index.ts';
import { findingId, type ReportedFinding } from '../../src/store/findings.ts';
import { silentLogger } from '../../src/util/log.ts';

/** A finding as a rule reports it; override what the test is about. */
export function reported(key: string, overrides: Partial<ReportedFinding> = {}): ReportedFinding {
  const ruleId = overrides.ruleId ?? 'estimate-required';
  const subject = overrides.subject ?? { kind: 'item' as const, key: `demo:${key}` };
  return {
    id: findingId(ruleId, subject),
    ruleId,
    category: 'compliance',
    severity: 'warning',
    subject,
    message: `${key} "Story ${key}" has no estimate`,
    evidence: {},
    owner: { id: 'u-ada', name: 'Ada Lovelace', email: 'ada@acme.example' },
    url: `https://acme.atlassian.net/browse/${key}`,
    source: 'demo',
    project: key.split('-')[0] ?? 'PAY',
    team: 'Payments',
    fix: { field: 'estimate', input: 'number' },
    ...overrides,
  };
}

/** A stored, open finding (as read back from the store), for builders that take a Finding. */
export function openFinding(key: string, overrides: Partial<Finding> = {}): Finding {
  return {
    ...reported(key),
    state: 'open',
    firstSeenAt: '2026-11-21T09:00:00.000Z',
    lastSeenAt: '2026-11-21T09:00:00.000Z',
    resolvedAt: null,
    snoozedUntil: null,
    ...overrides,
  };
}

export function config(slack: ConfigInput['slack'] = {}, extra: Partial<ConfigInput> = {}): Config {
  return ConfigSchema.parse({ timezone: 'Europe/Berlin', storage: { path: ':memory:' }, sources: [{ id: 'demo', kind: 'sample' }], slack, ...extra });
}

export interface Sent {
  message: SlackMessage;
  at: number;
  ts: string;
}

/**
 * A store plus a recording transport on a virtual clock: `cycle(at, findings)` records what the rules
 * reported, runs the notify step and delivers, like one worker cycle after evaluation.
 */
export function notifyHarness(cfg: Config, options: { interactive?: boolean; mentions?: (store: ReturnType<typeof openStore>) => MentionResolver } = {}) {
  const store = openStore(':memory:');
  const sent: Sent[] = [];
  let now = 0;
  let counter = 0;
  const clock = { now: () => new Date(now) };
  const transport: Transport = {
    name: 'recording',
    async send(message) {
      const ts = `${1700000000 + ++counter}.000100`;
      sent.push({ message, at: now, ts });
      return { ref: ts };
    },
  };
  const pacer = createChannelPacer(1000);
  const log = silentLogger();
  const mentions = options.mentions?.(store) ?? createMentionResolver({ store, slack: cfg.slack, clock, log });
  return {
    store,
    sent,
    clock,
    setNow(at: string) {
      now = Date.parse(at);
    },
    async cycle(at: string, findings: ReportedFinding[]): Promise<CycleNotifySummary> {
      now = Date.parse(at);
      const runId = store.startRun('cycle', at);
      store.transaction(() => {
        store.findings.record(findings, runId, at);
        store.findings.resolveUnseenIn(runId, at, { all: true, rules: [], items: [], keep: [], seen: new Set(findings.map((f) => f.id)) });
      });
      const summary = await notifyCycle({ store, config: cfg, clock, log, mentions, interactive: options.interactive ?? false }, runId, clock.now());
      await this.deliver();
      return summary;
    },
    async deliver() {
      return deliverOutbox({
        store,
        transport,
        clock,
        log,
        pacer,
        sleep: async (ms) => {
          now += ms;
        },
      });
    },
    sentTo(channel: string): Sent[] {
      return sent.filter((s) => s.message.channel === channel);
    },
  };
}

export function texts(message: SlackMessage): string {
  return JSON.stringify(message.blocks);
}

export type { Finding };
