import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { DAY_MS } from '../src/util/clock.ts';

export const rule = defineRule({
  meta: {
    id: 'max-sprint-length',
    category: 'compliance',
    scope: 'sprint',
    description: 'Sprints are no longer than the agreed cadence (a month at most in Scrum)',
    rationale: 'Long sprints delay feedback and let risk pile up; the Scrum Guide caps a sprint at one month, most teams agree on two weeks.',
    defaultSeverity: 'info',
    options: z.strictObject({
      maxDays: z.int().min(1).default(28).describe('longest sprint allowed, in calendar days'),
      states: z.array(z.enum(['future', 'active', 'closed'])).min(1).default(['active', 'future']).describe('sprint states checked'),
    }),
    messages: { long: 'Sprint "{{sprint}}" runs {{days}} days (at most {{maxDays}})' },
  },
  create(ctx) {
    return {
      sprint(sprint) {
        if (!ctx.options.states.includes(sprint.state) || sprint.startDate === null || sprint.endDate === null) return;
        const days = Math.round((Date.parse(sprint.endDate) - Date.parse(sprint.startDate)) / DAY_MS);
        if (days <= ctx.options.maxDays) return;
        ctx.report({
          messageId: 'long',
          subject: { kind: 'sprint', key: sprint.key, project: sprint.project, team: sprint.team, source: sprint.source, url: null },
          owner: null,
          data: { sprint: sprint.name, days, maxDays: ctx.options.maxDays },
          evidence: { days, maxDays: ctx.options.maxDays, startDate: sprint.startDate, endDate: sprint.endDate },
        });
      },
    };
  },
});
