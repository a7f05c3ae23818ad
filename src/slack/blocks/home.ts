import type { types } from '@slack/bolt';
import type { Finding } from '../../model/finding.ts';
import { SLACK_LIMITS, plain, type Block } from '../../notify/message.ts';
import { findingsWithActions, HELP_LINES } from './command.ts';

/** The App Home tab: the person's open findings and prompts with the same actions, within 100 blocks. */
export function homeView(findings: readonly Finding[], email: string | null): types.HomeView {
  const blocks: Block[] = [{ type: 'header', text: plain('pmo-bot', SLACK_LIMITS.headerText) }];
  if (!email) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: 'Slack did not share your e-mail with pmo-bot, so it cannot find your items.' } });
  } else if (findings.length === 0) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: ':white_check_mark: Nothing needs your attention. Nice.' } });
  } else {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Your open findings (${findings.length})*, most severe first` } });
    blocks.push(...findingsWithActions(findings, SLACK_LIMITS.modalBlocks - 4));
  }
  blocks.push({ type: 'divider' }, { type: 'context', elements: [{ type: 'mrkdwn', text: HELP_LINES.slice(0, 5).join(' · ') }] });
  return { type: 'home', blocks };
}
