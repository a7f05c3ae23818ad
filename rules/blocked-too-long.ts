import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { countOf, itemData, daysSinceWithRecheck } from '../src/engine/helpers.ts';
import type { WorkItem } from '../src/model/work-item.ts';

/** History fields connectors use for the blocked flag (Jira `Flagged`, Azure DevOps `Blocked`). */
const FLAG_FIELDS = /^(flagged|blocked|impediment|microsoft\.vsts\.cmmi\.blocked)$/i;

/** When the item became blocked: the last flag change in history, a move into a "blocked" status, or its last update. */
export function blockedSince(item: WorkItem): string {
  let since: string | null = null;
  for (const change of item.history) {
    if (FLAG_FIELDS.test(change.field) && change.to !== null && change.to !== '' && !/^(no|false)$/i.test(change.to)) {
      if (since === null || change.at > since) since = change.at;
    }
  }
  for (const t of item.transitions) {
    if (/block/i.test(t.to) && (since === null || t.at > since)) since = t.at;
  }
  return since ?? item.updatedAt;
}

export const rule = defineRule({
  meta: {
    id: 'blocked-too-long',
    category: 'risk',
    scope: 'item',
    description: 'Work that has been blocked for more than a few days',
    rationale: 'A blocker nobody escalates is a silent schedule slip; after a few days it needs someone with the authority to remove it.',
    defaultSeverity: 'warning',
    options: z.strictObject({
      days: z.int().min(0).default(3).describe('days blocked before the item is flagged'),
    }),
    messages: { blocked: '{{key}} "{{title}}" has been blocked for {{blockedFor}} (limit {{limit}} days)' },
  },
  create(ctx) {
    return {
      item(item) {
        if (!item.blocked || item.statusCategory === 'done') return;
        const since = blockedSince(item);
        const days = daysSinceWithRecheck(ctx, since, ctx.options.days);
        if (days < ctx.options.days) return;
        ctx.report({
          messageId: 'blocked',
          subject: item,
          data: { ...itemData(item), days, blockedFor: countOf(days, 'day'), limit: ctx.options.days },
          evidence: { blockedSince: since, days, limit: ctx.options.days, status: item.status },
        });
      },
    };
  },
});
