import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { builtInRules } from '../../rules/api.ts';
import { ruleSetup } from '../../src/engine/setup.ts';
import { ConfigSchema, type ConfigInput } from '../../src/config/schema.ts';
import { evaluate } from '../../src/engine/evaluate.ts';
import type { WorkItem } from '../../src/model/work-item.ts';
import { notifyCycle } from '../../src/notify/cycle.ts';
import { createChannelPacer, deliverOutbox } from '../../src/notify/deliver.ts';
import { createMentionResolver } from '../../src/notify/mentions.ts';
import { createSlackApi } from '../../src/notify/slack-api.ts';
import { createSlackWebTransport } from '../../src/notify/transports/slack-web.ts';
import { createSlackApp, type SlackAppHandle } from '../../src/slack/app.ts';
import { openStore } from '../../src/store/index.ts';
import type { Clock } from '../../src/util/clock.ts';
import { silentLogger } from '../../src/util/log.ts';
import { makeWorkItem } from '../helpers/builders.ts';
import { SIGNING_SECRET, blockAction, createWriteBackConnector, postSigned, slashCommand, startFakeSlack, viewSubmission, type FakeSlack } from './helpers.ts';

const NOW = '2026-11-23T10:00:00.000Z'; // a Monday, 11:00 in Berlin

interface Harness {
  fake: FakeSlack;
  handle: SlackAppHandle;
  port: number;
  store: ReturnType<typeof openStore>;
  connector: ReturnType<typeof createWriteBackConnector>;
  runCycle(): Promise<void>;
}

let h: Harness;
/** The harness to tear down after each test (the mode tests start none). */
let running: Harness | undefined;

async function setup(
  items: WorkItem[],
  slack: ConfigInput['slack'] = {},
  connectorOptions: { fail?: string; delayMs?: number } = {},
  appOptions: { processBeforeResponse?: boolean } = {},
): Promise<Harness> {
  const fake = await startFakeSlack();
  fake.users.set('ada@acme.example', 'UADA');
  fake.users.set('lead@acme.example', 'ULEAD');
  fake.users.set('boss@acme.example', 'UBOSS');
  const config = ConfigSchema.parse({
    timezone: 'Europe/Berlin',
    storage: { path: ':memory:' },
    sources: [{ id: 'demo', kind: 'sample' }],
    rules: { 'estimate-required': 'warning', overdue: 'critical' },
    slack: {
      mode: 'http',
      botToken: 'xoxb-test-token',
      signingSecret: SIGNING_SECRET,
      botId: 'B1',
      botUserId: 'UBOT',
      apiUrl: fake.url,
      projectLeads: { PAY: 'lead@acme.example' },
      waivers: { critical: ['boss@acme.example'] },
      ...slack,
    },
  });
  const clock: Clock = { now: () => new Date(NOW) };
  const log = silentLogger();
  const store = openStore(':memory:');
  store.transaction(() => store.items.upsert(items, NOW));
  const connector = createWriteBackConnector('test', items, connectorOptions);
  const api = createSlackApi({ apiUrl: fake.url, botToken: 'xoxb-test-token' });
  const transport = createSlackWebTransport({ apiUrl: fake.url, botToken: 'xoxb-test-token', api });
  const mentions = createMentionResolver({ store, slack: config.slack, clock, log, api });
  const pacer = createChannelPacer(0);
  const deps = { store, config, clock, log, connectors: [connector], rules: builtInRules, ruleSetup: ruleSetup(config, builtInRules), transport, pacer, mentions };
  const handle = createSlackApp(config, deps, { port: 0, processBeforeResponse: appOptions.processBeforeResponse ?? true, retries: 0 });
  const { port } = await handle.start();
  return (running = {
    fake,
    handle,
    port: port!,
    store,
    connector,
    async runCycle() {
      const runId = store.startRun('cycle', NOW);
      evaluate({ store, library: builtInRules, rules: config.rules, overrides: config.overrides, clock, timezone: config.timezone, log, runId });
      await notifyCycle({ store, config, clock, log, mentions, interactive: true }, runId, clock.now());
      await deliverOutbox({ store, transport, clock, log, pacer, sleep: async () => undefined });
    },
  });
}

