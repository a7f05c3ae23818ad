import type { SlackMessage } from '../message.ts';
import { createSlackApi, type SlackApiCall } from '../slack-api.ts';
import type { DeliveryReceipt, Transport } from './transport.ts';

export interface SlackWebTransportOptions {
  apiUrl: string;
  botToken: string;
  fetch?: typeof fetch;
  /** An existing API caller (shares its call count); built from apiUrl/botToken otherwise. */
  api?: SlackApiCall;
}

/**
 * Posts through `chat.postMessage` (or `chat.update` when the message replaces an earlier one);
 * 429s and 5xx are retried by the outbox, honouring Retry-After.
 */
export function createSlackWebTransport(options: SlackWebTransportOptions): Transport {
  const api = options.api ?? createSlackApi(options);
  return {
    name: 'slack',
    async send(message: SlackMessage): Promise<DeliveryReceipt> {
      const common = { channel: message.channel, text: message.text, blocks: message.blocks };
      if (message.updateTs) {
        const body = await api('chat.update', { ...common, ts: message.updateTs });
        return { ref: typeof body['ts'] === 'string' ? body['ts'] : message.updateTs };
      }
      const body = await api('chat.postMessage', {
        ...common,
        unfurl_links: false,
        unfurl_media: false,
        ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
      });
      return { ref: typeof body['ts'] === 'string' ? body['ts'] : null };
    },
  };
}
