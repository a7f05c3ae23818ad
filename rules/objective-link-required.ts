import { z } from 'zod';
import { defineRule, ownGroup } from '../src/engine/rule.ts';
import { itemRef, refSubject, typeCategoriesOption, type ItemRef } from '../src/engine/helpers.ts';
import { ancestorKeys, directObjective, objectiveViaAncestors } from '../src/engine/objective-match.ts';

type Ancestor = { kind: 'ancestor'; objective: string | null; next: string[] };
/** An item to check, an ancestor, or (most items, kept small at 1M) an ancestor without objective and with one parent: that parent's key. */
type Fact = { kind: 'check'; ref: ItemRef; parentKey: string | null; epicKey: string | null } | Ancestor | string;

/** The fact of an item with no objective and no parent (one shared object: there are many). */
const UNLINKED: Fact = Object.freeze({ kind: 'ancestor', objective: null, next: [] });

function asAncestor(fact: Fact | undefined): Ancestor | undefined {
  if (typeof fact === 'string') return { kind: 'ancestor', objective: null, next: [fact] };
  if (fact === undefined) return undefined;
  return fact.kind === 'check' ? { kind: 'ancestor', objective: null, next: ancestorKeys(fact) } : fact;
}

export const rule = defineRule({
  meta: {
    id: 'objective-link-required',
    category: 'compliance',
    scope: 'item',
    description: 'Open work maps to a strategic objective, directly or through its epic',
    rationale: 'Work that serves no stated objective is effort leadership cannot see or justify; the unaligned share is the first number a PMO is asked for. Uses the `objectives[].match` of the config (epics, labels, projects, components, area paths), through any ancestor.',
    defaultSeverity: 'info',
    options: z.strictObject({
      types: typeCategoriesOption(['story', 'bug', 'task']),
      statusCategories: z.array(z.enum(['todo', 'in_progress', 'done'])).min(1).default(['in_progress']).describe('status categories checked'),
    }),
    messages: { unaligned: '{{key}} "{{title}}" maps to no objective (no matching epic, label, project, component or area path)' },
  },
  create(ctx) {
    const objectives = ctx.objectives;
    return {
      collect(item): Fact | undefined {
        if (objectives.length === 0) return undefined;
        const objective = directObjective(objectives, item);
        const checked = ctx.options.types.includes(item.typeCategory) && ctx.options.statusCategories.includes(item.statusCategory);
        if (checked && objective === null) return { kind: 'check', ref: itemRef(item), parentKey: item.parentKey, epicKey: item.epicKey };
        // Any item can be a parent: each is remembered for the ancestor walk, as a few bytes rather than an
        // item read back from the store every run, so a change anywhere along a chain reaches the items below.
        const next = ancestorKeys(item);
        if (objective === null && next.length <= 1) return next.length === 0 ? UNLINKED : next[0]!;
        return { kind: 'ancestor', objective, next };
      },
      // Each item is judged alone, through its chain of parents and epics.
      groups: ownGroup,
      uses: (f) => asAncestor(f)!.next,
      done(facts, all) {
        const looked = new Map<string, { objective: string | null; next: string[] } | undefined>();
        const ancestor = (key: string): { objective: string | null; next: string[] } | undefined => {
          const fact = asAncestor(all.get(key));
          if (fact) return fact;
          if (!looked.has(key)) {
            const item = ctx.lookup.item(key);
            looked.set(key, item ? { objective: directObjective(objectives, item), next: ancestorKeys(item) } : undefined);
          }
          return looked.get(key);
        };
        for (const f of facts.values()) {
          if (typeof f === 'string' || f.kind !== 'check') continue;
          if (objectiveViaAncestors(f.ref.key, ancestorKeys(f), ancestor) !== null) continue;
          ctx.report({
            messageId: 'unaligned',
            subject: refSubject(f.ref),
            owner: f.ref.assignee,
            data: { key: f.ref.nativeKey, title: f.ref.title },
            evidence: { parentKey: f.parentKey, epicKey: f.epicKey, objectives: objectives.map((o) => o.id) },
          });
        }
      },
    };
  },
});