afterEach(async () => {
  await running?.handle.stop();
  await running?.fake.close();
  running = undefined;
});

const unestimated = () => makeWorkItem({ source: 'test', nativeKey: 'PAY-1', title: 'Refunds <!channel>', estimate: null, assignee: { id: 'a', name: 'Ada', email: 'ada@acme.example' } });

describe('Slack app over HTTP (signed requests to the real Bolt receiver)', () => {
  beforeEach(async () => {
    h = await setup([unestimated()]);
    await h.runCycle();
  });

  it('DMs the owner one batched prompt with Fix / Snooze / Waive / Not mine, escaping item text', () => {
    const dms = h.fake.callsTo('chat.postMessage').filter((c) => c.args['channel'] === 'UADA');

    expect(dms).toHaveLength(1);
    const text = JSON.stringify(dms[0]!.args['blocks']);
    expect(text).toContain('Refunds &lt;!channel&gt;');
    expect(text).not.toContain('<!channel>');
    const actions = (dms[0]!.args['blocks'] as Array<{ type: string; elements?: Array<{ action_id: string }> }>).find((b) => b.type === 'actions');
    expect(actions?.elements?.map((e) => e.action_id)).toEqual(['pmo_fix', 'pmo_snooze', 'pmo_waive', 'pmo_not_mine']);
    expect(h.fake.callsTo('users.lookupByEmail').map((c) => c.args['email'])).toEqual(['ada@acme.example']);
    expect(dms[0]!.auth).toBe('Bearer xoxb-test-token');
  });

  it('Fix: opens a number modal, writes the answer back, re-checks the rule, resolves and updates the DM once', async () => {
    const dm = h.fake.callsTo('chat.postMessage').find((c) => c.args['channel'] === 'UADA')!;
    const [finding] = h.store.findings.list({ state: 'open', ruleId: 'estimate-required' });
    const dmTs = h.store.outbox.list('sent').find((m) => m.channel === 'UADA')!.externalRef!;

    const click = await postSigned(h.port, blockAction({ user: 'UADA', actionId: 'pmo_fix', value: finding!.id, channel: 'D1', ts: dmTs, blocks: dm.args['blocks'] as unknown[] }));
    const modal = h.fake.callsTo('views.open')[0]!.args['view'] as { callback_id: string; private_metadata: string; blocks: Array<{ type: string; element?: { type: string } }> };
    const submit = () =>
      postSigned(h.port, viewSubmission({ user: 'UADA', callbackId: modal.callback_id, privateMetadata: modal.private_metadata, values: { answer: { value: { type: 'number_input', value: '5' } } } }));
    const first = await submit();
    const second = await submit();

    expect(click.status).toBe(200);
    expect(modal.blocks.find((b) => b.type === 'input')?.element?.type).toBe('number_input');
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(h.connector.changes).toEqual([{ key: 'PAY-1', change: { field: 'estimate', value: 5, actor: 'ada@acme.example' } }]);
    expect(h.store.findings.get(finding!.id)?.state).toBe('resolved');
    expect(h.store.items.get('test:PAY-1')?.estimate).toBe(5);
    const fixed = h.store.findings.events(finding!.id).filter((e) => e.type === 'fixed');
    expect(fixed).toEqual([expect.objectContaining({ actor: 'slack:UADA (ada@acme.example)', reason: 'estimate set from Slack', data: { field: 'estimate', before: null, value: 5, stillReported: false } })]);
    const updates = h.fake.callsTo('chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.args['ts']).toBe(dmTs);
    expect(JSON.stringify(updates[0]!.args['blocks'])).toContain(':white_check_mark: estimate of PAY-1 set to 5 by <@UADA>');
    expect(h.store.slack.prompt(finding!.id)?.answer).toBe('fixed estimate');
  });

  it('Fix: a rejected answer stays in the modal with an error, nothing is written', async () => {
    const [finding] = h.store.findings.list({ state: 'open', ruleId: 'estimate-required' });
    const metadata = JSON.stringify({ f: finding!.id, c: 'D1', t: '1001.000100' });

    const res = await postSigned(h.port, viewSubmission({ user: 'UADA', callbackId: 'pmo_fix_submit', privateMetadata: metadata, values: { answer: { value: { type: 'number_input', value: '-3' } } } }));

    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ response_action: 'errors', errors: { answer: 'Enter a number of 0 or more.' } });
    expect(h.connector.changes).toEqual([]);
  });

  it('Snooze: a double click snoozes once, audits once and updates the message once', async () => {
    const [finding] = h.store.findings.list({ state: 'open', ruleId: 'estimate-required' });
    const dm = h.fake.callsTo('chat.postMessage').find((c) => c.args['channel'] === 'UADA')!;
    const click = () => postSigned(h.port, blockAction({ user: 'UADA', actionId: 'pmo_snooze', selected: `${finding!.id}:3d`, channel: 'D1', ts: '1001.000100', blocks: dm.args['blocks'] as unknown[] }));

    await click();
    await click();

    const f = h.store.findings.get(finding!.id)!;
    expect(f.state).toBe('snoozed');
    expect(f.snoozedUntil).toBe('2026-11-26T10:00:00.000Z');
    expect(h.store.findings.events(finding!.id).filter((e) => e.type === 'snoozed')).toEqual([
      expect.objectContaining({ actor: 'slack:UADA (ada@acme.example)', reason: 'snoozed for 3 days from Slack' }),
    ]);
    expect(h.fake.callsTo('chat.update')).toHaveLength(1);
    expect(h.fake.callsTo('chat.postEphemeral').map((c) => c.args['text'])).toEqual([expect.stringContaining('already snoozed until 2026-11-26')]);
  });

  it('Not mine: hands the item to the project lead from config as a DM of its own', async () => {
    const [finding] = h.store.findings.list({ state: 'open', ruleId: 'estimate-required' });

    await postSigned(h.port, blockAction({ user: 'UADA', actionId: 'pmo_not_mine', value: finding!.id, channel: 'D1', ts: '1001.000100', blocks: [] }));

    const toLead = h.fake.callsTo('chat.postMessage').filter((c) => c.args['channel'] === 'ULEAD');
    expect(toLead).toHaveLength(1);
    expect(toLead[0]!.args['text']).toBe('pmo-bot: 1 item handed to you');
    expect(h.store.slack.prompt(finding!.id)).toMatchObject({ person: 'lead@acme.example', slackUser: 'ULEAD', answeredAt: null });
    expect(h.store.findings.events(finding!.id).map((e) => e.type)).toContain('handed_over');
    const leadsList = await postSigned(h.port, slashCommand('ULEAD', 'mine'));
    const adasList = await postSigned(h.port, slashCommand('UADA', 'mine'));
    expect(JSON.stringify(JSON.parse(leadsList.text))).toContain('Your open findings (1)');
    expect(JSON.stringify(JSON.parse(adasList.text))).toContain('Your open findings (1)');
  });

  it('an answer from the ephemeral /pmo mine list replaces it with the outcome and what is still open', async () => {
    const [finding] = h.store.findings.list({ state: 'open', ruleId: 'estimate-required' });

    await postSigned(
      h.port,
      blockAction({
        user: 'UADA',
        actionId: 'pmo_snooze',
        selected: `${finding!.id}:1d`,
        channel: 'C1',
        container: { type: 'message', message_ts: '9.9', channel_id: 'C1', is_ephemeral: true },
        responseUrl: h.fake.url.replace('/api/', '/respond/hook'),
      }),
    );

    const [reply] = h.fake.calls.filter((c) => c.method.startsWith('/respond') || c.method.startsWith('respond'));
    expect(reply?.args['replace_original']).toBe(true);
    expect(JSON.stringify(reply?.args['blocks'])).toContain('snoozed PAY-1 for 1 day');
    expect(JSON.stringify(reply?.args['blocks'])).toContain('You have no open findings');
  });

  it('refuses wrongly signed and stale requests without running any listener', async () => {
    const [finding] = h.store.findings.list({ state: 'open', ruleId: 'estimate-required' });
    const body = blockAction({ user: 'UADA', actionId: 'pmo_snooze', selected: `${finding!.id}:1d`, channel: 'D1', ts: '1001.000100' });

    const forged = await postSigned(h.port, body, { secret: 'not-the-secret' });
    const stale = await postSigned(h.port, body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });

    expect(forged.status).toBe(401);
    expect(stale.status).toBe(401);
    expect(h.store.findings.get(finding!.id)?.state).toBe('open');
  });

  it('/pmo why, mine, help and status answer only to the asker', async () => {
    const why = await postSigned(h.port, slashCommand('UADA', 'why PAY-1'));
    const mine = await postSigned(h.port, slashCommand('UADA', 'mine'));
    const help = await postSigned(h.port, slashCommand('UADA', ''));
    const status = await postSigned(h.port, slashCommand('UADA', 'status PAY'));

    const whyBody = JSON.parse(why.text) as { response_type: string; blocks: unknown[] };
    expect(whyBody.response_type).toBe('ephemeral');
    expect(JSON.stringify(whyBody.blocks)).toContain('Planned work carries an estimate');
    expect(JSON.stringify(JSON.parse(mine.text))).toContain('Your open findings (1)');
    expect(JSON.stringify(JSON.parse(help.text))).toContain('/pmo why KEY');
    expect(JSON.stringify(JSON.parse(status.text))).toMatch(/\*PAY\* · 1 items · compliance 0%/);
  });

  it('publishes App Home with the person\'s open findings and the same actions', async () => {
    const event = JSON.stringify({
      token: 'legacy',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: 'Ev1',
      event_time: 1,
      event: { type: 'app_home_opened', user: 'UADA', channel: 'D1', tab: 'home', event_ts: '1.1' },
    });

    const res = await postSigned(h.port, event, { contentType: 'application/json' });

    expect(res.status).toBe(200);
    const view = h.fake.callsTo('views.publish')[0]!.args as { user_id: string; view: { type: string; blocks: Array<{ type: string }> } };
    expect(view.user_id).toBe('UADA');
    expect(view.view.type).toBe('home');
    expect(view.view.blocks.filter((b) => b.type === 'actions')).toHaveLength(1);
  });
});

