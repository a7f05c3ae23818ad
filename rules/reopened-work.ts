import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { itemData, typeCategoriesOption } from '../src/engine/helpers.ts';

export const rule = defineRule({
  meta: {
    id: 'reopened-work',
    category: 'risk',
    scope: 'item',
    description: 'Work that was finished and then re-opened',
    rationale: 'Re-opened work means "done" did not hold: missed acceptance criteria, escaped defects or premature closing. Repeats are a quality signal worth a look.',
    defaultSeverity: 'info',
    options: z.strictObject({
      times: z.int().min(1).default(1).describe('re-openings before the item is flagged'),
      types: typeCategoriesOption(['story', 'bug', 'task']),
    }),
    messages: { reopened: '{{key}} "{{title}}" was re-opened {{times}} after being done' },
  },
  create(ctx) {
    return {
      item(item) {
        if (!ctx.options.types.includes(item.typeCategory)) return;
        const reopenings = item.transitions.filter((t) => t.fromCategory === 'done' && t.toCategory !== 'done');
        if (reopenings.length < ctx.options.times) return;
        ctx.report({
          messageId: 'reopened',
          subject: item,
          data: { ...itemData(item), count: reopenings.length, times: reopenings.length === 1 ? 'once' : `${reopenings.length} times` },
          evidence: { reopenings: reopenings.length, at: reopenings.map((t) => t.at), status: item.status },
        });
      },
    };
  },
});
