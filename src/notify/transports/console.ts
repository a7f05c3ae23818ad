import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SlackMessage } from '../message.ts';
import { renderTerminal } from '../render-terminal.ts';
import type { DeliveryReceipt, Transport } from './transport.ts';

export interface ConsoleTransportOptions {
  /** Where the raw Block Kit JSON of each message is written, for inspection or the Block Kit Builder. */
  outDir: string;
  write?: (text: string) => void;
  color?: boolean;
  width?: number;
}

/** Prints messages legibly instead of posting them: the default when no Slack token is configured. */
export function createConsoleTransport(options: ConsoleTransportOptions): Transport {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const color = options.color ?? (process.stdout.isTTY === true && !process.env['NO_COLOR']);
  const width = options.width ?? Math.min(process.stdout.columns || 100, 100);
  return {
    name: 'console',
    async send(message: SlackMessage, outboxId: number): Promise<DeliveryReceipt> {
      mkdirSync(options.outDir, { recursive: true });
      const file = join(options.outDir, `${String(outboxId).padStart(6, '0')}-${message.channel.replace(/[^\w-]+/g, '')}.json`);
      writeFileSync(file, JSON.stringify({ channel: message.channel, text: message.text, blocks: message.blocks }, null, 2) + '\n');
      write(renderTerminal(message, { color, width }) + '\n');
      return { ref: file };
    },
  };
}
