import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { itemData, typeCategoriesOption } from '../src/engine/helpers.ts';

export const rule = defineRule({
  meta: {
    id: 'parent-required',
    category: 'compliance',
    scope: 'item',
    description: 'Stories and bugs sit under an epic or feature',
    rationale: 'Orphan work cannot be rolled up into epics, objectives or forecasts; it is effort the portfolio view never sees.',
    defaultSeverity: 'info',
    options: z.strictObject({
      types: typeCategoriesOption(['story', 'bug']),
      includeDone: z.boolean().default(false).describe('also check completed items'),
    }),
    messages: { orphan: '{{key}} "{{title}}" belongs to no epic or feature' },
    fix: { field: 'parent', input: 'select' },
  },
  create(ctx) {
    return {
      item(item) {
        if (!ctx.options.types.includes(item.typeCategory)) return;
        if (!ctx.options.includeDone && item.statusCategory === 'done') return;
        if (item.parentKey !== null || item.epicKey !== null) return;
        ctx.report({ messageId: 'orphan', subject: item, data: itemData(item), evidence: { parentKey: null, epicKey: null, type: item.type } });
      },
    };
  },
});
