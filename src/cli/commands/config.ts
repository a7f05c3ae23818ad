import { configJsonSchema } from '../../config/json-schema.ts';
import { existsSync } from 'node:fs';
import { unmatchedObjectives } from '../../alignment/service.ts';
import { ConfigSchema, type Config } from '../../config/schema.ts';
import { openStore } from '../../store/index.ts';
import { storagePath } from '../../worker/runtime.ts';
import { PmoError } from '../../util/errors.ts';
import { COMMON_OPTIONS, JSON_OPTION, flag, str, type Command } from '../command.ts';
import { loadCliConfig } from '../context.ts';
import { print, printJson } from '../output.ts';

export const configCommand: Command = {
  name: 'config',
  summary: 'validate the config, or print its JSON Schema',
  usage: 'pmo-bot config validate [--config PATH] [--json] | pmo-bot config schema',
  details: [
    'validate: every problem as `file:line:col  path.to.key  message`; exit 2 when invalid.',
    '  --json prints {valid, file, sources, rules} when valid.',
    'schema: the JSON Schema of the config (for editors: see the yaml-language-server comment in the example).',
  ].join('\n'),
  options: { ...COMMON_OPTIONS, ...JSON_OPTION },
  async run(args) {
    const sub = args.positionals[0];
    if (sub === 'schema') {
      printJson(configJsonSchema(ConfigSchema));
      return 0;
    }
    if (sub !== 'validate') throw new PmoError('USAGE', `config needs a subcommand: validate or schema${sub ? ` (got "${sub}")` : ''}`);
    const cli = loadCliConfig({ config: str(args, 'config') });
    const c = cli.config;
    const unmatched = objectivesWithoutWork(cli.config);
    if (flag(args, 'json')) {
      printJson({ valid: true, file: cli.configPath, sources: c.sources.map((s) => ({ id: s.id, kind: s.kind })), rules: Object.keys(c.rules), objectives: c.objectives.length, unmatchedObjectives: unmatched.map((o) => o.id) });
    } else {
      print(`${cli.configPath}: valid (${c.sources.length} sources, ${Object.keys(c.rules).length} rule settings, ${c.overrides.length} overrides, ${c.objectives.length} objectives)`);
      for (const o of unmatched) print(`warning: objective ${o.id} ("${o.title}") matches no stored work item; check its match`);
    }
    return 0;
  },
};

/** Objectives that select nothing in the existing store (none when there is no store yet). */
function objectivesWithoutWork(config: Config): Array<{ id: string; title: string }> {
  const path = storagePath(config, process.cwd());
  if (path === ':memory:' || !existsSync(path)) return [];
  const store = openStore(path);
  try {
    return unmatchedObjectives(store, config);
  } finally {
    store.close();
  }
}
