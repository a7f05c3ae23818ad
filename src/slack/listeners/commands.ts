import type { App } from '@slack/bolt';
import { computeDigest, digestScopes } from '../../notify/digest.ts';
import { digestMessage } from '../../notify/blocks/digest.ts';
import { helpReply, mineReply, objectivesReply, statusReply, whyReply, type CommandReply } from '../blocks/command.ts';
import type { SlackContext } from '../context.ts';

/** `/pmo <subcommand>`: answered in the acknowledgement itself, visible only to the person who asked. */
export function register(app: App, ctx: SlackContext): void {
  app.command('/pmo', async ({ ack, command, client }) => {
    const [sub = 'help', ...rest] = command.text.trim().split(/\s+/).filter(Boolean);
    const arg = rest.join(' ') || null;
    let reply: CommandReply;
    switch (sub.toLowerCase()) {
      case 'help':
        reply = helpReply();
        break;
      case 'status':
        reply = status(ctx, arg);
        break;
      case 'mine': {
        const me = await ctx.actor(client, command.user_id);
        reply = mineReply(ctx.openFindingsOf(me), me.email);
        break;
      }
      case 'objectives': {
        const scope = digestScopes(ctx.config, ctx.store)[0]!;
        reply = objectivesReply(ctx.config, ctx.extensions?.alignment?.(scope) ?? null);
        break;
      }
      case 'digest': {
        const scope = digestScopes(ctx.config, ctx.store)[0]!;
        const message = digestMessage(computeDigest(ctx.store, ctx.config, scope, ctx.clock.now(), ctx.extensions), { userOf: (e) => ctx.mentions.known(e) });
        reply = { text: message.text, blocks: message.blocks };
        break;
      }
      case 'why': {
        if (!arg) {
          reply = helpReply('Which item? For example `/pmo why PAY-12`.');
          break;
        }
        const key = arg.split(/\s+/)[0]!;
        const found = ctx.store.slack.aboutItem(key).map((finding) => ({
          finding,
          rule: ctx.rules.find((r) => r.meta.id === finding.ruleId),
          events: ctx.store.findings.events(finding.id),
        }));
        reply = whyReply(key, found);
        break;
      }
      default:
        reply = helpReply(`Unknown command \`${sub.replace(/[<>&`]/g, '')}\`.`);
    }
    await ack({ response_type: 'ephemeral', text: reply.text, blocks: reply.blocks });
  });
}

function status(ctx: SlackContext, filter: string | null): CommandReply {
  const scope = digestScopes(ctx.config, ctx.store)[0]!;
  const digest = computeDigest(ctx.store, ctx.config, scope, ctx.clock.now(), {});
  if (!filter) return statusReply(digest.projects, null);
  const wanted = filter.toLowerCase();
  const teams = ctx.store.db.prepare('SELECT DISTINCT project FROM work_items WHERE removed_at IS NULL AND lower(team) = ?').pluck().all(wanted) as string[];
  return statusReply(digest.projects.filter((p) => p.project.toLowerCase() === wanted || teams.includes(p.project)), filter);
}
