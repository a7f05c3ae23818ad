import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { fieldText, groupBy, itemRef, refSubject, typeCategoriesOption } from '../src/engine/helpers.ts';

/** Kept for every done item and open child: small; the few reported items are looked up. */
type Fact = { kind: 'done'; unresolved: boolean } | { kind: 'open-child'; parent: string; nativeKey: string };
// Shared: a done item's fact is one of two values (a million items keep a fact each).
const DONE: Fact = Object.freeze({ kind: 'done', unresolved: false });
const DONE_UNRESOLVED: Fact = Object.freeze({ kind: 'done', unresolved: true });

export const rule = defineRule({
  meta: {
    id: 'definition-of-done',
    category: 'compliance',
    scope: 'item',
    description: 'Done means done: no open children and a recorded resolution',
    rationale: 'A parent closed over open children overstates progress and hides remaining work; done items without a resolution break cycle-time and delivery reports.',
    defaultSeverity: 'warning',
    options: z.strictObject({
      types: typeCategoriesOption(['epic', 'feature', 'story', 'bug']),
      resolutionFields: z.array(z.string()).default([]).describe('raw fields that must be set on done items (e.g. "resolution"); the resolution date is always required'),
    }),
    messages: {
      children: '{{key}} "{{title}}" is done but {{count}} of its children are still open: {{children}}',
      unresolved: '{{key}} "{{title}}" is done but has no resolution recorded',
    },
  },
  create(ctx) {
    return {
      collect(item): Fact | undefined {
        if (item.statusCategory === 'done') {
          if (!ctx.options.types.includes(item.typeCategory)) return undefined;
          const unresolved = item.resolvedAt === null || (ctx.options.resolutionFields.length > 0 && fieldText(item, ctx.options.resolutionFields) === null);
          return unresolved ? DONE_UNRESOLVED : DONE;
        }
        return item.parentKey === null ? undefined : { kind: 'open-child', parent: item.parentKey, nativeKey: item.nativeKey };
      },
      // A done item is judged with its own open children: its group is its key, theirs their parent's.
      groups: (key, f) => (f.kind === 'done' ? key : f.parent),
      done(facts) {
        const openChildren = groupBy(
          [...facts.values()].filter((f) => f.kind === 'open-child'),
          (f) => f.parent,
        );
        for (const [key, f] of facts) {
          if (f.kind !== 'done') continue;
          const children = (openChildren.get(key) ?? []).map((c) => c.nativeKey).sort();
          if (children.length === 0 && !f.unresolved) continue;
          const item = ctx.lookup.item(key);
          if (!item) continue;
          const ref = itemRef(item);
          const data = { key: ref.nativeKey, title: ref.title };
          if (children.length > 0) {
            ctx.report({
              messageId: 'children',
              subject: refSubject(ref),
              owner: ref.assignee,
              data: { ...data, count: children.length, children: children.join(', ') },
              evidence: { openChildren: children, unresolved: f.unresolved },
            });
          } else if (f.unresolved) {
            ctx.report({ messageId: 'unresolved', subject: refSubject(ref), owner: ref.assignee, data, evidence: { resolvedAt: null, resolutionFields: ctx.options.resolutionFields } });
          }
        }
      },
    };
  },
});
