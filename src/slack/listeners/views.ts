import type { App, ViewSubmitAction, ViewStateValue } from '@slack/bolt';
import { withOutcome } from '../../notify/blocks/prompt.ts';
import type { Block } from '../../notify/message.ts';
import { ANSWER_ACTION, ANSWER_BLOCK, VIEW_IDS, decodeOrigin } from '../blocks/modals.ts';
import type { SlackContext } from '../context.ts';
import type { Outcome } from '../decisions.ts';
import { errorMessage } from '../../util/errors.ts';

/** The submitted answer, whatever the input element (number, date, user, text). */
export function answerOf(state: Record<string, Record<string, ViewStateValue>> | undefined): string | null {
  const v = state?.[ANSWER_BLOCK]?.[ANSWER_ACTION];
  if (!v) return null;
  return v.value ?? v.selected_date ?? v.selected_user ?? v.selected_option?.value ?? null;
}

/** Updates the prompt message the modal came from, using the blocks as last posted (kept in the outbox). */
async function showInOrigin(ctx: SlackContext, channel: string | null, ts: string | null, findingId: string, outcome: Outcome): Promise<void> {
  if (!channel || !ts || !outcome.changed) return;
  const row = ctx.store.db
    .prepare("SELECT payload FROM outbox WHERE external_ref = ? OR json_extract(payload, '$.updateTs') = ? ORDER BY id DESC LIMIT 1")
    .pluck()
    .get(ts, ts) as string | undefined;
  if (!row) return;
  const blocks = (JSON.parse(row) as { blocks?: Block[] }).blocks;
  if (!blocks) return;
  await ctx.updateMessage(channel, ts, outcome.text, withOutcome(blocks, findingId, outcome.text));
}

/** Fix and Waive modal submissions: validated in the ack (errors shown in the modal), then applied. */
export function register(app: App, ctx: SlackContext): void {
  app.view<ViewSubmitAction>(VIEW_IDS.fix, async ({ ack, body, view, client }) => {
    const origin = decodeOrigin(view.private_metadata);
    const f = origin ? ctx.store.findings.get(origin.findingId) : undefined;
    if (!origin || !f?.fix) {
      await ack({ response_action: 'errors', errors: { [ANSWER_BLOCK]: 'This finding no longer exists.' } });
      return;
    }
    const parsed = ctx.decisions.parseAnswer(f.fix, answerOf(view.state.values));
    if ('error' in parsed) {
      await ack({ response_action: 'errors', errors: { [ANSWER_BLOCK]: parsed.error } });
      return;
    }
    // Close the modal now; the write-back may take longer than Slack's 3 seconds.
    await ack();
    const actor = await ctx.actor(client, body.user.id);
    let value = parsed.value;
    if (f.fix.input === 'user' && typeof value === 'string') {
      const picked = await ctx.actor(client, value);
      value = picked.email ?? value;
    }
    const outcome = await ctx.decisions.fix(f.id, value, actor);
    try {
      await showInOrigin(ctx, origin.channel, origin.ts, f.id, outcome);
      if (!origin.ts) await ctx.publishHome(client, body.user.id);
      if (!outcome.ok && origin.channel) await client.chat.postEphemeral({ channel: origin.channel, user: body.user.id, text: outcome.text });
    } catch (err) {
      ctx.log.warn({ error: errorMessage(err) }, 'Could not show the outcome of a fix');
    }
  });

  app.view<ViewSubmitAction>(VIEW_IDS.waive, async ({ ack, body, view, client }) => {
    const origin = decodeOrigin(view.private_metadata);
    const reason = (answerOf(view.state.values) ?? '').trim();
    if (!origin) {
      await ack({ response_action: 'errors', errors: { [ANSWER_BLOCK]: 'This finding no longer exists.' } });
      return;
    }
    if (reason.length < 5) {
      await ack({ response_action: 'errors', errors: { [ANSWER_BLOCK]: 'Give a reason (at least 5 characters); the PMO reads it in the digest.' } });
      return;
    }
    const actor = await ctx.actor(client, body.user.id);
    const outcome = ctx.decisions.waive(origin.findingId, reason, actor);
    if (!outcome.ok) {
      await ack({ response_action: 'errors', errors: { [ANSWER_BLOCK]: outcome.text.replace(/:[a-z_]+: /, '') } });
      return;
    }
    await ack();
    try {
      await showInOrigin(ctx, origin.channel, origin.ts, origin.findingId, outcome);
      if (!origin.ts) await ctx.publishHome(client, body.user.id);
    } catch (err) {
      ctx.log.warn({ error: errorMessage(err) }, 'Could not show the outcome of a waiver');
    }
  });
}
