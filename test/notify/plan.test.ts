import { describe, expect, it } from 'vitest';
import { createMentionResolver } from '../../src/notify/mentions.ts';
import { buildDigests, enqueueDigests } from '../../src/notify/digest.ts';
import { silentLogger } from '../../src/util/log.ts';
import { config, notifyHarness, reported, texts } from './harness.ts';

const MON_10 = '2026-11-23T09:00:00.000Z'; // Monday 10:00 Berlin

describe('alert grouping', () => {
  it('sends one message per channel per cycle, most severe first, with "and N more" and a Show all button', async () => {
    const h = notifyHarness(config({ maxFindingsPerMessage: 2, routes: [{ match: { project: 'MOB' }, channel: '#mobile' }] }), { interactive: true });
    const findings = [
      reported('PAY-1'),
      reported('PAY-2', { ruleId: 'overdue', category: 'risk', severity: 'critical', message: 'PAY-2 is overdue', fix: null }),
      reported('PAY-3', { severity: 'info' }),
      reported('PAY-4'),
      reported('MOB-1'),
    ];

    const summary = await h.cycle(MON_10, findings);

    const alerts = h.sent.filter((s) => s.message.channel.startsWith('#'));
    expect(alerts.map((s) => s.message.channel)).toEqual(['#mobile', '#pmo-alerts']);
    const main = h.sentTo('#pmo-alerts')[0]!.message;
    expect(main.text).toBe('4 new findings: 1 critical · 2 warning · 1 info');
    const sections = main.blocks.filter((b) => b.type === 'section');
    expect(sections.slice(0, 2).map((b) => (b.type === 'section' ? b.text?.text.split(' ')[1] : ''))).toEqual(['*<https://acme.atlassian.net/browse/PAY-2|PAY-2>*', '*<https://acme.atlassian.net/browse/PAY-1|PAY-1>*']);
    expect(sections[2]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '…and 2 more.' },
      accessory: { type: 'button', action_id: 'pmo_show_all', text: { type: 'plain_text', text: 'Show all' }, value: 'alerts:run-1:#pmo-alerts' },
    });
    expect(h.store.slack.findingsOfMessage(h.store.outbox.byKey('alerts:run-1:#pmo-alerts')!.id).map((f) => f.subject.key)).toEqual([
      'demo:PAY-2',
      'demo:PAY-1',
      'demo:PAY-4',
      'demo:PAY-3',
    ]);
    expect(summary).toMatchObject({ alerts: 2, announced: 5, held: 0, overflow: 0 });
  });

  it('announces each finding once; a second cycle with the same findings sends nothing', async () => {
    const h = notifyHarness(config({ prompts: { enabled: false } }));

    await h.cycle(MON_10, [reported('PAY-1')]);
    const again = await h.cycle('2026-11-23T09:15:00.000Z', [reported('PAY-1')]);

    expect(h.sent).toHaveLength(1);
    expect(again.messages).toBe(0);
  });

  it('caps a channel per cycle and leaves the overflow to the digest, never lost', async () => {
    const h = notifyHarness(config({ alerts: { channelCap: 2 }, prompts: { enabled: false } }));
    const findings = ['PAY-1', 'PAY-2', 'PAY-3', 'PAY-4', 'PAY-5'].map((k) => reported(k));

    const summary = await h.cycle(MON_10, findings);
    const next = await h.cycle('2026-11-23T09:15:00.000Z', findings);
    const [digest] = buildDigests(h.store, config(), new Date(MON_10));

    expect(summary).toMatchObject({ announced: 2, overflow: 3 });
    expect(next.announced).toBe(0);
    expect(texts(h.sent[0]!.message)).toContain('3 more over this channel');
    expect(texts(digest!.message)).toContain('Not alerted (over a channel');
    expect(digest!.data.overflow.map((f) => f.subject.key)).toEqual(['demo:PAY-3', 'demo:PAY-4', 'demo:PAY-5']);
    enqueueDigests(h.store, config(), h.clock);
    expect(h.store.slack.overflow()).toEqual([]);
  });

  it('holds alerts in quiet hours and announces them when they end (critical may pass)', async () => {
    const h = notifyHarness(config({ alerts: { quietHours: { start: '19:00', end: '08:00', allowCritical: true } }, prompts: { enabled: false } }));
    const findings = [reported('PAY-1'), reported('PAY-2', { ruleId: 'overdue', severity: 'critical', fix: null })];

    const night = await h.cycle('2026-11-23T21:00:00.000Z', findings); // 22:00 Berlin
    const nightMessages = h.sent.length;
    const morning = await h.cycle('2026-11-24T07:15:00.000Z', findings); // 08:15 Berlin

    expect(night).toMatchObject({ announced: 1, held: 1 });
    expect(nightMessages).toBe(1);
    expect(texts(h.sent[0]!.message)).toContain('PAY-2');
    expect(morning).toMatchObject({ announced: 1, held: 0 });
    expect(texts(h.sent[1]!.message)).toContain('PAY-1');
  });

  it('does not re-alert a finding that re-opens within its rule\'s cool-down; does after it', async () => {
    const h = notifyHarness(config({ alerts: { cooldown: '1d', cooldowns: { overdue: '2d' } }, prompts: { enabled: false } }));
    const f = reported('PAY-1');

    await h.cycle(MON_10, [f]);
    await h.cycle('2026-11-23T10:00:00.000Z', []); // resolved
    const within = await h.cycle('2026-11-23T11:00:00.000Z', [f]); // re-opened 2h later
    await h.cycle('2026-11-24T10:00:00.000Z', []);
    const after = await h.cycle('2026-11-24T11:00:00.000Z', [f]); // re-opened a day after the alert

    expect(within.announced).toBe(0);
    expect(after.announced).toBe(1);
    expect(h.sent.filter((s) => s.message.channel === '#pmo-alerts' && !s.message.threadTs)).toHaveLength(2);
  });

  it('re-announces still-open critical findings on the configured schedule, not every cycle', async () => {
    const h = notifyHarness(config({ alerts: { renotifyCritical: '1d' }, prompts: { enabled: false } }));
    const findings = [reported('PAY-1', { ruleId: 'overdue', severity: 'critical', fix: null }), reported('PAY-2')];

    await h.cycle(MON_10, findings);
    const sameDay = await h.cycle('2026-11-23T15:00:00.000Z', findings);
    const nextDay = await h.cycle('2026-11-24T09:00:00.000Z', findings);

    expect(sameDay.announced).toBe(0);
    expect(nextDay.announced).toBe(1);
    const reminder = h.sent.at(-1)!.message;
    expect(reminder.text).toBe('1 open finding (0 new): 1 critical');
    expect(texts(reminder)).toContain(':repeat: open since 2026-11-23');
  });

  it('replies in the alert\'s thread when its findings resolve', async () => {
    const h = notifyHarness(config({ prompts: { enabled: false } }));

    await h.cycle(MON_10, [reported('PAY-1'), reported('PAY-2')]);
    await h.cycle('2026-11-23T10:00:00.000Z', [reported('PAY-2')]);

    const [alert, reply] = h.sent;
    expect(reply!.message.threadTs).toBe(alert!.ts);
    expect(reply!.message.blocks).toEqual([
      { type: 'context', elements: [{ type: 'mrkdwn', text: ':white_check_mark: Resolved: <https://acme.atlassian.net/browse/PAY-1|PAY-1> (estimate-required)' }] },
    ]);
    expect(h.store.slack.notice(reported('PAY-1').id)?.messageTs).toBe(alert!.ts);
  });
});

