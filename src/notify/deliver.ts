import type { Store } from '../store/index.ts';
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

const MAX_ATTEMPTS = 6;
const BACKOFF_MS = [30_000, 120_000, 600_000, 1_800_000, 3_600_000];

/** Sends what is due in the outbox, oldest first; each message is claimed before it is sent. */
export async function deliverOutbox(deps: { store: Store; transport: Transport; clock: Clock; log: Logger; limit?: number }): Promise<DeliveryTally> {
  const { store, transport, clock, log } = deps;
  const tally: DeliveryTally = { sent: 0, retrying: 0, failed: 0 };
  for (const msg of store.outbox.due(clock.now().toISOString(), deps.limit ?? 500)) {
    if (!store.outbox.claim(msg.id)) continue;
    try {
      const receipt = await transport.send(msg.payload as SlackMessage, msg.id);
      store.outbox.markSent(msg.id, clock.now().toISOString(), receipt.ref);
      tally.sent++;
    } catch (err) {
      const retryable = err instanceof RetryableDeliveryError && msg.attempts + 1 < MAX_ATTEMPTS;
      const wait = err instanceof RetryableDeliveryError && err.retryAfterMs !== null ? err.retryAfterMs : (BACKOFF_MS[msg.attempts] ?? 3_600_000);
      const next = retryable ? new Date(clock.now().getTime() + wait).toISOString() : null;
      store.outbox.markFailed(msg.id, errorMessage(err), next);
      if (retryable) tally.retrying++;
      else tally.failed++;
      log.warn({ channel: msg.channel, outboxId: msg.id, attempt: msg.attempts + 1, retryAt: next, error: errorMessage(err) }, 'Message not delivered');
    }
  }
  return tally;
}
