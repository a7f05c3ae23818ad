import type { types } from '@slack/bolt';

export type Block = types.KnownBlock;

/** A Slack message as built once and delivered through the outbox, whatever the transport. */
export interface SlackMessage {
  channel: string;
  /** Fallback text for notifications and screen readers. */
  text: string;
  blocks: Block[];
  /** Posts into this thread (a message ts) when set. */
  threadTs?: string;
  /** Posts into the thread of the message another outbox entry posted (its ts is known once it is sent). */
  threadOfOutboxId?: number;
  /** Replaces the message with this ts (`chat.update`) instead of posting a new one. */
  updateTs?: string;
}

/** Slack's own limits (https://api.slack.com/reference/block-kit/blocks). */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  modalBlocks: 100,
  modalTitle: 24,
  privateMetadata: 3000,
  /** Whole-message text budget: msg_blocks_too_long was seen at ~13.2k (https://github.com/slackapi/bolt-js/issues/2509). */
  messageChars: 12_000,
} as const;

/**
 * Escapes the three characters Slack's mrkdwn treats as control characters, so text from Jira or
 * Azure DevOps cannot ping (`<!channel>`, `<@U…>`) or forge a link (`<https://…|label>`).
 * https://api.slack.com/reference/surfaces/formatting#escaping
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A user mention when the Slack id is known, else the escaped name. */
export function mention(userId: string | null | undefined, name: string): string {
  return userId && /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(name);
}

/** Plain text (headers, buttons, modal titles) cut to Slack's limit. */
export function plain(text: string, max: number): { type: 'plain_text'; text: string; emoji: true } {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

/** A link whose label cannot break out of the `<url|label>` syntax. */
export function mrkdwnLink(url: string | null, label: string): string {
  const safeLabel = escapeMrkdwn(label).replace(/\|/g, '¦');
  if (!url || !/^https?:\/\//i.test(url)) return safeLabel;
  return `<${url.replace(/[<>|\s]/g, encodeURIComponent)}|${safeLabel}>`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
