import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { hasText } from '../src/engine/helpers.ts';

export const rule = defineRule({
  meta: {
    id: 'sprint-goal-set',
    category: 'compliance',
    scope: 'sprint',
    description: 'Every running (or planned) sprint states its goal',
    rationale: 'The sprint goal is what the team commits to and what stakeholders can hold it to; without one a sprint is a to-do list and the review has nothing to judge.',
    defaultSeverity: 'warning',
    options: z.strictObject({
      states: z.array(z.enum(['future', 'active', 'closed'])).min(1).default(['active']).describe('sprint states checked'),
      minLength: z.int().min(1).default(10).describe('fewest characters that count as a goal'),
    }),
    messages: { missing: 'Sprint "{{sprint}}" ({{state}}) has no sprint goal' },
  },
  create(ctx) {
    return {
      sprint(sprint) {
        if (!ctx.options.states.includes(sprint.state) || hasText(sprint.goal, ctx.options.minLength)) return;
        ctx.report({
          messageId: 'missing',
          subject: { kind: 'sprint', key: sprint.key, project: sprint.project, team: sprint.team, source: sprint.source, url: null },
          owner: null,
          data: { sprint: sprint.name, state: sprint.state },
          evidence: { sprint: sprint.name, state: sprint.state, goal: sprint.goal, startDate: sprint.startDate, endDate: sprint.endDate },
        });
      },
    };
  },
});
