import type { webApi } from '@slack/bolt';
import { createHash } from 'node:crypto';
import type { Finding } from '../model/finding.ts';
import { deliverOutbox, type ChannelPacer } from '../notify/deliver.ts';
import type { DigestExtensions } from '../notify/digest.ts';
import type { MentionResolver } from '../notify/mentions.ts';
import type { Block, SlackMessage } from '../notify/message.ts';
import type { Transport } from '../notify/transports/transport.ts';
import { errorMessage } from '../util/errors.ts';
import { createDecisions, type Actor, type DecisionDeps, type Decisions } from './decisions.ts';
import { homeView } from './blocks/home.ts';

type WebClient = webApi.WebClient;

/** What the Slack app needs from the worker's runtime. */
export interface SlackAppDeps extends DecisionDeps {
  /** Message updates leave through the outbox and this transport, like every message. */
  transport: Transport;
  pacer: ChannelPacer;
  mentions: MentionResolver;
  extensions?: DigestExtensions;
}

/** The deps plus the helpers every listener shares. */
export interface SlackContext extends SlackAppDeps {
  decisions: Decisions;
  actor(client: WebClient, userId: string): Promise<Actor>;
  /** Replaces a message's blocks (through the outbox, delivered right away); the same content twice is one update. */
  updateMessage(channel: string, ts: string, text: string, blocks: Block[]): Promise<void>;
  /** What is on a person's plate: findings they own and prompts put to them. */
  openFindingsOf(actor: Actor): Finding[];
  publishHome(client: WebClient, userId: string): Promise<void>;
}

export function createSlackContext(deps: SlackAppDeps): SlackContext {
  const { store, clock, log } = deps;
  const ctx: SlackContext = {
    ...deps,
    decisions: createDecisions(deps),

    /** The clicking user's e-mail: from the cache, else `users.info` (scope users:read.email), then cached. */
    async actor(client, userId) {
      const cached = store.slack.emailOfUser(userId);
      if (cached) return { userId, email: cached };
      try {
        const info = await client.users.info({ user: userId });
        const email = info.user?.profile?.email ?? null;
        if (email) store.slack.cacheUser(email, userId, clock.now().toISOString());
        return { userId, email: email ? email.toLowerCase() : null };
      } catch (err) {
        log.warn({ error: errorMessage(err) }, 'Could not read the Slack user; acting without their e-mail');
        return { userId, email: null };
      }
    },

    async updateMessage(channel, ts, text, blocks) {
      const message: SlackMessage = { channel, text, blocks, updateTs: ts };
      const now = clock.now().toISOString();
      const digest = createHash('sha1').update(JSON.stringify([text, blocks])).digest('hex').slice(0, 16);
      const { id, added } = store.outbox.add({ dedupeKey: `update:${channel}:${ts}:${digest}`, channel, kind: 'update', payload: message }, now);
      if (!added) return;
      await deliverOutbox({ store, transport: deps.transport, clock, log, only: [id], pacer: deps.pacer });
    },

    openFindingsOf(actor) {
      return actor.email ? store.slack.openOwnedBy(actor.email, actor.userId) : [];
    },

    async publishHome(client, userId) {
      const me = await ctx.actor(client, userId);
      await client.views.publish({ user_id: userId, view: homeView(ctx.openFindingsOf(me), me.email) });
    },
  };
  return ctx;
}
