import { describe, expect, it } from 'vitest';
import { createChannelPacer, deliverOutbox } from '../../src/notify/deliver.ts';
import type { SlackMessage } from '../../src/notify/message.ts';
import { createSlackApi } from '../../src/notify/slack-api.ts';
import { createSlackWebTransport } from '../../src/notify/transports/slack-web.ts';
import type { Transport } from '../../src/notify/transports/transport.ts';
import { openStore } from '../../src/store/index.ts';
import { silentLogger } from '../../src/util/log.ts';
import { startFakeSlack } from '../slack/helpers.ts';

const msg = (channel: string, extra: Partial<SlackMessage> = {}): SlackMessage => ({ channel, text: `to ${channel}`, blocks: [], ...extra });

function virtualClock(start: string) {
  let now = Date.parse(start);
  return { clock: { now: () => new Date(now) }, sleep: async (ms: number) => void (now += ms), advance: (ms: number) => void (now += ms) };
}

describe('outbox delivery', () => {
  it('never posts more than one message per second to a channel, and interleaves channels', async () => {
    const store = openStore(':memory:');
    const t = virtualClock('2026-11-23T09:00:00.000Z');
    for (let i = 0; i < 3; i++) for (const c of ['#a', '#b']) store.outbox.enqueue({ dedupeKey: `${c}-${i}`, channel: c, kind: 'alerts', payload: msg(c) }, '2026-11-23T09:00:00.000Z');
    const log: Array<{ channel: string; at: number }> = [];
    const transport: Transport = { name: 'rec', send: async (m) => (log.push({ channel: m.channel, at: t.clock.now().getTime() }), { ref: String(log.length) }) };

    const tally = await deliverOutbox({ store, transport, clock: t.clock, log: silentLogger(), sleep: t.sleep, pacer: createChannelPacer(1000) });

    expect(tally).toEqual({ sent: 6, retrying: 0, failed: 0 });
    expect(log.map((l) => l.channel)).toEqual(['#a', '#b', '#a', '#b', '#a', '#b']);
    for (const c of ['#a', '#b']) {
      const times = log.filter((l) => l.channel === c).map((l) => l.at);
      expect(times.slice(1).map((x, i) => x - times[i]!)).toEqual([1000, 1000]);
    }
  });

  it('honours Retry-After from a real 429 and posts exactly once after it', async () => {
    const fake = await startFakeSlack();
    try {
      fake.rateLimit('chat.postMessage', 1, 30);
      const store = openStore(':memory:');
      const t = virtualClock('2026-11-23T09:00:00.000Z');
      store.outbox.enqueue({ dedupeKey: 'a', channel: '#a', kind: 'alerts', payload: msg('#a') }, '2026-11-23T09:00:00.000Z');
      const transport = createSlackWebTransport({ apiUrl: fake.url, botToken: 'xoxb-t', api: createSlackApi({ apiUrl: fake.url, botToken: 'xoxb-t' }) });
      const deps = { store, transport, clock: t.clock, log: silentLogger(), sleep: t.sleep };

      const first = await deliverOutbox(deps);
      t.advance(29_000);
      const early = await deliverOutbox(deps);
      t.advance(1_000);
      const later = await deliverOutbox(deps);

      expect([first, early, later]).toEqual([
        { sent: 0, retrying: 1, failed: 0 },
        { sent: 0, retrying: 0, failed: 0 },
        { sent: 1, retrying: 0, failed: 0 },
      ]);
      expect(fake.calls.map((c) => c.method)).toEqual(['chat.postMessage#429', 'chat.postMessage']);
      expect(store.outbox.list('sent')[0]!.externalRef).toMatch(/^\d+\.000100$/);
    } finally {
      await fake.close();
    }
  });

  it('keeps a message Slack refuses as failed, with the reason, never dropped silently', async () => {
    const store = openStore(':memory:');
    store.outbox.enqueue({ dedupeKey: 'a', channel: '#gone', kind: 'alerts', payload: msg('#gone') }, '2026-11-23T09:00:00.000Z');
    const transport = createSlackWebTransport({
      apiUrl: 'https://slack.test/api/',
      botToken: 'xoxb-t',
      fetch: async () => new Response(JSON.stringify({ ok: false, error: 'channel_not_found' }), { status: 200, headers: { 'content-type': 'application/json' } }),
    });

    const tally = await deliverOutbox({ store, transport, clock: { now: () => new Date('2026-11-23T09:00:00.000Z') }, log: silentLogger() });

    expect(tally).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(store.outbox.list('failed').map((m) => m.lastError)).toEqual(['Slack chat.postMessage failed: channel_not_found']);
  });

  it('survives a crash and restart without duplicates: re-enqueued keys are ignored, in-flight ones not resent', async () => {
    const path = `${(await import('node:os')).tmpdir()}/pmo-outbox-${process.pid}-${Date.now()}.db`;
    const now = '2026-11-23T09:00:00.000Z';
    const sent: string[] = [];
    const transport: Transport = { name: 'rec', send: async (m) => (sent.push(m.channel), { ref: 'ts' }) };
    const first = openStore(path);
    first.outbox.enqueue({ dedupeKey: 'alerts:run-1:#a', channel: '#a', kind: 'alerts', payload: msg('#a') }, now);
    first.outbox.enqueue({ dedupeKey: 'alerts:run-1:#b', channel: '#b', kind: 'alerts', payload: msg('#b') }, now);
    first.outbox.claim(first.outbox.due(now)[0]!.id); // the process dies mid-send of #a
    first.close();

    const second = openStore(path);
    second.outbox.recoverInterrupted();
    second.outbox.enqueue({ dedupeKey: 'alerts:run-1:#a', channel: '#a', kind: 'alerts', payload: msg('#a') }, now); // the cycle is retried
    second.outbox.enqueue({ dedupeKey: 'alerts:run-1:#b', channel: '#b', kind: 'alerts', payload: msg('#b') }, now);
    await deliverOutbox({ store: second, transport, clock: { now: () => new Date(now) }, log: silentLogger() });
    await deliverOutbox({ store: second, transport, clock: { now: () => new Date(now) }, log: silentLogger() });

    expect(sent).toEqual(['#b']);
    expect(second.outbox.list().map((m) => [m.channel, m.state])).toEqual([
      ['#a', 'uncertain'],
      ['#b', 'sent'],
    ]);
    second.close();
  });

  it('holds a thread reply until its parent is posted, then threads it under the parent\'s ts', async () => {
    const store = openStore(':memory:');
    const t = virtualClock('2026-11-23T09:00:00.000Z');
    const parent = store.outbox.add({ dedupeKey: 'p', channel: '#a', kind: 'alerts', payload: msg('#a') }, '2026-11-23T09:00:00.000Z');
    store.outbox.add({ dedupeKey: 'r', channel: '#a', kind: 'resolved', payload: msg('#a', { threadOfOutboxId: parent.id }) }, '2026-11-23T09:00:00.000Z');
    let fail = true;
    const posted: SlackMessage[] = [];
    const transport: Transport = {
      name: 'rec',
      async send(m) {
        if (fail && !m.threadTs) {
          fail = false;
          throw new (await import('../../src/notify/transports/transport.ts')).RetryableDeliveryError('503', 10_000);
        }
        posted.push(m);
        return { ref: '111.222' };
      },
    };
    const deps = { store, transport, clock: t.clock, log: silentLogger(), sleep: t.sleep };

    await deliverOutbox(deps);
    t.advance(10_000);
    await deliverOutbox(deps);

    expect(posted.map((m) => m.threadTs ?? null)).toEqual([null, '111.222']);
  });

  it('updates a message with chat.update instead of posting a new one', async () => {
    const fake = await startFakeSlack();
    try {
      const transport = createSlackWebTransport({ apiUrl: fake.url, botToken: 'xoxb-t' });

      await transport.send(msg('D1', { updateTs: '123.456' }), 1);

      expect(fake.calls.map((c) => [c.method, c.args['ts']])).toEqual([['chat.update', '123.456']]);
    } finally {
      await fake.close();
    }
  });
});