describe('waivers', () => {
  const overdue = () =>
    makeWorkItem({ source: 'test', nativeKey: 'PAY-9', dueDate: '2026-11-01', statusCategory: 'in_progress', status: 'In Progress', assignee: { id: 'a', name: 'Ada', email: 'ada@acme.example' } });

  it('only configured people may waive a critical finding; the reason is required and audited', async () => {
    h = await setup([overdue()]);
    await h.runCycle();
    const [finding] = h.store.findings.list({ state: 'open', ruleId: 'overdue' });
    expect(finding?.severity).toBe('critical');

    await postSigned(h.port, blockAction({ user: 'UADA', actionId: 'pmo_waive', value: finding!.id, channel: 'C1', ts: '1.1' }));
    await postSigned(h.port, blockAction({ user: 'UBOSS', actionId: 'pmo_waive', value: finding!.id, channel: 'C1', ts: '1.1' }));
    const metadata = (h.fake.callsTo('views.open')[1]!.args['view'] as { private_metadata: string }).private_metadata;
    const tooShort = await postSigned(h.port, viewSubmission({ user: 'UBOSS', callbackId: 'pmo_waive_submit', privateMetadata: metadata, values: { answer: { value: { type: 'plain_text_input', value: 'ok' } } } }));
    const byAda = await postSigned(h.port, viewSubmission({ user: 'UADA', callbackId: 'pmo_waive_submit', privateMetadata: metadata, values: { answer: { value: { type: 'plain_text_input', value: 'Customer accepted the delay' } } } }));
    const byBoss = await postSigned(h.port, viewSubmission({ user: 'UBOSS', callbackId: 'pmo_waive_submit', privateMetadata: metadata, values: { answer: { value: { type: 'plain_text_input', value: 'Customer accepted the delay' } } } }));

    const titles = h.fake.callsTo('views.open').map((c) => (c.args['view'] as { title: { text: string } }).title.text);
    expect(titles).toEqual(['Not allowed', 'Waive finding']);
    expect(JSON.parse(tooShort.text).response_action).toBe('errors');
    expect(JSON.parse(byAda.text).response_action).toBe('errors');
    expect(byBoss.text).toBe('');
    expect(h.store.findings.get(finding!.id)?.state).toBe('waived');
    expect(h.store.findings.events(finding!.id).filter((e) => e.type === 'waived')).toEqual([
      expect.objectContaining({ actor: 'slack:UBOSS (boss@acme.example)', reason: 'Customer accepted the delay' }),
    ]);
  });

  it('an unassigned item in progress is put to the project lead, who picks the assignee in a user select', async () => {
    h = await setup([makeWorkItem({ source: 'test', nativeKey: 'PAY-5', status: 'In Progress', statusCategory: 'in_progress', assignee: null })]);
    await h.runCycle();
    const [finding] = h.store.findings.list({ state: 'open', ruleId: 'assignee-when-in-progress' });
    const toLead = h.fake.callsTo('chat.postMessage').filter((c) => c.args['channel'] === 'ULEAD');

    await postSigned(h.port, blockAction({ user: 'ULEAD', actionId: 'pmo_fix', value: finding!.id, channel: 'D2', ts: '1.1' }));
    const modal = h.fake.callsTo('views.open')[0]!.args['view'] as { private_metadata: string; blocks: Array<{ type: string; element?: { type: string } }> };
    await postSigned(
      h.port,
      viewSubmission({ user: 'ULEAD', callbackId: 'pmo_fix_submit', privateMetadata: modal.private_metadata, values: { answer: { value: { type: 'users_select', selected_user: 'UADA' } } } }),
    );

    expect(toLead).toHaveLength(1);
    expect(modal.blocks.find((b) => b.type === 'input')?.element?.type).toBe('users_select');
    expect(h.connector.changes).toEqual([{ key: 'PAY-5', change: { field: 'assignee', value: 'ada@acme.example', actor: 'lead@acme.example' } }]);
    expect(h.store.findings.get(finding!.id)?.state).toBe('resolved');
  });

  it('Fix on an item whose source cannot write back says where to fix it instead of asking', async () => {
    h = await setup([makeWorkItem({ source: 'readonly', nativeKey: 'OPS-3', estimate: null, assignee: { id: 'a', name: 'Ada', email: 'ada@acme.example' } })]);
    await h.runCycle();
    const [finding] = h.store.findings.list({ state: 'open', ruleId: 'estimate-required' });

    await postSigned(h.port, blockAction({ user: 'UADA', actionId: 'pmo_fix', value: finding!.id, channel: 'D1', ts: '1.1' }));

    const view = h.fake.callsTo('views.open')[0]!.args['view'] as { title: { text: string }; blocks: Array<{ text: { text: string } }> };
    expect(view.title.text).toBe('Fix it in the tool');
    expect(view.blocks[0]!.text.text).toContain('<https://acme.atlassian.net/browse/OPS-3|OPS-3>');
  });

  it('a failed write-back is reported, audited and leaves the finding open', async () => {
    h = await setup([unestimated()], {}, { fail: 'Field customfield_10016 is not on the edit screen' });
    await h.runCycle();
    const [finding] = h.store.findings.list({ state: 'open', ruleId: 'estimate-required' });
    const metadata = JSON.stringify({ f: finding!.id, c: 'D1', t: '1001.000100' });

    await postSigned(h.port, viewSubmission({ user: 'UADA', callbackId: 'pmo_fix_submit', privateMetadata: metadata, values: { answer: { value: { type: 'number_input', value: '3' } } } }));

    expect(h.store.findings.get(finding!.id)?.state).toBe('open');
    expect(h.store.findings.events(finding!.id).find((e) => e.type === 'write_back_failed')?.data).toEqual({ field: 'estimate', before: null, value: 3 });
    expect(h.fake.callsTo('chat.postEphemeral')[0]!.args['text']).toContain('Field customfield_10016 is not on the edit screen');
  });
});

