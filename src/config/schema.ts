import cron from 'node-cron';
import { z } from 'zod';
import { connectorDefinitions } from '../../connectors/api.ts';
import { builtInRules } from '../../rules/api.ts';
import { builtInPresets } from '../../rules/presets/api.ts';
import { CustomRuleSchema } from '../cel/custom-rule.ts';
import type { SourceConfigBase } from '../model/connector.ts';
import { TYPE_CATEGORIES } from '../model/work-item.ts';
import { RULE_SCOPES } from '../model/finding.ts';
import { LOG_LEVELS } from '../util/log.ts';
import { suggest } from './suggest.ts';
import { AlignmentSettings, Objective, Theme, checkAlignment } from '../alignment/config.ts';
import { HealthSettings } from '../engine/health.ts';

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
// Ids and options are checked by the whole config (custom rules add ids), alongside other problems.
const RulesMap = z.record(z.string(), RuleSettingSchema);

const OneOrMany = z.union([z.string(), z.array(z.string()).min(1)]);
const TypeCategory = z.enum(TYPE_CATEGORIES);

export const OverrideMatchSchema = z.strictObject({
  source: OneOrMany.optional(),
  project: OneOrMany.optional(),
  team: OneOrMany.optional(),
  type: OneOrMany.optional().describe("the tool's own type name, e.g. Bug, User Story"),
  typeCategory: z.union([TypeCategory, z.array(TypeCategory).min(1)]).optional(),
  class: OneOrMany.optional().describe('a class given by typeMapping, e.g. incident'),
  labels: z.array(z.string()).min(1).optional().describe('matches items carrying any of these labels'),
  components: z.array(z.string()).min(1).optional(),
});

const PresetId = z.string().min(1).describe(`a preset: ${[...builtInPresets.keys()].join(', ')}`);

const Methodology = z
  .strictObject({
    default: PresetId.optional().describe('preset for projects and teams not listed'),
    projects: z.record(z.string(), PresetId).optional().describe('project → preset'),
    teams: z.record(z.string(), PresetId).optional().describe('team → preset (wins over the project)'),
  })
  .describe('a methodology preset per project or team, applied on top of `extends`');

const FieldCondition = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()])).min(1)]);

const TypeMappingEntry = z
  .strictObject({
    match: z.strictObject({
      source: OneOrMany.optional(),
      project: OneOrMany.optional(),
      type: OneOrMany.optional().describe("the tool's type name"),
      typeCategory: z.union([TypeCategory, z.array(TypeCategory).min(1)]).optional(),
      labels: z.array(z.string()).min(1).optional().describe('any of these labels'),
      fields: z.record(z.string(), FieldCondition).optional().describe('raw field → value (or list of values; true: set)'),
    }),
    typeCategory: TypeCategory.optional().describe('re-classify matching items for every rule'),
    class: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be kebab-case').optional().describe('a class overrides and custom rules can match'),
  })
  .refine((e) => e.typeCategory !== undefined || e.class !== undefined, { message: 'give `typeCategory`, `class` or both' });

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

const Duration = z
  .string()
  .regex(/^\d+(m|h|d|w)$/, { message: 'a duration like 30m, 12h, 1d or 2w' })
  .describe('a duration: 30m, 12h, 1d, 2w');
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'a time of day HH:MM (24h)' });
const SeverityLevel = z.enum(['info', 'warning', 'critical']);

const QuietHours = z
  .strictObject({
    start: ClockTime.describe('quiet from (local time), e.g. 19:00'),
    end: ClockTime.describe('quiet until (local time), e.g. 08:00; before start means overnight'),
    timezone: Timezone.optional().describe('the audience\'s zone; default: the top-level timezone'),
    weekends: z.boolean().default(true).describe('Saturday and Sunday are quiet all day'),
    allowCritical: z.boolean().default(false).describe('critical findings are announced even in quiet hours'),
  })
  .describe('alerts found in quiet hours are held and announced when they end (never dropped)');

const Route = z.strictObject({
  match: RouteMatch,
  channel: z.string().min(1),
  minSeverity: SeverityLevel.optional().describe('findings this route claims but below this severity are not alerted (the digest still counts them)'),
  quietHours: QuietHours.optional(),
  digest: z.boolean().default(true).describe('this channel also gets its own weekly digest'),
});

