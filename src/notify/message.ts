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
}

/** Slack's own limits (https://api.slack.com/reference/block-kit/blocks). */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
} as const;

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
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