describe('acknowledgement', () => {
  it('answers a Fix submission at once while a slow write-back runs, and two quick submits write once', async () => {
    h = await setup([unestimated()], {}, { delayMs: 1500 }, { processBeforeResponse: false });
    await h.runCycle();
    const [finding] = h.store.findings.list({ state: 'open', ruleId: 'estimate-required' });
    const body = viewSubmission({
      user: 'UADA',
      callbackId: 'pmo_fix_submit',
      privateMetadata: JSON.stringify({ f: finding!.id, c: 'D1', t: '1001.000100' }),
      values: { answer: { value: { type: 'number_input', value: '8' } } },
    });

    const started = performance.now();
    const [a, b] = await Promise.all([postSigned(h.port, body), postSigned(h.port, body)]);
    const answeredMs = performance.now() - started;
    await vi.waitFor(() => expect(h.store.findings.get(finding!.id)?.state).toBe('resolved'), { timeout: 5000 });

    expect([a.status, b.status]).toEqual([200, 200]);
    expect(answeredMs).toBeLessThan(1000);
    expect(h.connector.changes).toHaveLength(1);
    expect(h.store.findings.events(finding!.id).filter((e) => e.type === 'fixed')).toHaveLength(1);
  });
});

describe('modes', () => {
  const base = { timezone: 'UTC', storage: { path: ':memory:' }, sources: [{ id: 'demo', kind: 'sample' }] };
  const deps = () => {
    const store = openStore(':memory:');
    const cfg = ConfigSchema.parse(base);
    const clock = { now: () => new Date(NOW) };
    const log = silentLogger();
    return { store, config: cfg, clock, log, connectors: [], rules: builtInRules, ruleSetup: ruleSetup(cfg, builtInRules), transport: { name: 'x', send: async () => ({ ref: null }) }, pacer: createChannelPacer(), mentions: createMentionResolver({ store, slack: cfg.slack, clock, log }) };
  };

  it('uses Socket Mode when an app token is configured, HTTP otherwise, and refuses incomplete settings', () => {
    const socket = ConfigSchema.parse({ ...base, slack: { botToken: 'xoxb-1', appToken: 'xapp-1', botId: 'B1', botUserId: 'U1' } });
    const http = ConfigSchema.parse({ ...base, slack: { botToken: 'xoxb-1', signingSecret: 'secret', botId: 'B1', botUserId: 'U1' } });
    const noSecret = ConfigSchema.parse({ ...base, slack: { botToken: 'xoxb-1' } });
    const consoleOnly = ConfigSchema.parse(base);
    const explicit = ConfigSchema.safeParse({ ...base, slack: { mode: 'socket', botToken: 'xoxb-1', signingSecret: '' } });
    const explicitHttp = ConfigSchema.safeParse({ ...base, slack: { mode: 'http', botToken: '' } });

    expect(createSlackApp(socket, deps()).mode).toBe('socket');
    expect(createSlackApp(http, deps()).mode).toBe('http');
    expect(() => createSlackApp(noSecret, deps())).toThrow(/HTTP mode needs slack.signingSecret/);
    expect(() => createSlackApp(consoleOnly, deps())).toThrow(/console/);
    expect(explicit.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['slack.appToken', 'Socket Mode needs an app-level token (xapp-…, scope connections:write)']]);
    expect(explicitHttp.error?.issues.map((i) => i.path.join('.'))).toEqual(['slack.botToken', 'slack.signingSecret']);
  });
});
