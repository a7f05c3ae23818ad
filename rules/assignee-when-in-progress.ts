import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { itemData, typeCategoriesOption } from '../src/engine/helpers.ts';

export const rule = defineRule({
  meta: {
    id: 'assignee-when-in-progress',
    category: 'compliance',
    scope: 'item',
    description: 'Work in progress has someone assigned',
    rationale: 'Work that is moving with nobody named on it has no one to ask, escalate to or credit; it also hides load from capacity reports.',
    defaultSeverity: 'warning',
    options: z.strictObject({
      types: typeCategoriesOption(['story', 'task', 'bug', 'subtask', 'risk']),
    }),
    messages: { unassigned: '{{key}} "{{title}}" is {{status}} but nobody is assigned' },
    fix: { field: 'assignee', input: 'user' },
  },
  create(ctx) {
    return {
      item(item) {
        if (item.statusCategory !== 'in_progress' || item.assignee !== null) return;
        if (!ctx.options.types.includes(item.typeCategory)) return;
        ctx.report({
          messageId: 'unassigned',
          subject: item,
          data: itemData(item),
          evidence: { status: item.status, startedAt: item.startedAt },
        });
      },
    };
  },
});
