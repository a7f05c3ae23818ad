import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { round1 } from '../src/engine/helpers.ts';
import { DAY_MS } from '../src/util/clock.ts';

interface Bug {
  source: string;
  project: string;
  created: number;
}

export const rule = defineRule({
  meta: {
    id: 'bug-inflow-spike',
    category: 'risk',
    scope: 'project',
    description: 'Bugs reported in the last week well above the usual weekly rate',
    rationale: 'A spike in new bugs usually follows a bad release or a failing component; spotting it in days rather than at the next retrospective limits the damage.',
    defaultSeverity: 'warning',
    options: z.strictObject({
      factor: z.number().min(1).default(2).describe('last week against the weekly average that counts as a spike'),
      weeks: z.int().min(1).default(4).describe('earlier weeks averaged'),
      minBugs: z.int().min(1).default(5).describe('fewest bugs in the last week before anything is flagged'),
    }),
    messages: { spike: '{{project}} got {{last}} new bugs in the last 7 days, {{factor}}× its weekly average of {{average}}' },
  },
  create(ctx) {
    return {
      collect(item): Bug | undefined {
        if (item.typeCategory !== 'bug') return undefined;
        return { source: item.source, project: item.project, created: Date.parse(item.createdAt) };
      },
      done(facts) {
        const now = ctx.now.getTime();
        const weekStart = now - 7 * DAY_MS;
        const windowStart = weekStart - ctx.options.weeks * 7 * DAY_MS;
        const counts = new Map<string, { source: string; project: string; last: number; before: number }>();
        for (const bug of facts.values()) {
          if (bug.created <= windowStart || bug.created > now) continue;
          const key = `${bug.source}:${bug.project}`;
          const c = counts.get(key) ?? { source: bug.source, project: bug.project, last: 0, before: 0 };
          if (bug.created > weekStart) c.last++;
          else c.before++;
          counts.set(key, c);
        }
        for (const [key, c] of counts) {
          const average = c.before / ctx.options.weeks;
          if (c.last < ctx.options.minBugs || c.last < ctx.options.factor * average) continue;
          ctx.report({
            messageId: 'spike',
            subject: { kind: 'project', key: `bugs:${key}`, url: null, project: c.project, source: c.source },
            owner: null,
            data: { project: c.project, last: c.last, average: round1(average), factor: average === 0 ? '∞' : round1(c.last / average) },
            evidence: { last: c.last, average: round1(average), weeks: ctx.options.weeks, factor: ctx.options.factor, minBugs: ctx.options.minBugs },
          });
        }
      },
    };
  },
});
