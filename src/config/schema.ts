import cron from 'node-cron';
import { z } from 'zod';
import { connectorDefinitions } from '../../connectors/api.ts';
import { builtInRules } from '../../rules/api.ts';
import type { SourceConfigBase } from '../model/connector.ts';
import { TYPE_CATEGORIES } from '../model/work-item.ts';
import { LOG_LEVELS } from '../util/log.ts';
import { suggest } from './suggest.ts';
import { AlignmentSettings, Objective, Theme, checkAlignment } from '../alignment/config.ts';

/**
 * The pmo-bot configuration (contract: see docs/configuration.md). Admin config is strict: a typo is
 * an error, never silently ignored. Each connector and rule contributes its own part.
 */

const Timezone = z
  .string()
  .refine(isTimezone, { message: 'not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)' })
  .describe('IANA time zone for schedules, quiet hours and "today"');

const CronExpression = z.string().refine((expr) => cron.validate(expr), { message: 'not a valid cron expression' });

const SeverityOrOff = z.enum(['off', 'info', 'warning', 'critical']);
const RuleOptions = z.record(z.string(), z.unknown());
export const RuleSettingSchema = z
  .union([SeverityOrOff, z.tuple([SeverityOrOff]), z.tuple([SeverityOrOff, RuleOptions])])
  .describe('a severity (off, info, warning, critical) or [severity, { options }]');
// Checked on the map itself, so unknown ids and bad options are reported alongside other problems.
const RulesMap = z.record(z.string(), RuleSettingSchema).superRefine((rules, ctx) => checkRules(rules, [], ctx));

const OneOrMany = z.union([z.string(), z.array(z.string()).min(1)]);
const TypeCategory = z.enum(TYPE_CATEGORIES);

export const OverrideMatchSchema = z.strictObject({
  source: OneOrMany.optional(),
  project: OneOrMany.optional(),
  team: OneOrMany.optional(),
  typeCategory: z.union([TypeCategory, z.array(TypeCategory).min(1)]).optional(),
  labels: z.array(z.string()).min(1).optional().describe('matches items carrying any of these labels'),
  components: z.array(z.string()).min(1).optional(),
});

// Each connector's schema is a strict object with a literal `kind`; the union picks by it.
const Source: z.ZodType<SourceConfigBase> = z.discriminatedUnion(
  'kind',
  connectorDefinitions.map((c) => c.configSchema) as unknown as [z.ZodObject, ...z.ZodObject[]],
) as unknown as z.ZodType<SourceConfigBase>;

const RouteMatch = z.strictObject({
  project: OneOrMany.optional(),
  source: OneOrMany.optional(),
  team: OneOrMany.optional(),
  rule: OneOrMany.optional(),
  severity: z.enum(['info', 'warning', 'critical']).optional().describe('lowest severity sent to this route'),
});

const Slack = z
  .strictObject({
    mode: z
      .enum(['socket', 'http', 'console'])
      .optional()
      .describe('console prints messages; socket/http post them to Slack. Default: console without a bot token'),
    botToken: z.string().optional().describe('xoxb- bot token'),
    appToken: z.string().optional().describe('xapp- app-level token (Socket Mode)'),
    signingSecret: z.string().optional().describe('request signing secret (HTTP mode)'),
    apiUrl: z.url().default('https://slack.com/api/').describe('Slack Web API base URL (GovSlack, proxies, tests)'),
    channels: z
      .strictObject({
        alerts: z.string().min(1).default('#pmo-alerts'),
        digest: z.string().min(1).default('#pmo-leads'),
      })
      .prefault({}),
    routes: z
      .array(z.strictObject({ match: RouteMatch, channel: z.string().min(1) }))
      .default([])
      .describe('first matching route wins; unmatched findings go to channels.alerts'),
    maxFindingsPerMessage: z.int().min(1).max(40).default(15).describe('findings listed in one alert before "and N more"'),
  })
  .prefault({});

