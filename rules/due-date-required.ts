import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { itemData, typeCategoriesOption } from '../src/engine/helpers.ts';

export const rule = defineRule({
  meta: {
    id: 'due-date-required',
    category: 'compliance',
    scope: 'item',
    description: 'Milestone-type work (epics by default) carries a due date',
    rationale: 'Phase-gated and committed work is planned against dates; without one there is nothing to track slippage against and no early warning.',
    defaultSeverity: 'warning',
    options: z.strictObject({
      types: typeCategoriesOption(['epic']),
      statusCategories: z
        .array(z.enum(['todo', 'in_progress', 'done']))
        .min(1)
        .default(['todo', 'in_progress'])
        .describe('status categories checked'),
    }),
    messages: { missing: '{{key}} "{{title}}" ({{type}}) has no due date' },
    fix: { field: 'dueDate', input: 'date' },
  },
  create(ctx) {
    return {
      item(item) {
        if (item.dueDate !== null || !ctx.options.types.includes(item.typeCategory)) return;
        if (!ctx.options.statusCategories.includes(item.statusCategory)) return;
        ctx.report({ messageId: 'missing', subject: item, data: { ...itemData(item), type: item.type }, evidence: { type: item.type, status: item.status, dueDate: null } });
      },
    };
  },
});