describe('owner mentions', () => {
  it('mentions owners found by e-mail (cached) or mapped in config, and names the rest', async () => {
    const lookups: string[] = [];
    const cfg = config({ mentions: { users: { 'grace@acme.example': 'UGRACE', 'nobody@acme.example': false } }, prompts: { enabled: false } });
    const h = notifyHarness(cfg, {
      interactive: true,
      mentions: (store) =>
        createMentionResolver({
          store,
          slack: cfg.slack,
          clock: { now: () => new Date(MON_10) },
          log: silentLogger(),
          api: Object.assign(
            async (_method: string, args: Record<string, unknown>) => {
              lookups.push(String(args['email']));
              return { ok: true, user: { id: 'UADA' } };
            },
            { calls: () => lookups.length },
          ),
        }),
    });
    const owner = (name: string, email: string) => ({ owner: { id: name, name, email } });

    await h.cycle(MON_10, [reported('PAY-1'), reported('PAY-2', owner('Grace', 'grace@acme.example')), reported('PAY-3', owner('No Body', 'nobody@acme.example'))]);
    await h.cycle('2026-11-23T10:00:00.000Z', [reported('PAY-4')]);

    const first = texts(h.sent[0]!.message);
    expect(first).toContain('owner <@UADA>');
    expect(first).toContain('owner <@UGRACE>');
    expect(first).toContain('owner No Body');
    expect(lookups).toEqual(['ada@acme.example']);
  });
});

