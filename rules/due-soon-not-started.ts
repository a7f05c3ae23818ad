import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { addDays, countOf, daysBetweenDates, itemData, localDate, localMidnight, nextLocalMidnight, typeCategoriesOption } from '../src/engine/helpers.ts';

export const rule = defineRule({
  meta: {
    id: 'due-soon-not-started',
    category: 'risk',
    scope: 'item',
    description: 'Work due within a few days that has not been started',
    rationale: 'A date that is days away on work nobody has picked up is the cheapest moment to re-plan or escalate; tomorrow it becomes "overdue".',
    defaultSeverity: 'warning',
    options: z.strictObject({
      days: z.int().min(0).default(5).describe('calendar days ahead that count as "soon" (0: due today)'),
      types: typeCategoriesOption(['epic', 'feature', 'story', 'bug', 'task', 'risk']),
    }),
    messages: { soon: '{{key}} "{{title}}" is due {{dueDate}} ({{when}}) and has not been started' },
  },
  create(ctx) {
    const today = localDate(ctx.now, ctx.timezone);
    const tomorrow = nextLocalMidnight(ctx.now, ctx.timezone);
    return {
      item(item) {
        if (item.dueDate === null || item.statusCategory !== 'todo' || !ctx.options.types.includes(item.typeCategory)) return;
        const left = daysBetweenDates(today, item.dueDate);
        if (left < 0) return; // overdue's business
        if (left > ctx.options.days) {
          ctx.recheckAt(localMidnight(addDays(item.dueDate, -ctx.options.days), ctx.timezone));
          return;
        }
        ctx.recheckAt(tomorrow);
        ctx.report({
          messageId: 'soon',
          subject: item,
          data: { ...itemData(item), dueDate: item.dueDate, daysLeft: left, when: left === 0 ? 'today' : `in ${countOf(left, 'day')}` },
          evidence: { dueDate: item.dueDate, today, daysLeft: left, status: item.status },
        });
      },
    };
  },
});
