import { z } from 'zod';
import { suggest } from '../config/suggest.ts';
import { errorMessage } from '../util/errors.ts';
import { createCelCompiler } from './cel.ts';

/**
 * The `objectives`, `themes` and `alignment` parts of the config (contract: docs/alignment.md).
 * Matching is declarative; every criterion is optional and an item matches when any criterion does.
 */

const Keys = z.array(z.string().min(1)).min(1);

export const AlignmentMatch = z
  .strictObject({
    epics: Keys.optional().describe('epic or any ancestor key: native (PAY-1, 4101) or source-qualified (demo:PAY-1)'),
    labels: Keys.optional().describe('any of these labels (Jira labels, Azure DevOps tags)'),
    tags: Keys.optional().describe('any of these Azure DevOps tags (System.Tags); Jira labels count too'),
    components: Keys.optional(),
    projects: Keys.optional().describe('project key (Jira) or name (Azure DevOps)'),
    teams: Keys.optional(),
    areaPaths: Keys.optional().describe('Azure DevOps area path or any path under it, e.g. Fabrikam\\Checkout'),
    cel: z
      .string()
      .min(1)
      .superRefine((expr, ctx) => {
        try {
          createCelCompiler().compile(expr);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: errorMessage(err) });
        }
      })
      .optional()
      .describe('a CEL expression over `item` that must be true, e.g. item.priority == "Highest"'),
  })
  .refine((m) => Object.values(m).some((v) => v !== undefined), { message: 'match needs at least one criterion (epics, labels, tags, components, projects, teams, areaPaths, cel)' });
export type AlignmentMatch = z.infer<typeof AlignmentMatch>;

export const KeyResult = z.strictObject({
  id: z.string().min(1),
  title: z.string().min(1),
  match: AlignmentMatch.describe('which of the objective\'s items count toward this key result'),
  target: z
    .strictObject({
      items: z.int().min(1).optional().describe('completed work items that meet the key result'),
      points: z.number().positive().optional().describe('completed story points that meet the key result'),
    })
    .refine((t) => t.items !== undefined || t.points !== undefined, { message: 'target needs items or points' })
    .optional()
    .describe('without a target, the key result is done when all its matched work is done'),
  targetDate: z.iso.date().optional(),
});
export type KeyResult = z.infer<typeof KeyResult>;

export const Objective = z.strictObject({
  id: z.string().min(1),
  title: z.string().min(1),
  owner: z.string().optional().describe('email or Slack user id'),
  targetDate: z.iso.date().optional(),
  targetShare: z.number().min(0).max(1).optional().describe('intended share of effort, 0..1'),
  priority: z.int().min(1).optional().describe('wins conflicts: 1 beats 2; without it, declaration order'),
  budget: z.number().nonnegative().optional().describe('budget in alignment.budget.currency'),
  theme: z.string().optional().describe('default theme of the objective\'s work when no theme matches'),
  keyResults: z
    .array(KeyResult)
    .default([])
    .superRefine((krs, ctx) => {
      const seen = new Set<string>();
      krs.forEach((kr, k) => {
        if (seen.has(kr.id)) ctx.addIssue({ code: 'custom', path: [k, 'id'], message: `duplicate key result id "${kr.id}"` });
        seen.add(kr.id);
      });
    }),
  match: AlignmentMatch,
});
export type Objective = z.infer<typeof Objective>;

export const Theme = z.strictObject({
  id: z.string().min(1),
  title: z.string().min(1),
  targetShare: z.number().min(0).max(1).optional(),
  priority: z.int().min(1).optional(),
  match: AlignmentMatch.optional().describe('without a match, only objectives naming this theme feed it'),
});
export type Theme = z.infer<typeof Theme>;

const Weeks = z.int().min(1).max(104);

export const AlignmentSettings = z
  .strictObject({
    windowDays: z.int().min(1).max(366).default(28).describe('allocation window: the last N days'),
    measure: z.enum(['points', 'items', 'inProgressDays']).default('points').describe('which effort measure `share` is'),
    driftTolerance: z.number().min(0).max(1).default(0.1).describe('|share − targetShare| above this is drift'),
    burnupWeeks: Weeks.default(12),
    forecast: z
      .strictObject({
        runs: z.int().min(100).max(1_000_000).default(10_000),
        seed: z.int().default(42).describe('same seed, same data ⇒ same forecast'),
        historyWeeks: Weeks.default(12).describe('weeks of throughput history sampled per team'),
        minHistoryWeeks: z.int().min(1).default(6).describe('fewer weeks of history ⇒ low confidence'),
        minCompleted: z.int().min(1).default(5).describe('fewer completed items in the history ⇒ low confidence'),
        horizonWeeks: z.int().min(4).max(1040).default(260).describe('runs that need longer count as never finishing'),
        unit: z.enum(['items', 'points']).default('items').describe('throughput counted in items or story points'),
        epics: z.boolean().default(true).describe('also forecast every open epic'),
      })
      .prefault({}),
    atRiskThreshold: z.number().min(0).max(1).default(0.7).describe('probability by the target date below which an objective is at risk'),
    identities: z
      .record(z.string(), z.string().min(1))
      .default({})
      .describe('tool identity (email, or id:<tool id>) → canonical email, for people without a shared email'),
    capacity: z
      .strictObject({
        velocityWeeks: Weeks.default(6).describe('recent weeks whose completed points make the velocity'),
        overCommitRatio: z.number().positive().default(1.2).describe('sprint commitment above velocity × this is over-commitment'),
      })
      .prefault({}),
    budget: z
      .strictObject({
        currency: z.string().min(1).default('EUR'),
        costPerTeamWeek: z.number().nonnegative().describe('default cost of one team-week'),
        teams: z.record(z.string(), z.number().nonnegative()).default({}).describe('team → cost per week, overriding the default'),
        since: z.iso.date().optional().describe('spend is counted from this date (default: the allocation window)'),
      })
      .optional(),
  })
  .prefault({});
export type AlignmentSettings = z.infer<typeof AlignmentSettings>;

/** Everything the alignment module reads from the config. */
export interface AlignmentConfig {
  objectives: Objective[];
  themes: Theme[];
  alignment: AlignmentSettings;
  timezone: string;
}

interface AlignmentParts {
  objectives: Objective[];
  themes: Theme[];
}

/** The cross-reference a field cannot check on its own: an objective's theme must be declared. */
export function checkAlignment(config: AlignmentParts, ctx: z.RefinementCtx): void {
  const themeIds = new Set(config.themes.map((t) => t.id));
  config.objectives.forEach((o, i) => {
    if (o.theme === undefined || themeIds.has(o.theme)) return;
    const guess = suggest(o.theme, [...themeIds]);
    ctx.addIssue({
      code: 'custom',
      path: ['objectives', i, 'theme'],
      message: `unknown theme "${o.theme}"${guess ? ` (did you mean "${guess}"?)` : ''}; declare it under themes:`,
    });
  });
}
