import { describe, expect, it } from 'vitest';
import { deliverOutbox } from '../../src/notify/deliver.ts';
import type { SlackMessage } from '../../src/notify/message.ts';
import { RetryableDeliveryError, type Transport } from '../../src/notify/transports/transport.ts';
import { openStore } from '../../src/store/index.ts';
import { fixedClock } from '../../src/util/clock.ts';
import { silentLogger } from '../../src/util/log.ts';

const message = (channel: string): SlackMessage => ({ channel, text: 'hi', blocks: [] });

function recordingTransport(failures: Array<Error | null>): Transport & { sent: string[] } {
  const sent: string[] = [];
  return {
    name: 'recording',
    sent,
    async send(m) {
      const failure = failures.shift();
      if (failure) throw failure;
      sent.push(m.channel);
      return { ref: `ts-${sent.length}` };
    },
  };
}

describe('outbox', () => {
  it('enqueues idempotently by dedupe key and sends each message once', async () => {
    const store = openStore(':memory:');
    const now = '2026-11-21T09:00:00.000Z';
    store.outbox.enqueue({ dedupeKey: 'alerts:run-1:#a', channel: '#a', kind: 'alerts', payload: message('#a') }, now);
    store.outbox.enqueue({ dedupeKey: 'alerts:run-1:#a', channel: '#a', kind: 'alerts', payload: message('#a') }, now);
    const transport = recordingTransport([]);
    const deps = { store, transport, clock: fixedClock(now), log: silentLogger() };

    await deliverOutbox(deps);
    await deliverOutbox(deps);

    expect(transport.sent).toEqual(['#a']);
    expect(store.outbox.list('sent').map((m) => m.externalRef)).toEqual(['ts-1']);
  });

  it('retries a rate-limited message after Retry-After, and gives up on a permanent error', async () => {
    const store = openStore(':memory:');
    const t0 = '2026-11-21T09:00:00.000Z';
    store.outbox.enqueue({ dedupeKey: 'a', channel: '#a', kind: 'alerts', payload: message('#a') }, t0);
    store.outbox.enqueue({ dedupeKey: 'b', channel: '#gone', kind: 'alerts', payload: message('#gone') }, t0);
    const transport = recordingTransport([new RetryableDeliveryError('429', 30_000), new Error('channel_not_found')]);

    const first = await deliverOutbox({ store, transport, clock: fixedClock(t0), log: silentLogger() });
    const tooEarly = await deliverOutbox({ store, transport, clock: fixedClock('2026-11-21T09:00:20.000Z'), log: silentLogger() });
    const later = await deliverOutbox({ store, transport, clock: fixedClock('2026-11-21T09:00:31.000Z'), log: silentLogger() });

    expect(first).toEqual({ sent: 0, retrying: 1, failed: 1 });
    expect(tooEarly).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(later).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(store.outbox.list('failed').map((m) => m.lastError)).toEqual(['channel_not_found']);
  });

  it('never resends a message that was being sent when the process died', async () => {
    const store = openStore(':memory:');
    const now = '2026-11-21T09:00:00.000Z';
    store.outbox.enqueue({ dedupeKey: 'a', channel: '#a', kind: 'alerts', payload: message('#a') }, now);
    const [pending] = store.outbox.due(now);
    store.outbox.claim(pending!.id); // the crash happens here, after claiming and before the receipt

    const recovered = store.outbox.recoverInterrupted();
    const transport = recordingTransport([]);
    await deliverOutbox({ store, transport, clock: fixedClock(now), log: silentLogger() });

    expect(recovered).toBe(1);
    expect(transport.sent).toEqual([]);
    expect(store.outbox.list('uncertain')).toHaveLength(1);
  });
});
