import { RetryableDeliveryError } from './transports/transport.ts';

/** Errors Slack returns that will not go away by retrying (https://api.slack.com/methods/chat.postMessage). */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'invalid_blocks',
  'msg_too_long',
  'msg_blocks_too_long',
  'users_not_found',
  'user_not_found',
  'cant_update_message',
  'message_not_found',
]);

export class SlackApiError extends Error {
  readonly error: string;
  constructor(method: string, error: string) {
    super(`Slack ${method} failed: ${error}`);
    this.name = 'SlackApiError';
    this.error = error;
  }
}

export interface SlackApiOptions {
  apiUrl: string;
  botToken: string;
  fetch?: typeof fetch;
}

export type SlackApiCall = (method: string, args: Record<string, unknown>) => Promise<Record<string, unknown>>;

/**
 * One Slack Web API call as JSON with the bot token. 429s, `ratelimited`, 5xx and network errors
 * throw RetryableDeliveryError (with Retry-After, https://api.slack.com/docs/rate-limits) for the
 * outbox to retry; Slack's permanent errors throw SlackApiError. The token never enters a message.
 */
export function createSlackApi(options: SlackApiOptions): SlackApiCall & { calls: () => number } {
  const doFetch = options.fetch ?? fetch;
  const base = options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`;
  let calls = 0;
  const call = async (method: string, args: Record<string, unknown>): Promise<Record<string, unknown>> => {
    calls++;
    let res: Response;
    try {
      res = await doFetch(`${base}${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${options.botToken}` },
        body: JSON.stringify(args),
      });
    } catch (err) {
      throw new RetryableDeliveryError(`Slack unreachable: ${(err as Error).message}`);
    }
    if (res.status === 429) {
      const after = Number(res.headers.get('retry-after') ?? '1');
      throw new RetryableDeliveryError(`Slack rate limit on ${method} (429)`, (Number.isFinite(after) && after > 0 ? after : 1) * 1000);
    }
    if (res.status >= 500) throw new RetryableDeliveryError(`Slack answered HTTP ${res.status} to ${method}`);
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (body['ok'] === true) return body;
    const error = typeof body['error'] === 'string' ? body['error'] : `HTTP ${res.status}`;
    if (error === 'ratelimited') throw new RetryableDeliveryError(`Slack rate limit on ${method}`, 1000);
    if (PERMANENT.has(error)) throw new SlackApiError(method, error);
    throw new RetryableDeliveryError(`Slack ${method} error: ${error}`);
  };
  return Object.assign(call, { calls: () => calls });
}
