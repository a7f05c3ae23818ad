import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/errors.ts';
import { PmoError, errorMessage } from '../util/errors.ts';
import type { Command } from './command.ts';
import { alignmentCommand } from './commands/alignment.ts';
import { auditCommand } from './commands/audit.ts';
import { checkCommand } from './commands/check.ts';
import { configCommand } from './commands/config.ts';
import { doctorCommand } from './commands/doctor.ts';
import { digestCommand } from './commands/digest.ts';
import { findingsCommand } from './commands/findings.ts';
import { forecastCommand } from './commands/forecast.ts';
import { healthCommand } from './commands/health.ts';
import { itemsCommand } from './commands/items.ts';
import { kpisCommand } from './commands/kpis.ts';
import { rulesCommand } from './commands/rules.ts';
import { runCommand } from './commands/run.ts';
import { syncCommand } from './commands/sync.ts';

export const COMMANDS: readonly Command[] = [
  runCommand,
  syncCommand,
  itemsCommand,
  checkCommand,
  findingsCommand,
  healthCommand,
  alignmentCommand,
  kpisCommand,
  forecastCommand,
  digestCommand,
  configCommand,
  rulesCommand,
  auditCommand,
  doctorCommand,
];

const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'pmo-bot: methodology compliance, risk and strategic alignment for Jira and Azure DevOps, in Slack',
    '',
    'Usage: pmo-bot <command> [--config PATH] [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --config PATH (else $PMO_BOT_CONFIG, else config/pmo-bot.yaml, else the bundled demo)',
    'and --help. --json prints one JSON document on stdout; logs go to stderr (LOG_LEVEL=debug|info|warn|error).',
    'Exit codes: 0 ok, 1 the command failed, 2 bad usage or invalid config.',
  ].join('\n');
}

function commandHelp(c: Command): string {
  const flags = Object.entries(c.options).map(([name, o]) => `  --${name}${o.short ? `, -${o.short}` : ''}${o.type === 'string' ? ' VALUE' : ''}`);
  return [`Usage: ${c.usage}`, '', c.summary + '.', ...(c.details ? ['', c.details] : []), '', 'Options:', ...flags].join('\n');
}

/** Runs the CLI and returns its exit code; never calls process.exit itself (tests call this). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    process.stdout.write((topic ? commandHelp(topic) : overview()) + '\n');
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(version() + '\n');
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`pmo-bot: unknown command "${name}"\n\n${overview()}\n`);
    return EXIT.usage;
  }
  let args;
  try {
    args = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
  } catch (err) {
    process.stderr.write(`pmo-bot ${name}: ${errorMessage(err)}\n\n${commandHelp(command)}\n`);
    return EXIT.usage;
  }
  if (args.values['help'] === true) {
    process.stdout.write(commandHelp(command) + '\n');
    return EXIT.ok;
  }
  try {
    return await command.run(args);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`pmo-bot: invalid configuration\n${err.message}\n`);
      return EXIT.usage;
    }
    if (err instanceof PmoError) {
      process.stderr.write(`pmo-bot ${name}: ${err.message}\n`);
      return err.code === 'USAGE' ? EXIT.usage : EXIT.failed;
    }
    process.stderr.write(`pmo-bot ${name}: ${errorMessage(err)}\n`);
    if (process.env['LOG_LEVEL'] === 'debug' && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
    return EXIT.failed;
  }
}

// Piping into `head` closes stdout early; that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
