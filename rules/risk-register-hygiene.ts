import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { fieldText, hasText, itemData, localDate, localMidnight, addDays } from '../src/engine/helpers.ts';
import type { WorkItem } from '../src/model/work-item.ts';

/** Mitigation text: a configured field, else a "Mitigation:" line in the description. */
function mitigationOf(item: WorkItem, fields: readonly string[]): string | null {
  const fromField = fieldText(item, fields);
  if (fromField !== null) return fromField;
  const line = /(^|\n)\s*mitigation\s*:\s*(.+)/i.exec(item.description ?? '');
  return line && hasText(line[2], 5) ? line[2]!.trim() : null;
}

function reviewDateOf(item: WorkItem, fields: readonly string[], useDueDate: boolean): string | null {
  const raw = fieldText(item, fields);
  if (raw !== null && /^\d{4}-\d{2}-\d{2}/.test(raw)) return raw.slice(0, 10);
  return useDueDate ? item.dueDate : null;
}

export const rule = defineRule({
  meta: {
    id: 'risk-register-hygiene',
    category: 'compliance',
    scope: 'item',
    description: 'Open risks have an owner, a mitigation and a review date that has not passed',
    rationale: 'A risk register is only worth what its weakest entry is: an unowned risk has nobody watching it, one without mitigation is a worry rather than a plan, and a lapsed review date means nobody has looked.',
    defaultSeverity: 'warning',
    options: z.strictObject({
      mitigationFields: z.array(z.string().min(1)).default(['Mitigation', 'Custom.Mitigation', 'mitigation']).describe('raw fields holding the mitigation plan'),
      reviewDateFields: z.array(z.string().min(1)).default(['Review Date', 'Custom.ReviewDate', 'reviewDate']).describe('raw fields holding the next review date'),
      dueDateIsReviewDate: z.boolean().default(true).describe('use the due date when no review-date field is set'),
      requireReviewDate: z.boolean().default(false).describe('flag risks with no review date at all (not only lapsed ones)'),
    }),
    messages: { gaps: 'Risk {{key}} "{{title}}" needs attention: {{gaps}}' },
  },
  create(ctx) {
    const today = localDate(ctx.now, ctx.timezone);
    return {
      item(item) {
        if (item.typeCategory !== 'risk' || item.statusCategory === 'done') return;
        const gaps: string[] = [];
        if (item.assignee === null) gaps.push('no owner');
        const mitigation = mitigationOf(item, ctx.options.mitigationFields);
        if (mitigation === null) gaps.push('no mitigation');
        const review = reviewDateOf(item, ctx.options.reviewDateFields, ctx.options.dueDateIsReviewDate);
        if (review === null) {
          if (ctx.options.requireReviewDate) gaps.push('no review date');
        } else if (review < today) {
          gaps.push(`review date ${review} has passed`);
        } else {
          ctx.recheckAt(localMidnight(addDays(review, 1), ctx.timezone));
        }
        if (gaps.length === 0) return;
        ctx.report({
          messageId: 'gaps',
          subject: item,
          data: { ...itemData(item), gaps: gaps.join(', ') },
          evidence: { gaps, owner: item.assignee?.name ?? null, mitigation, reviewDate: review, today },
        });
      },
    };
  },
});