const Schedules = z
  .strictObject({
    sync: CronExpression.default('*/15 * * * *').describe('sync, evaluate and notify'),
    digest: CronExpression.default('0 9 * * MON'),
    reminders: CronExpression.default('0 10 * * 1-5'),
  })
  .prefault({});

export const ConfigSchema = z
  .strictObject({
    include: z.array(z.string()).optional().describe('further YAML files merged into this one'),
    timezone: Timezone.default('UTC'),
    log: z.strictObject({ level: z.enum(LOG_LEVELS).default('info') }).prefault({}),
    storage: z
      .strictObject({ path: z.string().min(1).default('./data/pmo-bot.db').describe('SQLite file; its folder also holds console output') })
      .prefault({}),
    sources: z
      .array(Source)
      .min(1)
      .superRefine((sources, ctx) => checkUnique(sources.map((s) => s.id), [], 'source id', ctx))
      .describe('where work items come from'),
    slack: Slack,
    schedules: Schedules,
    rules: RulesMap.default({}).describe(`rule id → severity or [severity, options]; built-in: ${builtInRules.map((r) => r.meta.id).join(', ')}`),
    overrides: z.array(z.strictObject({ match: OverrideMatchSchema, rules: RulesMap })).default([]),
    objectives: z
      .array(Objective)
      .superRefine((objectives, ctx) => checkUnique(objectives.map((o) => o.id), [], 'objective id', ctx))
      .default([])
      .describe('strategic objectives; work maps to them by epic (or ancestor), label, tag, component, project, team, area path or CEL'),
    themes: z
      .array(Theme)
      .superRefine((themes, ctx) => checkUnique(themes.map((t) => t.id), [], 'theme id', ctx))
      .default([])
      .describe('investment themes (growth, keep-the-lights-on, tech debt …): a second dimension beside objectives'),
    alignment: AlignmentSettings.describe('allocation window, forecasts, capacity and budget'),
  })
  .superRefine((config, ctx) => checkAlignment(config, ctx));

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
export type SlackConfig = Config['slack'];
export type SourceConfig = Config['sources'][number];

function checkUnique(values: string[], path: Array<string | number>, what: string, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) ctx.addIssue({ code: 'custom', path: [...path, i, 'id'], message: `duplicate ${what} "${v}"` });
    seen.add(v);
  });
}

/** Unknown rule ids and bad options, each at its own key, with a "did you mean". */
function checkRules(rules: Record<string, unknown>, path: Array<string | number>, ctx: z.RefinementCtx): void {
  const ids = builtInRules.map((r) => r.meta.id);
  for (const [id, setting] of Object.entries(rules)) {
    const rule = builtInRules.find((r) => r.meta.id === id);
    if (!rule) {
      const guess = suggest(id, ids);
      ctx.addIssue({
        code: 'custom',
        path: [...path, id],
        params: { at: 'key' },
        message: `unknown rule "${id}"${guess ? ` (did you mean "${guess}"?)` : ''}; run \`pmo-bot rules list\` for the library`,
      });
      continue;
    }
    if (!Array.isArray(setting) || setting.length < 2) continue;
    const parsed = rule.meta.options.safeParse(setting[1]);
    if (parsed.success) continue;
    for (const issue of parsed.error.issues) {
      const at = [...path, id, 1, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
      if (issue.code === 'unrecognized_keys') {
        const known = optionKeys(rule.meta.options);
        for (const key of issue.keys) {
          const guess = suggest(key, known);
          ctx.addIssue({
            code: 'custom',
            path: [...at, key],
            params: { at: 'key' },
            message: `unknown option "${key}" for rule ${id}${guess ? ` (did you mean "${guess}"?)` : ''}; options: ${known.join(', ')}`,
          });
        }
        continue;
      }
      ctx.addIssue({ ...issue, path: at });
    }
  }
}

function optionKeys(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function isTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
