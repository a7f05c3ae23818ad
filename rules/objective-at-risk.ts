import { z } from 'zod';
import { AlignmentSettings, Objective, Theme, type AlignmentConfig } from '../src/alignment/config.ts';
import { forecastObjectives } from '../src/alignment/at-risk.ts';
import { createPortfolioBuilder } from '../src/alignment/portfolio.ts';
import { defineRule } from '../src/engine/rule.ts';

/**
 * The objective's remaining work is forecast in `done()` from the items this rule saw in the shared
 * pass (the same mapping and seeded Monte Carlo as `pmo-bot alignment`). The objectives reach the
 * rule as option defaults: the runtime registers `withObjectives(config)`, so admins declare
 * objectives once, in the config's `objectives` section.
 */
const options = z.strictObject({
  threshold: z.number().min(0).max(1).optional().describe('report below this probability (default: alignment.atRiskThreshold, 0.7)'),
  objectives: z.array(Objective).default([]).describe('taken from the config\'s objectives section; no need to repeat them here'),
  themes: z.array(Theme).default([]).describe('taken from the config\'s themes section'),
  alignment: AlignmentSettings.describe('taken from the config\'s alignment section'),
});

export const rule = defineRule({
  meta: {
    id: 'objective-at-risk',
    category: 'risk',
    scope: 'objective',
    description: 'A strategic objective whose forecast probability of landing by its target date is too low',
    rationale:
      'Objectives slip quietly: each team is nearly on plan, yet the remaining scope cannot fit the time left. A Monte Carlo forecast from each team\'s own throughput says so months before the date.',
    defaultSeverity: 'warning',
    options,
    messages: {
      noWork: '{{id}} "{{title}}" matches no work item: nothing is being delivered for it (check its match in the config)',
      atRisk:
        '{{id}} "{{title}}" has a {{probability}} chance of landing by {{targetDate}} (threshold {{threshold}}); P85 {{p85}}, {{remaining}} {{unit}} left{{confidence}}',
    },
  },
  create(ctx) {
    const config = { objectives: ctx.options.objectives, themes: ctx.options.themes, alignment: ctx.options.alignment, timezone: ctx.timezone };
    // Without objectives there is nothing to forecast: an aggregate that collects and reports nothing.
    if (config.objectives.length === 0) return { collect: () => undefined, done: () => undefined };
    const builder = createPortfolioBuilder(config);
    const threshold = ctx.options.threshold ?? config.alignment.atRiskThreshold;
    // An aggregate rule: each item's compact form is its fact (kept between incremental runs), and
    // the forecast runs over all of them in done().
    return {
      collect: (item) => builder.compact(item),
      done(facts) {
        for (const f of forecastObjectives(builder.fromCompact(facts.values()), config, ctx.now)) {
          const { objective: o, forecast } = f;
          const subject = { kind: 'objective' as const, key: o.id, url: null, project: null, team: null, source: null };
          const owner = o.owner ? { id: o.owner, name: o.owner, email: o.owner.includes('@') ? o.owner : null } : null;
          if (forecast.status === 'no-scope') {
            ctx.report({ messageId: 'noWork', subject, owner, data: { id: o.id, title: o.title }, evidence: { match: JSON.stringify(o.match) } });
            continue;
          }
          if (forecast.status !== 'forecast' || forecast.probabilityByTarget === null || forecast.probabilityByTarget >= threshold) continue;
          ctx.report({
            messageId: 'atRisk',
            subject,
            owner,
            data: {
              id: o.id,
              title: o.title,
              probability: `${Math.round(forecast.probabilityByTarget * 100)}%`,
              targetDate: o.targetDate ?? '',
              threshold: `${Math.round(threshold * 100)}%`,
              p85: forecast.p85 ?? `beyond ${config.alignment.forecast.horizonWeeks} weeks`,
              remaining: forecast.remaining,
              unit: forecast.unit,
              confidence: forecast.lowConfidence ? ` (low confidence: ${forecast.reasons[0] ?? 'thin history'})` : '',
            },
            evidence: {
              probabilityByTarget: forecast.probabilityByTarget,
              threshold,
              targetDate: o.targetDate ?? null,
              p50: forecast.p50,
              p85: forecast.p85,
              p95: forecast.p95,
              remaining: forecast.remaining,
              unit: forecast.unit,
              runs: forecast.runs,
              seed: forecast.seed,
              lowConfidence: forecast.lowConfidence,
              reasons: forecast.reasons,
              throughputSample: forecast.samples.map((s) => `${s.team}: [${s.weeks.join(', ')}] per week, focus ${s.focus}, ${s.remaining} left`),
            },
          });
        }
      },
    };
  },
});

/** The rule with the config's objectives, themes and alignment settings as its option defaults. */
export function withObjectives(config: Omit<AlignmentConfig, 'timezone'>): typeof rule {
  const bound = options.extend({
    objectives: z.array(Objective).default(config.objectives),
    themes: z.array(Theme).default(config.themes),
    alignment: AlignmentSettings.default(config.alignment),
  });
  return { ...rule, meta: { ...rule.meta, options: bound } };
}
