import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';

export const rule = defineRule({
  meta: {
    id: 'sprint-dates-set',
    category: 'compliance',
    scope: 'sprint',
    description: 'Running and planned sprints have a start and an end date, in that order',
    rationale: 'Burn-downs, velocity, scope-change and carry-over all measure against the sprint window; a sprint without dates silently drops out of every one of them.',
    defaultSeverity: 'warning',
    options: z.strictObject({
      states: z.array(z.enum(['future', 'active', 'closed'])).min(1).default(['active', 'future']).describe('sprint states checked'),
    }),
    messages: {
      missing: 'Sprint "{{sprint}}" ({{state}}) has no {{missing}}',
      reversed: 'Sprint "{{sprint}}" ends ({{endDate}}) before it starts ({{startDate}})',
    },
  },
  create(ctx) {
    return {
      sprint(sprint) {
        if (!ctx.options.states.includes(sprint.state)) return;
        const subject = { kind: 'sprint' as const, key: sprint.key, project: sprint.project, team: sprint.team, source: sprint.source, url: null };
        const evidence = { sprint: sprint.name, state: sprint.state, startDate: sprint.startDate, endDate: sprint.endDate };
        const missing = [sprint.startDate === null ? 'start date' : null, sprint.endDate === null ? 'end date' : null].filter((m) => m !== null);
        if (missing.length > 0) {
          ctx.report({ messageId: 'missing', subject, owner: null, data: { sprint: sprint.name, state: sprint.state, missing: missing.join(' and ') }, evidence });
          return;
        }
        if (sprint.endDate! > sprint.startDate!) return;
        ctx.report({ messageId: 'reversed', subject, owner: null, data: { sprint: sprint.name, startDate: sprint.startDate!, endDate: sprint.endDate! }, evidence });
      },
    };
  },
});
