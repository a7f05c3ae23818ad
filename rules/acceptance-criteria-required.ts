import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { fieldText, itemData, stripMarkup, typeCategoriesOption } from '../src/engine/helpers.ts';
import type { WorkItem } from '../src/model/work-item.ts';

/** Headings teams write acceptance criteria under, in Jira descriptions and templates. */
const HEADINGS = /(^|\n)\s*(#+\s*|\*+|h\d\.\s*)?(acceptance criteria|acceptance tests?|definition of done|AC)\s*:?\s*\**\s*(\n|:)/i;
const GHERKIN = /\bgiven\b[\s\S]+?\bwhen\b[\s\S]+?\bthen\b/i;

export function hasAcceptanceCriteria(item: WorkItem, fields: readonly string[]): boolean {
  if (fieldText(item, fields) !== null) return true;
  const text = item.description ?? '';
  const heading = HEADINGS.exec(text);
  if (heading && stripMarkup(text.slice(heading.index + heading[0].length)).trim().length >= 10) return true;
  return GHERKIN.test(text);
}

export const rule = defineRule({
  meta: {
    id: 'acceptance-criteria-required',
    category: 'compliance',
    scope: 'item',
    description: 'Stories say how the team will know they are done (acceptance criteria)',
    rationale:
      'Without acceptance criteria "done" is an opinion: reviews drag, scope creeps inside the story and testers guess. Recognises an "Acceptance criteria" heading, Given/When/Then scenarios and the Azure DevOps Acceptance Criteria field.',
    defaultSeverity: 'warning',
    options: z.strictObject({
      types: typeCategoriesOption(['story']),
      fields: z
        .array(z.string().min(1))
        .default(['Microsoft.VSTS.Common.AcceptanceCriteria', 'acceptanceCriteria', 'Acceptance Criteria'])
        .describe('raw fields that hold acceptance criteria (e.g. a Jira custom field name)'),
      includeDone: z.boolean().default(false).describe('also check completed items'),
    }),
    messages: { missing: '{{key}} "{{title}}" has no acceptance criteria' },
    fix: { field: 'acceptanceCriteria', input: 'text' },
  },
  create(ctx) {
    return {
      item(item) {
        if (!ctx.options.types.includes(item.typeCategory)) return;
        if (!ctx.options.includeDone && item.statusCategory === 'done') return;
        if (hasAcceptanceCriteria(item, ctx.options.fields)) return;
        ctx.report({
          messageId: 'missing',
          subject: item,
          data: itemData(item),
          evidence: { type: item.type, status: item.status, fieldsChecked: ctx.options.fields, descriptionLength: item.description?.length ?? 0 },
        });
      },
    };
  },
});
