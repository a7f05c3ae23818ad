import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { itemData, typeCategoriesOption } from '../src/engine/helpers.ts';

export const rule = defineRule({
  meta: {
    id: 'priority-required',
    category: 'compliance',
    scope: 'item',
    description: 'Open work has a real priority',
    rationale: 'Triage, routing and "what do I pick up next" all key off priority; a blank or placeholder priority puts the item at the mercy of whoever sorts the board.',
    defaultSeverity: 'info',
    options: z.strictObject({
      types: typeCategoriesOption(['story', 'bug', 'task', 'risk']),
      unset: z
        .array(z.string())
        .default(['None', 'Undefined', 'Unprioritized', 'Not set'])
        .describe('priority values that mean "not set" at your site'),
    }),
    messages: { missing: '{{key}} "{{title}}" has no priority', placeholder: '{{key}} "{{title}}" has the placeholder priority "{{priority}}"' },
    fix: { field: 'priority', input: 'select' },
  },
  create(ctx) {
    const unset = new Set(ctx.options.unset.map((p) => p.toLowerCase()));
    return {
      item(item) {
        if (item.statusCategory === 'done' || !ctx.options.types.includes(item.typeCategory)) return;
        const priority = item.priority?.trim() ?? '';
        if (priority !== '' && !unset.has(priority.toLowerCase())) return;
        ctx.report({
          messageId: priority === '' ? 'missing' : 'placeholder',
          subject: item,
          data: { ...itemData(item), priority },
          evidence: { priority: item.priority },
        });
      },
    };
  },
});
