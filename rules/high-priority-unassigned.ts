import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { countOf, itemData, typeCategoriesOption, daysSinceWithRecheck } from '../src/engine/helpers.ts';

export const rule = defineRule({
  meta: {
    id: 'high-priority-unassigned',
    category: 'risk',
    scope: 'item',
    description: 'High-priority open work with nobody assigned',
    rationale: 'Urgent work that belongs to nobody waits for someone to notice; naming an owner is the first step of any response.',
    defaultSeverity: 'critical',
    options: z.strictObject({
      priorities: z
        .array(z.string())
        .min(1)
        .default(['Highest', 'High', 'Critical', 'Blocker', '1', '2'])
        .describe('priority values that count as high (Jira names, Azure DevOps 1–2)'),
      graceHours: z.int().min(0).default(4).describe('hours after creation before an unassigned item is flagged'),
      types: typeCategoriesOption(['story', 'bug', 'task', 'risk']),
    }),
    messages: { unassigned: '{{key}} "{{title}}" has priority {{priority}} and nobody is assigned (open {{age}})' },
    fix: { field: 'assignee', input: 'user' },
  },
  create(ctx) {
    const high = new Set(ctx.options.priorities.map((p) => p.toLowerCase()));
    return {
      item(item) {
        if (item.assignee !== null || item.statusCategory === 'done' || item.priority === null) return;
        if (!high.has(item.priority.toLowerCase()) || !ctx.options.types.includes(item.typeCategory)) return;
        const flagAt = Date.parse(item.createdAt) + ctx.options.graceHours * 3_600_000;
        if (ctx.now.getTime() < flagAt) {
          ctx.recheckAt(flagAt);
          return;
        }
        const days = daysSinceWithRecheck(ctx, item.createdAt);
        ctx.report({
          messageId: 'unassigned',
          subject: item,
          data: { ...itemData(item), priority: item.priority, age: countOf(days, 'day') },
          evidence: { priority: item.priority, createdAt: item.createdAt, ageDays: days },
        });
      },
    };
  },
});
