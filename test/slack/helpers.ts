import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connector, PullPage, WriteBackChange, WriteBackResult } from '../../src/model/connector.ts';
import type { WorkItem } from '../../src/model/work-item.ts';

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  auth: string | null;
}

export interface FakeSlack {
  url: string;
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** E-mail → user id known to the fake workspace. */
  users: Map<string, string>;
  /** What `apps.connections.open` answers (Socket Mode). */
  socketUrl: string;
  /** The next N calls to a method answer 429 with this Retry-After. */
  rateLimit(method: string, times: number, retryAfterSeconds: number): void;
  close(): Promise<void>;
}

/** Values WebClient sends form-encoded (objects as JSON strings) or as JSON, normalised to objects. */
function parseBody(raw: string, type: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (type?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    try {
      out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    } catch {
      out[k] = v;
    }
  }
  return out;
}

/** A local stand-in for the Slack Web API (via slack.apiUrl), recording every call in order. */
export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: RecordedCall[] = [];
  const users = new Map<string, string>();
  const limits = new Map<string, { times: number; after: number }>();
  let tsCounter = 1000;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
      const args = parseBody(raw, req.headers['content-type']);
      const limit = limits.get(method);
      if (limit && limit.times > 0) {
        limit.times--;
        calls.push({ method: `${method}#429`, args, auth: req.headers.authorization ?? null });
        res.writeHead(429, { 'retry-after': String(limit.after), 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      calls.push({ method, args, auth: req.headers.authorization ?? null });
      const reply = (body: Record<string, unknown>) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      switch (method) {
        case 'chat.postMessage':
          return reply({ ok: true, channel: args['channel'], ts: `${++tsCounter}.000100` });
        case 'chat.update':
          return reply({ ok: true, channel: args['channel'], ts: args['ts'] });
        case 'users.lookupByEmail': {
          const id = users.get(String(args['email']).toLowerCase());
          return reply(id ? { ok: true, user: { id, profile: { email: args['email'] } } } : { ok: false, error: 'users_not_found' });
        }
        case 'users.info': {
          const entry = [...users].find(([, id]) => id === args['user']);
          return reply(entry ? { ok: true, user: { id: entry[1], profile: { email: entry[0] } } } : { ok: false, error: 'user_not_found' });
        }
        case 'apps.connections.open':
          return reply({ ok: true, url: fake.socketUrl });
        default:
          return reply({ ok: true });
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const fake: FakeSlack = {
    socketUrl: '',
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    users,
    rateLimit: (method, times, after) => void limits.set(method, { times, after }),
    close: () => new Promise((r) => server.close(() => r())),
  };
  return fake;
}

export const SIGNING_SECRET = 'test-signing-secret-0123456789';

/** A request signed as Slack signs it (https://api.slack.com/authentication/verifying-requests-from-slack). */
export async function postSigned(
  port: number,
  body: string,
  options: { contentType?: string; secret?: string; timestamp?: number } = {},
): Promise<{ status: number; text: string }> {
  const ts = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', options.secret ?? SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-signature': signature,
      'x-slack-request-timestamp': String(ts),
    },
    body,
  });
  return { status: res.status, text: await res.text() };
}

/** An interactive payload (block_actions, view_submission) as Slack posts it: form-encoded `payload=`. */
export function interaction(payload: Record<string, unknown>): string {
  return `payload=${encodeURIComponent(JSON.stringify({ token: 'legacy', api_app_id: 'A1', team: { id: 'T1', domain: 'acme' }, ...payload }))}`;
}

export function blockAction(args: {
  user: string;
  actionId: string;
  value?: string;
  selected?: string;
  channel?: string;
  ts?: string;
  blocks?: unknown[];
  container?: Record<string, unknown>;
  view?: Record<string, unknown>;
  responseUrl?: string;
}): string {
  const action =
    args.selected !== undefined
      ? { type: 'static_select', action_id: args.actionId, block_id: 'b', selected_option: { text: { type: 'plain_text', text: 'x' }, value: args.selected }, action_ts: '1.2' }
      : { type: 'button', action_id: args.actionId, block_id: 'b', value: args.value, action_ts: '1.2' };
  return interaction({
    type: 'block_actions',
    user: { id: args.user, username: args.user, team_id: 'T1' },
    trigger_id: `trigger-${Math.random().toString(16).slice(2)}`,
    container: args.container ?? { type: 'message', message_ts: args.ts, channel_id: args.channel, is_ephemeral: false },
    ...(args.channel ? { channel: { id: args.channel, name: 'directmessage' } } : {}),
    ...(args.ts ? { message: { type: 'message', ts: args.ts, text: 'x', blocks: args.blocks ?? [] } } : {}),
    ...(args.view ? { view: args.view } : {}),
    response_url: args.responseUrl ?? 'http://127.0.0.1:9/never',
    actions: [action],
  });
}

export function viewSubmission(args: { user: string; callbackId: string; privateMetadata: string; values: Record<string, Record<string, unknown>> }): string {
  return interaction({
    type: 'view_submission',
    user: { id: args.user, username: args.user, team_id: 'T1' },
    trigger_id: 'trigger-view',
    view: {
      id: 'V1',
      type: 'modal',
      callback_id: args.callbackId,
      private_metadata: args.privateMetadata,
      state: { values: args.values },
      hash: 'h',
      title: { type: 'plain_text', text: 't' },
      blocks: [],
    },
  });
}

export function slashCommand(user: string, text: string): string {
  return new URLSearchParams({
    token: 'legacy',
    team_id: 'T1',
    team_domain: 'acme',
    channel_id: 'C1',
    channel_name: 'general',
    user_id: user,
    user_name: user,
    command: '/pmo',
    text,
    api_app_id: 'A1',
    response_url: 'http://127.0.0.1:9/never',
    trigger_id: 'trigger-cmd',
  }).toString();
}

/**
 * A small connector that owns the test items and implements `writeBack`, standing in for the Jira and
 * Azure DevOps connectors (built in parallel on other branches); it records every change asked of it.
 */
export function createWriteBackConnector(id: string, items: WorkItem[], options: { fail?: string; delayMs?: number } = {}): Connector & { changes: Array<{ key: string; change: WriteBackChange }> } {
  const changes: Array<{ key: string; change: WriteBackChange }> = [];
  return {
    id,
    kind: 'test',
    changes,
    async *pull(): AsyncGenerator<PullPage> {
      yield { items, quarantined: [], sprints: [], removed: [], watermark: null, cursor: null, requests: 0 };
    },
    async writeBack(key: string, change: WriteBackChange): Promise<WriteBackResult> {
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      if (options.fail) return { ok: false, message: options.fail };
      changes.push({ key, change });
      return { ok: true, message: `updated ${key}` };
    },
    async check() {
      return [];
    },
  };
}
