import { deliverOutbox, type DeliveryTally } from '../notify/deliver.ts';
import { enqueueDigests } from '../notify/digest.ts';
import { enqueueReminders, type ReminderTally } from '../notify/prompts.ts';
import type { Runtime } from './runtime.ts';

/** The weekly digest (schedules.digest): every audience once per week, then delivered. */
export async function runDigest(rt: Runtime): Promise<{ queued: number; delivery: DeliveryTally }> {
  const queued = enqueueDigests(rt.store, rt.config, rt.clock, rt.extensions, (email) => rt.mentions.known(email));
  const delivery = await deliverOutbox({ store: rt.store, transport: rt.transport, clock: rt.clock, log: rt.log, pacer: rt.pacer });
  return { queued, delivery };
}

/** Reminders for unanswered prompts and escalation (schedules.reminders), then delivered. */
export async function runReminders(rt: Runtime): Promise<ReminderTally & { delivery: DeliveryTally }> {
  const tally = enqueueReminders(rt.store, { config: rt.config, clock: rt.clock, userOf: (email) => rt.mentions.known(email) });
  const delivery = await deliverOutbox({ store: rt.store, transport: rt.transport, clock: rt.clock, log: rt.log, pacer: rt.pacer });
  return { ...tally, delivery };
}
