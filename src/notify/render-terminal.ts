import type { Block, SlackMessage } from './message.ts';

/** Emoji shortcodes pmo-bot uses, shown as their characters in a terminal. */
const EMOJI: Record<string, string> = {
  red_circle: '🔴',
  large_orange_circle: '🟠',
  large_blue_circle: '🔵',
  white_check_mark: '✅',
  warning: '⚠️',
  chart_with_upwards_trend: '📈',
  hourglass_flowing_sand: '⏳',
  no_entry: '⛔',
  repeat: '🔁',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  arrow_up: '⬆',
  arrow_down: '⬇',
  bell: '🔔',
};

export interface TerminalStyle {
  color: boolean;
  width: number;
}

const ansi = (code: string, color: boolean) => (text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);

/** Slack mrkdwn as terminal text: bold/italic as ANSI (or plain), links as `label (url)`. */
export function mrkdwnToTerminal(text: string, style: TerminalStyle): string {
  const bold = ansi('1', style.color);
  const italic = ansi('2', style.color);
  return text
    .replace(/<([^|>]+)\|([^>]+)>/g, (_m, url: string, label: string) => `${label} (${url})`)
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/<@([UW][A-Z0-9]+)>/g, '@$1')
    .replace(/<!(here|channel|everyone)>/g, '@$1')
    .replace(/:([a-z0-9_+-]+):/g, (m, name: string) => EMOJI[name] ?? m)
    .replace(/(^|[\s(])\*([^*\n]+)\*/g, (_m, pre: string, inner: string) => pre + bold(inner))
    .replace(/(^|[\s(])_([^_\n]+)_/g, (_m, pre: string, inner: string) => pre + italic(inner))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

function renderBlock(block: Block, style: TerminalStyle): string | null {
  const dim = ansi('2', style.color);
  switch (block.type) {
    case 'header': {
      const text = block.text.text.replace(/:([a-z0-9_+-]+):/g, (m, n: string) => EMOJI[n] ?? m);
      return `${ansi('1', style.color)(text)}\n${'═'.repeat(Math.min(style.width, [...text].length + 2))}`;
    }
    case 'section': {
      const parts: string[] = [];
      if (block.text) parts.push(mrkdwnToTerminal(block.text.text, style));
      for (const field of block.fields ?? []) parts.push(indent(mrkdwnToTerminal(field.text.replace(/\n/g, ': '), style), '  '));
      const accessory = block.accessory && 'text' in block.accessory && block.accessory.text ? block.accessory.text.text : null;
      if (accessory && block.accessory?.type === 'button') parts[parts.length - 1] += `  [ ${accessory} ]`;
      return parts.join('\n');
    }
    case 'actions':
      return indent(
        block.elements
          .map((e) => {
            if (e.type === 'button') return `[ ${e.text.text} ]`;
            if ('placeholder' in e && e.placeholder) return `[ ${e.placeholder.text} ▾ ]`;
            return `[ ${e.type} ]`;
          })
          .join(' '),
        '  ',
      );
    case 'context':
      return dim(
        block.elements
          .map((e) => ('text' in e ? mrkdwnToTerminal(e.text, { ...style, color: false }) : ''))
          .filter(Boolean)
          .join('  '),
      );
    case 'divider':
      return dim('─'.repeat(style.width));
    case 'rich_text':
      return null;
    default:
      return dim(`[${block.type} block]`);
  }
}

/** The whole message as it would read in Slack, for the console transport. */
export function renderTerminal(message: SlackMessage, style: TerminalStyle): string {
  const where = `${message.channel}${message.threadTs || message.threadOfOutboxId !== undefined ? ' (thread reply)' : ''}${message.updateTs ? ' (update)' : ''}`;
  const head = `── ${where} ${'─'.repeat(Math.max(3, style.width - where.length - 4))}`;
  const body = message.blocks
    .map((b) => renderBlock(b, style))
    .filter((s): s is string => s !== null)
    .join('\n');
  return `${ansi('36', style.color)(head)}\n${body}\n`;
}
