import { builtInRules } from '../../../rules/api.ts';
import { configJsonSchema } from '../../config/json-schema.ts';
import type { AnyRule } from '../../engine/rule.ts';
import { PmoError } from '../../util/errors.ts';
import { suggest } from '../../config/suggest.ts';
import { COMMON_OPTIONS, JSON_OPTION, flag, type Command } from '../command.ts';
import { print, printJson, table } from '../output.ts';

/** `rules list --json` entry (contract: fields may be added). */
export interface RuleListing {
  id: string;
  category: string;
  scope: string;
  defaultSeverity: string;
  presets: string[];
  description: string;
  fix: AnyRule['meta']['fix'] | null;
}

export function listing(rule: AnyRule): RuleListing {
  return {
    id: rule.meta.id,
    category: rule.meta.category,
    scope: rule.meta.scope,
    defaultSeverity: rule.meta.defaultSeverity,
    // Until methodology presets exist every built-in rule is on by default: the `recommended` set.
    presets: ['recommended'],
    description: rule.meta.description,
    fix: rule.meta.fix ?? null,
  };
}

export const rulesCommand: Command = {
  name: 'rules',
  summary: 'the rule library: list the rules, or explain one',
  usage: 'pmo-bot rules list [--json] | pmo-bot rules explain ID',
  details: 'list --json prints an array of {id, category, scope, defaultSeverity, presets, description}.',
  options: { ...COMMON_OPTIONS, ...JSON_OPTION },
  async run(args) {
    const [sub, id] = args.positionals;
    if (sub === 'list') {
      const rows = builtInRules.map(listing);
      if (flag(args, 'json')) printJson(rows);
      else print(table(['id', 'category', 'scope', 'default', 'description'], rows.map((r) => [r.id, r.category, r.scope, r.defaultSeverity, r.description])));
      return 0;
    }
    if (sub === 'explain') {
      const rule = builtInRules.find((r) => r.meta.id === id);
      if (!rule) {
        const guess = id ? suggest(id, builtInRules.map((r) => r.meta.id)) : undefined;
        throw new PmoError('USAGE', `unknown rule "${id ?? ''}"${guess ? ` (did you mean "${guess}"?)` : ''}`);
      }
      print(explain(rule));
      return 0;
    }
    throw new PmoError('USAGE', 'rules needs a subcommand: list or explain ID');
  },
};

function explain(rule: AnyRule): string {
  const m = rule.meta;
  const schema = configJsonSchema(m.options) as { properties?: Record<string, { default?: unknown; description?: string }> };
  const options = Object.entries(schema.properties ?? {}).map(
    ([k, p]) => `  ${k} (default ${JSON.stringify(p.default)})${p.description ? `: ${p.description}` : ''}`,
  );
  return [
    `${m.id}  [${m.category}, ${m.scope}, default ${m.defaultSeverity}]`,
    '',
    m.description + '.',
    '',
    `Why: ${m.rationale}`,
    '',
    'Options:',
    ...(options.length ? options : ['  (none)']),
    '',
    'Messages:',
    ...Object.entries(m.messages).map(([k, v]) => `  ${k}: ${v}`),
    ...(m.fix ? ['', `Fix in chat: asks for ${m.fix.field} (${m.fix.input})`] : []),
    '',
    'Configure:',
    `  rules:\n    ${m.id}: ${m.defaultSeverity}            # or off, info, warning, critical`,
    `    ${m.id}: [${m.defaultSeverity}, { ... }]  # with options`,
  ].join('\n');
}
