import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { itemData, typeCategoriesOption } from '../src/engine/helpers.ts';

export const rule = defineRule({
  meta: {
    id: 'estimate-required',
    category: 'compliance',
    scope: 'item',
    description: 'Planned work carries an estimate (story points or effort)',
    rationale: 'Unestimated work cannot be planned, forecast or weighed against capacity; velocity and forecasts silently undercount it.',
    defaultSeverity: 'warning',
    options: z.strictObject({
      types: typeCategoriesOption(['story', 'bug']),
      includeDone: z.boolean().default(false).describe('also flag completed items (history clean-up)'),
    }),
    messages: { missing: '{{key}} "{{title}}" has no estimate' },
    fix: { field: 'estimate', input: 'number' },
  },
  create(ctx) {
    return {
      item(item) {
        if (!ctx.options.types.includes(item.typeCategory)) return;
        if (!ctx.options.includeDone && item.statusCategory === 'done') return;
        if (item.estimate !== null) return;
        ctx.report({
          messageId: 'missing',
          subject: item,
          data: itemData(item),
          evidence: { type: item.type, status: item.status, estimate: null },
        });
      },
    };
  },
});