const Slack = z
  .strictObject({
    mode: z
      .enum(['socket', 'http', 'console'])
      .optional()
      .describe('console prints messages; socket/http post them to Slack. Default: console without a bot token, socket with an app token, else http'),
    botToken: z.string().optional().describe('xoxb- bot token'),
    appToken: z.string().optional().describe('xapp- app-level token (Socket Mode)'),
    signingSecret: z.string().optional().describe('request signing secret (HTTP mode)'),
    apiUrl: z.url().default('https://slack.com/api/').describe('Slack Web API base URL (GovSlack, proxies, tests)'),
    port: z.int().min(1).max(65535).default(3000).describe('HTTP mode: port for /slack/events'),
    botUserId: z.string().optional().describe('the bot\'s user id (U…); with botId it spares an auth.test call at start'),
    botId: z.string().optional().describe('the bot id (B…)'),
    channels: z
      .strictObject({
        alerts: z.string().min(1).default('#pmo-alerts'),
        digest: z.string().min(1).default('#pmo-leads'),
      })
      .prefault({}),
    routes: z
      .array(Route)
      .default([])
      .describe('first matching route wins; unmatched findings go to channels.alerts'),
    maxFindingsPerMessage: z.int().min(1).max(40).default(15).describe('findings listed in one alert before "and N more"'),
    alerts: z
      .strictObject({
        channelCap: z.int().min(1).default(50).describe('findings announced per channel per cycle; the overflow goes to the digest'),
        cooldown: Duration.default('1d').describe('a finding that re-opens within this time of its last alert is not alerted again'),
        cooldowns: z.record(z.string(), Duration).default({}).describe('per rule id: overrides cooldown'),
        renotifyCritical: Duration.optional().describe('re-announce still-open critical findings this long after their last alert (off when unset)'),
        quietHours: QuietHours.optional(),
        threadResolved: z.boolean().default(true).describe('reply in the alert\'s thread when a finding resolves'),
      })
      .prefault({}),
    mentions: z
      .strictObject({
        lookup: z.boolean().default(true).describe('find owners by e-mail (users.lookupByEmail, cached)'),
        cacheFor: Duration.default('7d'),
        lookupsPerCycle: z
          .int()
          .min(0)
          .default(100)
          .describe('users.lookupByEmail calls per cycle at most (Tier 3, 50+/min); people not looked up yet are named, and prompted next cycle'),
        users: z
          .record(z.string(), z.union([z.string().regex(/^[UW][A-Z0-9]+$/, { message: 'a Slack user id (U…)' }), z.literal(false)]))
          .default({})
          .describe('e-mail → Slack user id, or false to never mention or DM that person'),
      })
      .prefault({}),
    prompts: z
      .strictObject({
        enabled: z.boolean().default(true).describe('DM owners about findings they can fix in one answer'),
        remindAfter: Duration.default('1d'),
        escalateAfter: z.int().min(1).default(2).describe('reminders before an unanswered prompt is raised in the team channel'),
        maxItemsPerMessage: z.int().min(1).max(20).default(10),
      })
      .prefault({}),
    projectLeads: z.record(z.string(), z.string()).default({}).describe('project → lead e-mail or Slack user id; "Not mine" hands prompts to them'),
    waivers: z
      .strictObject({
        critical: z.array(z.string()).default([]).describe('e-mails or Slack user ids allowed to waive critical findings'),
      })
      .prefault({}),
    digest: z
      .strictObject({
        topRisks: z.int().min(1).max(20).default(5),
      })
      .prefault({}),
  })
  .superRefine((slack, ctx) => {
    // An explicit mode must be startable; empty values (unset ${VAR:-}) count as missing.
    if (!slack.mode || slack.mode === 'console') return;
    if (!slack.botToken) ctx.addIssue({ code: 'custom', path: ['botToken'], message: `slack.mode ${slack.mode} needs a bot token (xoxb-…)` });
    if (slack.mode === 'socket' && !slack.appToken) {
      ctx.addIssue({ code: 'custom', path: ['appToken'], message: 'Socket Mode needs an app-level token (xapp-…, scope connections:write)' });
    }
    if (slack.mode === 'http' && !slack.signingSecret) {
      ctx.addIssue({ code: 'custom', path: ['signingSecret'], message: 'HTTP mode needs the signing secret (Basic Information → App Credentials)' });
    }
  })
  .prefault({});

