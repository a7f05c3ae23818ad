import type { App } from '@slack/bolt';
import { errorMessage } from '../../util/errors.ts';
import type { SlackContext } from '../context.ts';

/** App Home: the person's open findings and prompts, with the same actions, refreshed when opened. */
export function register(app: App, ctx: SlackContext): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    try {
      await ctx.publishHome(client, event.user);
    } catch (err) {
      ctx.log.warn({ error: errorMessage(err) }, 'Could not publish App Home');
    }
  });
}
