import type { SlackMessage } from '../message.ts';

export interface DeliveryReceipt {
  /** Slack's message `ts`, or where the console transport wrote the message. */
  ref: string | null;
}

/** Thrown for failures worth retrying (rate limits, 5xx, network); `retryAfterMs` when told. */
export class RetryableDeliveryError extends Error {
  readonly retryAfterMs: number | null;
  constructor(message: string, retryAfterMs: number | null = null) {
    super(message);
    this.name = 'RetryableDeliveryError';
    this.retryAfterMs = retryAfterMs;
  }
}

export interface Transport {
  readonly name: string;
  send(message: SlackMessage, outboxId: number): Promise<DeliveryReceipt>;
}
