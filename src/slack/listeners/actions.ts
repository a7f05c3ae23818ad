import type { App, BlockAction, ButtonAction, RespondFn, StaticSelectAction, webApi } from '@slack/bolt';
import { PROMPT_ACTIONS, SNOOZE_CHOICES, withOutcome, type SnoozeChoice } from '../../notify/blocks/prompt.ts';
import type { Block } from '../../notify/message.ts';
import { mineReply } from '../blocks/command.ts';
import { fixModal, showAllModal, waiveModal, type ModalView } from '../blocks/modals.ts';
import type { Outcome } from '../decisions.ts';
import type { SlackContext } from '../context.ts';
import { deliverOutbox } from '../../notify/deliver.ts';
import { errorMessage } from '../../util/errors.ts';
import { SLACK_LIMITS, escapeMrkdwn, mrkdwnLink, plain } from '../../notify/message.ts';
import { displayKey } from '../../notify/blocks/alerts.ts';

/** Where a click happened, so the outcome can be shown there. */
interface Origin {
  channel: string | null;
  ts: string | null;
  blocks: Block[] | null;
  ephemeral: boolean;
  home: boolean;
}

function originOf(body: BlockAction): Origin {
  const container = body.container as { type?: string; is_ephemeral?: boolean } | undefined;
  return {
    channel: body.channel?.id ?? null,
    ts: body.message?.ts ?? null,
    blocks: (body.message?.blocks as Block[] | undefined) ?? null,
    ephemeral: container?.is_ephemeral === true,
    home: container?.type === 'view' && body.view?.type === 'home',
  };
}

/** Shows an outcome where the person clicked: the message (updated), an ephemeral reply, or App Home. */
export async function showOutcome(
  ctx: SlackContext,
  args: { client: webApi.WebClient; respond?: RespondFn | undefined; userId: string; origin: Origin; findingId: string; outcome: Outcome },
): Promise<void> {
  const { origin, outcome } = args;
  try {
    if (origin.home) {
      await ctx.publishHome(args.client, args.userId);
      return;
    }
    if (origin.ephemeral && args.respond) {
      // An ephemeral `/pmo mine` list: replaced by the outcome and what is still open.
      const me = await ctx.actor(args.client, args.userId);
      const rest = mineReply(ctx.openFindingsOf(me), me.email);
      await args.respond({ replace_original: true, text: outcome.text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: outcome.text }] }, ...rest.blocks.slice(0, 49)] });
      return;
    }
    const blocks = origin.blocks ? withOutcome(origin.blocks, args.findingId, outcome.text) : null;
    if (origin.channel && origin.ts && blocks && outcome.changed) {
      await ctx.updateMessage(origin.channel, origin.ts, outcome.text, blocks);
      return;
    }
    if (origin.channel) await args.client.chat.postEphemeral({ channel: origin.channel, user: args.userId, text: outcome.text });
  } catch (err) {
    ctx.log.warn({ error: errorMessage(err) }, 'Could not show the outcome of an action');
  }
}

const infoModal = (title: string, text: string): ModalView => ({
  type: 'modal',
  title: plain(title, SLACK_LIMITS.modalTitle),
  close: plain('OK', SLACK_LIMITS.modalTitle),
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
});

/** Fix, Snooze, Waive, Not mine and "Show all": acknowledged at once, modals opened before any slow work. */
export function register(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(PROMPT_ACTIONS.fix, async ({ ack, body, action, client }) => {
    await ack();
    const f = ctx.store.findings.get(action.value ?? '');
    const origin = originOf(body);
    if (!f || !f.fix || f.state !== 'open') {
      await showOutcome(ctx, { client, userId: body.user.id, origin, findingId: action.value ?? '', outcome: ctx.decisions.current(action.value ?? '') });
      return;
    }
    const writable = ctx.connectors.some((c) => c.id === f.source && typeof c.writeBack === 'function');
    // trigger_id lives 3 s: the modal opens before anything slow.
    const view = writable
      ? fixModal({ ...f, fix: f.fix }, { findingId: f.id, channel: origin.channel, ts: origin.ts })
      : infoModal('Fix it in the tool', `pmo-bot cannot write to ${escapeMrkdwn(f.source ?? 'this source')} yet. Open ${mrkdwnLink(f.url, displayKey(f))} and set it there; the next sync picks it up.`);
    await client.views.open({ trigger_id: body.trigger_id, view });
  });

  app.action<BlockAction<StaticSelectAction>>(PROMPT_ACTIONS.snooze, async ({ ack, body, action, client, respond }) => {
    await ack();
    const [findingId = '', choice = ''] = action.selected_option.value.split(':');
    if (!SNOOZE_CHOICES.some((c) => c.value === choice)) return;
    const actor = await ctx.actor(client, body.user.id);
    const outcome = ctx.decisions.snooze(findingId, choice as SnoozeChoice, actor);
    await showOutcome(ctx, { client, respond, userId: body.user.id, origin: originOf(body), findingId, outcome });
  });

  app.action<BlockAction<ButtonAction>>(PROMPT_ACTIONS.waive, async ({ ack, body, action, client }) => {
    await ack();
    const origin = originOf(body);
    const f = ctx.store.findings.get(action.value ?? '');
    if (!f) return;
    const cached = ctx.store.slack.emailOfUser(body.user.id) ?? null;
    // Critical waivers need the actor's e-mail; a cache miss costs one users.info call, still well inside 3 s.
    const actor = f.severity === 'critical' && !cached ? await ctx.actor(client, body.user.id) : { userId: body.user.id, email: cached };
    const view = ctx.decisions.mayWaive(f, actor)
      ? waiveModal(f, { findingId: f.id, channel: origin.channel, ts: origin.ts })
      : infoModal('Not allowed', 'Only the people listed in `slack.waivers.critical` may waive critical findings. Ask your PMO, or fix or snooze it.');
    await client.views.open({ trigger_id: body.trigger_id, view });
  });

  app.action<BlockAction<ButtonAction>>(PROMPT_ACTIONS.notMine, async ({ ack, body, action, client, respond }) => {
    await ack();
    const findingId = action.value ?? '';
    const actor = await ctx.actor(client, body.user.id);
    const f = ctx.store.findings.get(findingId);
    const lead = f?.project ? ctx.config.slack.projectLeads[f.project] : undefined;
    if (lead && lead.includes('@')) await ctx.mentions.resolve([lead]);
    const outcome = ctx.decisions.notMine(findingId, actor, (who) => (/^[UW][A-Z0-9]+$/.test(who) ? who : (ctx.mentions.known(who) ?? null)));
    await showOutcome(ctx, { client, respond, userId: body.user.id, origin: originOf(body), findingId, outcome });
    if (outcome.outboxId !== undefined) {
      await deliverOutbox({ store: ctx.store, transport: ctx.transport, clock: ctx.clock, log: ctx.log, only: [outcome.outboxId], pacer: ctx.pacer });
    }
  });

  app.action<BlockAction<ButtonAction>>('pmo_show_all', async ({ ack, body, action, client }) => {
    await ack();
    const message = ctx.store.outbox.byKey(action.value ?? '');
    const findings = message ? ctx.store.slack.findingsOfMessage(message.id) : [];
    await client.views.open({ trigger_id: body.trigger_id, view: showAllModal(findings) });
  });
}
