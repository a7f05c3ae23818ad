import { afterEach, describe, expect, it, vi } from 'vitest';
import { builtInRules } from '../../rules/api.ts';
import { ruleSetup } from '../../src/engine/setup.ts';
import { ConfigSchema } from '../../src/config/schema.ts';
import { createChannelPacer } from '../../src/notify/deliver.ts';
import { createMentionResolver } from '../../src/notify/mentions.ts';
import { createSlackWebTransport } from '../../src/notify/transports/slack-web.ts';
import { createSlackApp, type SlackAppHandle } from '../../src/slack/app.ts';
import { openStore } from '../../src/store/index.ts';
import { silentLogger } from '../../src/util/log.ts';
import { makeWorkItem } from '../helpers/builders.ts';
import { startFakeSlack, type FakeSlack } from './helpers.ts';
import { startFakeSocketServer, type FakeSocketServer } from './ws-server.ts';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describe('Socket Mode (the real @slack/socket-mode client against a local WebSocket endpoint)', () => {
  it('opens the connection through slack.apiUrl, answers /pmo in the ack and snoozes from a button', async () => {
    const fake: FakeSlack = await startFakeSlack();
    const socket: FakeSocketServer = await startFakeSocketServer();
    fake.socketUrl = socket.url;
    fake.users.set('ada@acme.example', 'UADA');
    cleanup.push(() => fake.close(), () => socket.close());
    const config = ConfigSchema.parse({
      storage: { path: ':memory:' },
      sources: [{ id: 'demo', kind: 'sample' }],
      slack: { botToken: 'xoxb-sock', appToken: 'xapp-sock', botId: 'B1', botUserId: 'UBOT', apiUrl: fake.url },
    });
    const store = openStore(':memory:');
    const clock = { now: () => new Date('2026-11-23T09:00:00.000Z') };
    const log = silentLogger();
    store.transaction(() => store.items.upsert([makeWorkItem({ source: 'demo', nativeKey: 'PAY-7', estimate: null, assignee: { id: 'a', name: 'Ada', email: 'ada@acme.example' } })], clock.now().toISOString()));
    const { evaluate } = await import('../../src/engine/evaluate.ts');
    evaluate({ store, library: builtInRules, rules: {}, overrides: [], clock, timezone: 'UTC', log });
    const [finding] = store.findings.list({ state: 'open', ruleId: 'estimate-required' });
    const handle: SlackAppHandle = createSlackApp(config, {
      store,
      config,
      clock,
      log,
      connectors: [],
      rules: builtInRules,
      ruleSetup: ruleSetup(config, builtInRules),
      transport: createSlackWebTransport({ apiUrl: fake.url, botToken: 'xoxb-sock' }),
      pacer: createChannelPacer(0),
      mentions: createMentionResolver({ store, slack: config.slack, clock, log }),
    });
    cleanup.push(() => handle.stop());

    await handle.start();
    await socket.connected;
    socket.send({
      envelope_id: 'env-cmd',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: { token: 'x', team_id: 'T1', channel_id: 'C1', user_id: 'UADA', command: '/pmo', text: 'help', api_app_id: 'A1', response_url: 'http://127.0.0.1:9/x', trigger_id: 't' },
    });
    const commandAck = await socket.ackOf('env-cmd');
    socket.send({
      envelope_id: 'env-snooze',
      type: 'interactive',
      accepts_response_payload: false,
      payload: {
        type: 'block_actions',
        team: { id: 'T1' },
        user: { id: 'UADA' },
        api_app_id: 'A1',
        token: 'x',
        trigger_id: 't2',
        container: { type: 'message', is_ephemeral: false },
        channel: { id: 'D1' },
        message: { ts: '5.5', blocks: [] },
        actions: [{ type: 'static_select', action_id: 'pmo_snooze', block_id: 'b', selected_option: { text: { type: 'plain_text', text: '1 week' }, value: `${finding!.id}:1w` }, action_ts: '1' }],
      },
    });
    await socket.ackOf('env-snooze');
    await vi.waitFor(() => expect(store.findings.get(finding!.id)?.state).toBe('snoozed'), { timeout: 5000 });

    expect(fake.callsTo('apps.connections.open')[0]!.auth).toBe('Bearer xapp-sock');
    expect(JSON.stringify(commandAck['payload'])).toContain('/pmo why KEY');
    expect(store.findings.get(finding!.id)?.snoozedUntil).toBe('2026-11-30T09:00:00.000Z');
    expect(store.findings.events(finding!.id).at(-1)).toMatchObject({ type: 'snoozed', actor: 'slack:UADA (ada@acme.example)' });
  });
});

