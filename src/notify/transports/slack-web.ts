import type { SlackMessage } from '../message.ts';
import { RetryableDeliveryError, type DeliveryReceipt, type Transport } from './transport.ts';

export interface SlackWebTransportOptions {
  apiUrl: string;
  botToken: string;
  fetch?: typeof fetch;
}

/** Errors Slack returns that will not go away by retrying (https://api.slack.com/methods/chat.postMessage). */
const PERMANENT = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'missing_scope', 'invalid_blocks', 'msg_too_long']);

/** Posts through the Slack Web API's `chat.postMessage`; 429s and 5xx are retried by the outbox. */
export function createSlackWebTransport(options: SlackWebTransportOptions): Transport {
  const doFetch = options.fetch ?? fetch;
  const base = options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`;
  return {
    name: 'slack',
    async send(message: SlackMessage): Promise<DeliveryReceipt> {
      let res: Response;
      try {
        res = await doFetch(`${base}chat.postMessage`, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${options.botToken}` },
          body: JSON.stringify({
            channel: message.channel,
            text: message.text,
            blocks: message.blocks,
            unfurl_links: false,
            ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
          }),
        });
      } catch (err) {
        throw new RetryableDeliveryError(`Slack unreachable: ${(err as Error).message}`);
      }
      if (res.status === 429) {
        const after = Number(res.headers.get('retry-after') ?? '1');
        throw new RetryableDeliveryError('Slack rate limit (429)', (Number.isFinite(after) ? after : 1) * 1000);
      }
      if (res.status >= 500) throw new RetryableDeliveryError(`Slack answered HTTP ${res.status}`);
      const body = (await res.json().catch(() => ({}))) as { ok?: boolean; ts?: string; error?: string };
      if (body.ok) return { ref: body.ts ?? null };
      const error = body.error ?? `HTTP ${res.status}`;
      if (error === 'ratelimited') throw new RetryableDeliveryError('Slack rate limit', 1000);
      if (PERMANENT.has(error)) throw new Error(`Slack refused the message for ${message.channel}: ${error}`);
      throw new RetryableDeliveryError(`Slack error: ${error}`);
    },
  };
}
