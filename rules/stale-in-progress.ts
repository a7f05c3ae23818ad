import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { countOf, itemData, lastActivity, typeCategoriesOption, daysSinceWithRecheck } from '../src/engine/helpers.ts';

export const rule = defineRule({
  meta: {
    id: 'stale-in-progress',
    category: 'risk',
    scope: 'item',
    description: 'In-progress work that has not moved for too long',
    rationale: 'Work that sits still hides blockers and inflates cycle time; a nudge after a few days is cheaper than a surprise at the sprint review.',
    defaultSeverity: 'warning',
    options: z.strictObject({
      days: z.int().min(1).default(5).describe('days without movement before the item counts as stale'),
      activity: z
        .enum(['status', 'any'])
        .default('any')
        .describe('what counts as movement: a status change only, or any update'),
      types: typeCategoriesOption(['story', 'task', 'bug', 'subtask']),
    }),
    messages: { stale: '{{key}} "{{title}}" has not moved for {{idle}} (limit {{limit}})' },
  },
  create(ctx) {
    return {
      item(item) {
        if (item.statusCategory !== 'in_progress' || !ctx.options.types.includes(item.typeCategory)) return;
        const since = lastActivity(item, ctx.options.activity);
        // The verdict (or the day count in the message) changes when the next whole day has passed.
        const days = daysSinceWithRecheck(ctx, since, ctx.options.days);
        if (days < ctx.options.days) return;
        ctx.report({
          messageId: 'stale',
          subject: item,
          data: { ...itemData(item), days, idle: countOf(days, 'day'), limit: ctx.options.days },
          evidence: { days, limit: ctx.options.days, lastActivity: since, status: item.status },
        });
      },
    };
  },
});
