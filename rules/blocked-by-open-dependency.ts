import { z } from 'zod';
import { defineRule, ownGroup } from '../src/engine/rule.ts';
import { itemRef, refSubject, type ItemRef } from '../src/engine/helpers.ts';
import type { WorkItem } from '../src/model/work-item.ts';

interface Waiting {
  ref: ItemRef;
  on: string[];
}

export const rule = defineRule({
  meta: {
    id: 'blocked-by-open-dependency',
    category: 'risk',
    scope: 'item',
    description: 'Work waiting on another item that is still open (worse when that one is itself blocked)',
    rationale: 'Dependencies are where plans break across teams; an item whose blocker is still open (or blocked in turn) will not finish on time however hard its own team works.',
    defaultSeverity: 'warning',
    options: z.strictObject({
      linkTypes: z.array(z.string().min(1)).min(1).default(['is blocked by', 'depends on']).describe('link types (as normalised by the connectors) that mean "waits for"'),
      onlyWhenBlocked: z.boolean().default(false).describe('flag only dependencies that are themselves blocked'),
    }),
    messages: {
      open: '{{key}} "{{title}}" waits for {{targets}}, still open',
      chain: '{{key}} "{{title}}" waits for {{targets}}, which is itself blocked',
    },
  },
  create(ctx) {
    const types = new Set(ctx.options.linkTypes.map((t) => t.toLowerCase()));
    return {
      collect(item): Waiting | undefined {
        if (item.statusCategory === 'done') return undefined;
        const on = item.links.filter((l) => types.has(l.type.toLowerCase())).map((l) => l.targetKey);
        return on.length === 0 ? undefined : { ref: itemRef(item), on };
      },
      // Each waiting item is judged alone, from the items it waits for.
      groups: ownGroup,
      uses: (w) => w.on,
      done(facts) {
        const cache = new Map<string, WorkItem | null>();
        const target = (key: string): WorkItem | null => {
          if (!cache.has(key)) cache.set(key, ctx.lookup.item(key) ?? null);
          return cache.get(key)!;
        };
        for (const w of facts.values()) {
          const open = w.on.map(target).filter((t): t is WorkItem => t !== null && t.statusCategory !== 'done');
          const blocked = open.filter((t) => t.blocked);
          const shown = ctx.options.onlyWhenBlocked || blocked.length > 0 ? blocked : open;
          if (shown.length === 0) continue;
          ctx.report({
            messageId: blocked.length > 0 ? 'chain' : 'open',
            subject: refSubject(w.ref),
            owner: w.ref.assignee,
            data: { key: w.ref.nativeKey, title: w.ref.title, targets: shown.map((t) => `${t.nativeKey} (${t.status})`).join(', ') },
            evidence: { waitsFor: shown.map((t) => t.nativeKey), statuses: shown.map((t) => t.status), urls: shown.map((t) => t.url), blocked: blocked.map((t) => t.nativeKey) },
          });
        }
      },
    };
  },
});
