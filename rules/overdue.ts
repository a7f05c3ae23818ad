import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { addDays, countOf, daysBetweenDates, itemData, localDate, localMidnight, nextLocalMidnight } from '../src/engine/helpers.ts';

export const rule = defineRule({
  meta: {
    id: 'overdue',
    category: 'risk',
    scope: 'item',
    description: 'Unfinished work past its due date',
    rationale: 'A missed date that nobody has re-planned is a commitment silently broken; stakeholders learn about it last.',
    defaultSeverity: 'critical',
    options: z.strictObject({
      graceDays: z.int().min(0).default(0).describe('days past the due date before the item is flagged'),
    }),
    messages: { overdue: '{{key}} "{{title}}" was due {{dueDate}} and is {{overdueBy}} overdue ({{status}})' },
  },
  create(ctx) {
    const today = localDate(ctx.now, ctx.timezone);
    const tomorrow = nextLocalMidnight(ctx.now, ctx.timezone);
    return {
      item(item) {
        if (item.dueDate === null || item.statusCategory === 'done') return;
        const days = daysBetweenDates(item.dueDate, today);
        ctx.recheckAt(days <= ctx.options.graceDays ? localMidnight(addDays(item.dueDate, ctx.options.graceDays + 1), ctx.timezone) : tomorrow);
        if (days <= ctx.options.graceDays) return;
        ctx.report({
          messageId: 'overdue',
          subject: item,
          data: { ...itemData(item), dueDate: item.dueDate, days, overdueBy: countOf(days, 'day') },
          evidence: { dueDate: item.dueDate, today, daysOverdue: days, status: item.status },
        });
      },
    };
  },
});
