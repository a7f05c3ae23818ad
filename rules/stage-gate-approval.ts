import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { fieldText, itemData, typeCategoriesOption } from '../src/engine/helpers.ts';

export const rule = defineRule({
  meta: {
    id: 'stage-gate-approval',
    category: 'compliance',
    scope: 'item',
    description: 'Phase-gated work past a gate carries the gate approval',
    rationale: 'In stage-gate governance work may only proceed once the gate board has approved it; work running past a gate without the recorded approval is unsanctioned spend and an audit finding.',
    defaultSeverity: 'critical',
    options: z.strictObject({
      types: typeCategoriesOption(['epic', 'feature']),
      gateField: z.string().min(1).default('Custom.Gate').describe('raw field holding the current gate or phase (e.g. "G3 Build")'),
      pastGate: z
        .array(z.enum(['todo', 'in_progress', 'done']))
        .min(1)
        .default(['in_progress'])
        .describe('status categories that mean the item has passed a gate (add done to audit closed work too)'),
      statuses: z.array(z.string()).default([]).describe('further statuses that mean the item has passed a gate'),
      approvalLabels: z.array(z.string()).default(['gate-approved']).describe('labels that record the approval'),
      approvalFields: z.array(z.string()).default(['Custom.GateApproval', 'Gate Approval', 'gateApproval']).describe('raw fields that record the approval (who or when)'),
    }),
    messages: { unapproved: '{{key}} "{{title}}" is {{status}} at gate "{{gate}}" without a recorded gate approval' },
  },
  create(ctx) {
    return {
      item(item) {
        if (!ctx.options.types.includes(item.typeCategory)) return;
        const past = ctx.options.pastGate.includes(item.statusCategory) || ctx.options.statuses.includes(item.status);
        if (!past) return;
        if (item.labels.some((l) => ctx.options.approvalLabels.includes(l))) return;
        if (fieldText(item, ctx.options.approvalFields) !== null) return;
        const gate = fieldText(item, [ctx.options.gateField]) ?? item.status;
        ctx.report({
          messageId: 'unapproved',
          subject: item,
          data: { ...itemData(item), gate },
          evidence: { gate, status: item.status, approvalLabels: ctx.options.approvalLabels, approvalFields: ctx.options.approvalFields },
        });
      },
    };
  },
});
