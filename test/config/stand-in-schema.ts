import * as z from 'zod';
import { suggest } from '../../src/config/suggest.ts';

/** A small schema shaped like the pmo-bot config (DESIGN.md), for exercising the loader. */

const Severity = z.enum(['off', 'info', 'warning', 'critical']);

const RULE_OPTIONS: Record<string, z.ZodType> = {
  'estimate-required': z.strictObject({}),
  'stale-in-progress': z.strictObject({ days: z.int().min(1).default(5) }),
  'wip-limit': z.strictObject({ perPerson: z.int().min(1).default(3) }),
};

const RuleSetting = z.union([Severity, z.tuple([Severity, z.record(z.string(), z.unknown())])]);

const Rules = z.record(z.string(), RuleSetting).superRefine((rules, ctx) => {
  for (const [id, setting] of Object.entries(rules)) {
    const options = RULE_OPTIONS[id];
    if (options === undefined) {
      const guess = suggest(id, Object.keys(RULE_OPTIONS));
      ctx.addIssue({ code: 'custom', path: [id], message: `unknown rule "${id}"${guess ? ` (did you mean "${guess}"?)` : ''}` });
      continue;
    }
    if (!Array.isArray(setting)) continue;
    const parsed = options.safeParse(setting[1]);
    if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [id, 1, ...issue.path] });
  }
});

const Since = z.union([z.iso.date(), z.string().regex(/^\d+d$/)]).optional();

const JiraSource = z.strictObject({
  id: z.string(),
  kind: z.literal('jira'),
  baseUrl: z.url(),
  auth: z.strictObject({ email: z.string(), apiToken: z.string().min(1) }),
  projects: z.array(z.string()).min(1),
  since: Since,
});

const AzureDevOpsSource = z.strictObject({
  id: z.string(),
  kind: z.literal('azure-devops'),
  orgUrl: z.url(),
  auth: z.strictObject({ pat: z.string().min(1) }),
  projects: z.array(z.string()).min(1),
  since: Since,
});

const SampleSource = z.strictObject({ id: z.string(), kind: z.literal('sample'), since: Since });

const Match = z.strictObject({
  project: z.string().optional(),
  epics: z.array(z.string()).optional(),
  labels: z.array(z.string()).optional(),
});

export const StandInConfig = z
  .strictObject({
    timezone: z.string().default('UTC').describe('IANA time zone for schedules and reports'),
    storage: z.strictObject({ path: z.string().default('./data/pmo-bot.db') }).prefault({}),
    sources: z.array(z.discriminatedUnion('kind', [JiraSource, AzureDevOpsSource, SampleSource])).min(1),
    slack: z.strictObject({
      mode: z.enum(['socket', 'http', 'console']).default('console'),
      botToken: z.string().optional(),
      channels: z.strictObject({ alerts: z.string(), digest: z.string().optional() }),
      routes: z.array(z.strictObject({ match: Match, channel: z.string() })).default([]),
    }),
    schedules: z.record(z.string(), z.string()).optional(),
    methodology: z
      .strictObject({ default: z.enum(['scrum', 'kanban', 'stage-gate']), projects: z.record(z.string(), z.enum(['scrum', 'kanban', 'stage-gate'])).optional() })
      .optional(),
    rules: Rules.default({}),
    objectives: z
      .array(z.strictObject({ id: z.string(), title: z.string(), targetDate: z.iso.date().optional(), match: Match }))
      .default([]),
  })
  .meta({ description: 'stand-in for the pmo-bot configuration' });

export type StandInConfig = z.infer<typeof StandInConfig>;