const Schedules = z
  .strictObject({
    sync: CronExpression.default('*/15 * * * *').describe('sync, evaluate and notify'),
    digest: CronExpression.default('0 9 * * MON'),
    reminders: CronExpression.default('0 10 * * 1-5').describe('reminders for unanswered prompts, escalation'),
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
    extends: z
      .union([PresetId, z.array(PresetId)])
      .transform((v) => (typeof v === 'string' ? [v] : v))
      .optional()
      .describe('presets every project starts from (default: [recommended])'),
    methodology: Methodology.optional(),
    typeMapping: z.array(TypeMappingEntry).default([]).describe('classify work by type and label or field; first typeCategory wins, classes add up'),
    overrides: z.array(z.strictObject({ match: OverrideMatchSchema, rules: RulesMap })).default([]).describe('later entries win'),
    custom: z
      .array(CustomRuleSchema)
      .superRefine((rules, ctx) => checkUnique(rules.map((r) => r.id), [], 'custom rule id', ctx))
      .default([])
      .describe('rules written in CEL over the WorkItem shape'),
    health: HealthSettings,
    waivers: z
      .array(
        z.strictObject({
          rule: z.string().min(1),
          subject: z.string().min(1).describe('item key as stored (demo:PAY-12), person email, or sprint/project key'),
          kind: z.enum(RULE_SCOPES).default('item'),
          reason: z.string().min(3).describe('why the exception is accepted'),
          by: z.string().min(1).describe('who agreed to it'),
          until: z.iso.date().optional().describe('last day it holds'),
        }),
      )
      .default([])
      .describe('accepted exceptions: the finding stays waived (audited) until the date or until its condition changes'),
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
  // Runs even when other parts failed, so every problem is reported at once; reads defensively.
  .superRefine((config, ctx) => checkRuleReferences(config as unknown, ctx), { when: () => true })
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rule ids in `rules:` and overrides, custom rule ids, and preset names in `extends`/`methodology`. */
function checkRuleReferences(config: unknown, ctx: z.RefinementCtx): void {
  if (!isRecord(config)) return;
  const custom = Array.isArray(config['custom']) ? config['custom'].filter(isRecord) : [];
  const customIds = custom.map((c) => c['id']).filter((id): id is string => typeof id === 'string');
  const builtInIds = builtInRules.map((r) => r.meta.id);
  custom.forEach((c, i) => {
    if (typeof c['id'] === 'string' && builtInIds.includes(c['id'])) {
      ctx.addIssue({ code: 'custom', path: ['custom', i, 'id'], message: `"${c['id']}" is a built-in rule; give the custom rule its own id` });
    }
  });
  if (isRecord(config['rules'])) checkRules(config['rules'], ['rules'], customIds, ctx);
  if (Array.isArray(config['overrides'])) {
    config['overrides'].forEach((o, i) => {
      if (isRecord(o) && isRecord(o['rules'])) checkRules(o['rules'], ['overrides', i, 'rules'], customIds, ctx);
    });
  }
  if (Array.isArray(config['waivers'])) {
    const ids = [...builtInIds, ...customIds, 'rule-error'];
    config['waivers'].forEach((w, i) => {
      if (!isRecord(w) || typeof w['rule'] !== 'string' || ids.includes(w['rule'])) return;
      const guess = suggest(w['rule'], ids);
      ctx.addIssue({ code: 'custom', path: ['waivers', i, 'rule'], message: `unknown rule "${w['rule']}"${guess ? ` (did you mean "${guess}"?)` : ''}` });
    });
  }
  const presetIds = [...builtInPresets.keys()];
  const checkPreset = (value: unknown, path: Array<string | number>): void => {
    if (typeof value !== 'string' || builtInPresets.has(value)) return;
    const guess = suggest(value, presetIds);
    ctx.addIssue({ code: 'custom', path, message: `unknown preset "${value}"${guess ? ` (did you mean "${guess}"?)` : ''}; presets: ${presetIds.join(', ')}` });
  };
  const ext = config['extends'];
  if (typeof ext === 'string') checkPreset(ext, ['extends']);
  else if (Array.isArray(ext)) ext.forEach((p, i) => checkPreset(p, ['extends', i]));
  const m = config['methodology'];
  if (isRecord(m)) {
    checkPreset(m['default'], ['methodology', 'default']);
    for (const part of ['projects', 'teams'] as const) {
      const map = m[part];
      if (isRecord(map)) for (const [k, v] of Object.entries(map)) checkPreset(v, ['methodology', part, k]);
    }
  }
}

/** Unknown rule ids and bad options, each at its own key, with a "did you mean". */
function checkRules(rules: Record<string, unknown>, path: Array<string | number>, customIds: readonly string[], ctx: z.RefinementCtx): void {
  const ids = [...builtInRules.map((r) => r.meta.id), ...customIds];
  for (const [id, setting] of Object.entries(rules)) {
    if (customIds.includes(id)) {
      if (Array.isArray(setting) && setting.length > 1 && isRecord(setting[1]) && Object.keys(setting[1]).length > 0) {
        ctx.addIssue({ code: 'custom', path: [...path, id, 1], message: `custom rule ${id} takes no options` });
      }
      continue;
    }
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
