import type { Store } from '../store/index.ts';
import type { OutboxMessage } from '../store/outbox.ts';
import type { Clock } from '../util/clock.ts';
import { errorMessage } from '../util/errors.ts';
import type { Logger } from '../util/log.ts';
import type { SlackMessage } from './message.ts';
import { RetryableDeliveryError, type Transport } from './transports/transport.ts';

export interface DeliveryTally {
  sent: number;
  retrying: number;
  failed: number;
}

export interface DeliveryDeps {
  store: Store;
  transport: Transport;
  clock: Clock;
  log: Logger;
  /** Messages taken per page (pages repeat until nothing is due). */
  limit?: number;
  /** Deliver only these outbox ids (an interaction's update, sent right away). */
  only?: readonly number[];
  /** Waits between posts to one channel; tests and the bench pass a virtual one. */
  sleep?: (ms: number) => Promise<void>;
  /** Per-channel spacing; shared across calls so consecutive cycles keep it too. */
  pacer?: ChannelPacer;
}

const MAX_ATTEMPTS = 6;
const BACKOFF_MS = [30_000, 120_000, 600_000, 1_800_000, 3_600_000];
/** A thread reply waits this long for its parent message to be posted. */
const PARENT_WAIT_MS = 5_000;
const MAX_PAGES = 1000;

/**
 * `chat.postMessage` "generally allows posting one message per second per channel"
 * (https://api.slack.com/docs/rate-limits#tier_t5): the pacer remembers when each channel last got a
 * message and tells the sender how long to wait.
 */
export interface ChannelPacer {
  readonly intervalMs: number;
  readyAt(channel: string): number;
  sent(channel: string, at: number): void;
}

export function createChannelPacer(intervalMs = 1000): ChannelPacer {
  const last = new Map<string, number>();
  return {
    intervalMs,
    readyAt: (channel) => (last.get(channel) ?? Number.NEGATIVE_INFINITY) + intervalMs,
    sent: (channel, at) => void last.set(channel, at),
  };
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Sends what is due in the outbox: oldest first per channel, channels interleaved, never faster than
 * the pacer allows per channel. Each message is claimed before it is sent (a crash mid-send leaves it
 * `uncertain`, never sent twice); thread replies wait for their parent's ts.
 */
export async function deliverOutbox(deps: DeliveryDeps): Promise<DeliveryTally> {
  const { store, clock } = deps;
  const tally: DeliveryTally = { sent: 0, retrying: 0, failed: 0 };
  const pacer = deps.pacer ?? createChannelPacer();
  const sleep = deps.sleep ?? realSleep;
  for (let page = 0; page < MAX_PAGES; page++) {
    const batch = deps.only
      ? deps.only.map((id) => store.outbox.get(id)).filter((m): m is OutboxMessage => m?.state === 'pending')
      : store.outbox.due(clock.now().toISOString(), deps.limit ?? 500);
    if (batch.length === 0) break;
    const queues = new Map<string, OutboxMessage[]>();
    for (const m of batch) queues.set(m.channel, [...(queues.get(m.channel) ?? []), m]);
    let virtualNow = clock.now().getTime();
    while (queues.size > 0) {
      let next: string | undefined;
      let nextAt = Number.POSITIVE_INFINITY;
      for (const channel of queues.keys()) {
        const at = pacer.readyAt(channel);
        if (at < nextAt) [next, nextAt] = [channel, at];
      }
      const queue = queues.get(next!)!;
      virtualNow = Math.max(virtualNow, clock.now().getTime());
      if (nextAt > virtualNow) {
        await sleep(nextAt - virtualNow);
        virtualNow = Math.max(nextAt, clock.now().getTime());
      }
      const msg = queue.shift()!;
      if (queue.length === 0) queues.delete(next!);
      const outcome = await deliverOne(deps, msg, virtualNow);
      if (outcome === 'sent') {
        tally.sent++;
        pacer.sent(msg.channel, virtualNow);
      } else if (outcome === 'retrying') {
        tally.retrying++;
        queues.delete(msg.channel); // rate limited or down: the rest of this channel waits for a later pass
      } else if (outcome === 'failed') {
        tally.failed++;
      }
    }
    if (deps.only) break;
  }
  return tally;
}

async function deliverOne(deps: DeliveryDeps, msg: OutboxMessage, at: number): Promise<'sent' | 'retrying' | 'failed' | 'deferred' | 'skipped'> {
  const { store, transport, clock, log } = deps;
  const payload = { ...(msg.payload as SlackMessage) };
  if (payload.threadOfOutboxId !== undefined) {
    const parent = store.outbox.get(payload.threadOfOutboxId);
    if (parent && (parent.state === 'pending' || parent.state === 'sending')) {
      store.outbox.defer(msg.id, new Date(at + PARENT_WAIT_MS).toISOString());
      return 'deferred';
    }
    // A parent that failed or is uncertain: the reply is posted on its own rather than lost.
    if (parent?.state === 'sent' && parent.externalRef) payload.threadTs = parent.externalRef;
  }
  if (!store.outbox.claim(msg.id)) return 'skipped';
  try {
    const receipt = await transport.send(payload, msg.id);
    store.transaction(() => {
      store.outbox.markSent(msg.id, clock.now().toISOString(), receipt.ref);
      if (receipt.ref && msg.kind === 'alerts') store.slack.recordMessageTs(msg.id, receipt.ref);
    });
    return 'sent';
  } catch (err) {
    const retryable = err instanceof RetryableDeliveryError && msg.attempts + 1 < MAX_ATTEMPTS;
    const wait = err instanceof RetryableDeliveryError && err.retryAfterMs !== null ? err.retryAfterMs : (BACKOFF_MS[msg.attempts] ?? 3_600_000);
    const next = retryable ? new Date(Math.max(at, clock.now().getTime()) + wait).toISOString() : null;
    store.outbox.markFailed(msg.id, errorMessage(err), next);
    log.warn({ channel: msg.channel, outboxId: msg.id, attempt: msg.attempts + 1, retryAt: next, error: errorMessage(err) }, 'Message not delivered');
    return retryable ? 'retrying' : 'failed';
  }
}