describe('compliance prompts', () => {
  it('batches one DM per person per cycle, then reminds, then escalates to the team channel once', async () => {
    const cfg = config({ routes: [{ match: { project: 'PAY' }, channel: '#payments' }], prompts: { remindAfter: '1d', escalateAfter: 2 }, alerts: { channelCap: 50 } });
    const h = notifyHarness(cfg);
    const bob = { owner: { id: 'b', name: 'Bob', email: 'bob@acme.example' } };
    const findings = [reported('PAY-1'), reported('PAY-2'), reported('PAY-3'), reported('PAY-4', bob), reported('PAY-5', { fix: null })];

    const first = await h.cycle(MON_10, findings);
    const second = await h.cycle('2026-11-23T10:00:00.000Z', findings);
    const { enqueueReminders } = await import('../../src/notify/prompts.ts');
    const tooSoon = enqueueReminders(h.store, { config: cfg, clock: { now: () => new Date('2026-11-23T20:00:00.000Z') } });
    const day2 = enqueueReminders(h.store, { config: cfg, clock: { now: () => new Date('2026-11-24T09:00:00.000Z') } });
    const day3 = enqueueReminders(h.store, { config: cfg, clock: { now: () => new Date('2026-11-25T09:00:00.000Z') } });
    const day4 = enqueueReminders(h.store, { config: cfg, clock: { now: () => new Date('2026-11-26T09:00:00.000Z') } });
    const day5 = enqueueReminders(h.store, { config: cfg, clock: { now: () => new Date('2026-11-27T09:00:00.000Z') } });
    h.setNow('2026-11-27T09:00:00.000Z');
    await h.deliver();

    expect(first.prompts).toEqual({ messages: 2, findings: 4, unreachable: 0 });
    expect(second.prompts.messages).toBe(0);
    const ada = h.sentTo('@ada@acme.example');
    expect(ada[0]!.message.text).toBe('pmo-bot: 3 items need an answer');
    expect(ada[0]!.message.blocks.filter((b) => b.type === 'actions')).toHaveLength(3);
    expect([tooSoon, day2, day3, day4, day5]).toEqual([
      { reminders: 0, escalations: 0 },
      { reminders: 2, escalations: 0 },
      { reminders: 2, escalations: 0 },
      { reminders: 0, escalations: 1 },
      { reminders: 0, escalations: 0 },
    ]);
    expect(ada.map((s) => s.message.text).slice(1)).toEqual(['pmo-bot: Reminder: 3 items still need an answer', 'pmo-bot: Reminder: 3 items still need an answer']);
    const escalation = h.sentTo('#payments').at(-1)!.message;
    expect(escalation.text).toBe('pmo-bot: 4 unanswered prompts');
    expect(texts(escalation)).toContain('owner Bob');
  });

  it('asks again once a snooze has run out, not while it lasts', async () => {
    const h = notifyHarness(config());
    const f = reported('PAY-1');

    await h.cycle(MON_10, [f]);
    h.store.findings.setState(f.id, { state: 'snoozed', actor: 'slack:UADA', reason: 'snoozed', until: '2026-11-24T09:00:00.000Z' }, MON_10);
    h.store.slack.answerPrompt(f.id, 'snoozed 1d', MON_10);
    const during = await h.cycle('2026-11-23T12:00:00.000Z', [f]);
    const after = await h.cycle('2026-11-24T09:15:00.000Z', [f]);

    expect(during.prompts.messages).toBe(0);
    expect(after.prompts.messages).toBe(1);
    expect(h.sentTo('@ada@acme.example')).toHaveLength(2);
  });
});
