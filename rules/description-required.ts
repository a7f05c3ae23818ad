import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { itemData, stripMarkup, typeCategoriesOption } from '../src/engine/helpers.ts';

export const rule = defineRule({
  meta: {
    id: 'description-required',
    category: 'compliance',
    scope: 'item',
    description: 'Work items carry a description that says what and why',
    rationale: 'A title alone is not a brief: whoever picks the item up, reviews it or inherits it needs the context, and so does the PMO reading it months later.',
    defaultSeverity: 'info',
    options: z.strictObject({
      types: typeCategoriesOption(['epic', 'feature', 'story', 'bug']),
      minLength: z.int().min(1).default(20).describe('fewest characters of plain text that count as a description'),
      includeDone: z.boolean().default(false).describe('also check completed items'),
    }),
    messages: { missing: '{{key}} "{{title}}" has no description', short: '{{key}} "{{title}}" has only {{length}} characters of description (at least {{minLength}})' },
    fix: { field: 'description', input: 'text' },
  },
  create(ctx) {
    return {
      item(item) {
        if (!ctx.options.types.includes(item.typeCategory)) return;
        if (!ctx.options.includeDone && item.statusCategory === 'done') return;
        const length = item.description === null ? 0 : stripMarkup(item.description).trim().length;
        if (length >= ctx.options.minLength) return;
        ctx.report({
          messageId: length === 0 ? 'missing' : 'short',
          subject: item,
          data: { ...itemData(item), length, minLength: ctx.options.minLength },
          evidence: { length, minLength: ctx.options.minLength, type: item.type },
        });
      },
    };
  },
});
