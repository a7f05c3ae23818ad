import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { groupBy, itemRef, personKey, typeCategoriesOption, type ItemRef } from '../src/engine/helpers.ts';

export const rule = defineRule({
  meta: {
    id: 'wip-limit',
    category: 'compliance',
    scope: 'person',
    description: 'Work in progress stays within the agreed limits, per person and per status',
    rationale: 'Too much parallel work stretches cycle time and hides overload; a WIP limit is the simplest working agreement a team can keep.',
    defaultSeverity: 'warning',
    options: z.strictObject({
      perPerson: z.int().min(1).default(3).describe('most in-progress items one person may hold, across all sources'),
      perStatus: z
        .record(z.string(), z.int().min(1))
        .default({})
        .describe('most items per project in a named status, e.g. { "In Review": 4 }'),
      types: typeCategoriesOption(['story', 'task', 'bug', 'subtask']),
    }),
    messages: {
      person: '{{name}} has {{wip}} items in progress (limit {{limit}})',
      status: '{{project}} has {{wip}} items in "{{status}}" (limit {{limit}})',
    },
  },
  create(ctx) {
    return {
      collect(item): ItemRef | undefined {
        if (item.statusCategory !== 'in_progress' || !ctx.options.types.includes(item.typeCategory)) return undefined;
        return itemRef(item);
      },
      // A person's work in progress and a status column's are judged separately.
      groups: (_key, r) => {
        const groups: string[] = [];
        if (r.assignee !== null) groups.push(personKey(r.assignee));
        if (Object.hasOwn(ctx.options.perStatus, r.status)) groups.push(statusKey(r));
        return groups;
      },
      done(facts) {
        const refs = [...facts.values()];
        const byPerson = groupBy(refs.filter((r) => r.assignee !== null), (r) => personKey(r.assignee!));
        const byStatus = groupBy(refs.filter((r) => Object.hasOwn(ctx.options.perStatus, r.status)), statusKey);
        for (const [key, items] of byPerson) {
          const wip = items.length;
          if (wip <= ctx.options.perPerson) continue;
          const person = items[0]!.assignee!;
          items.sort((a, b) => a.key.localeCompare(b.key));
          ctx.report({
            messageId: 'person',
            subject: { kind: 'person', key, url: null, project: distinct(items.map((i) => i.project)) },
            owner: person,
            data: { name: person.name, wip, limit: ctx.options.perPerson, keys: items.map((i) => i.nativeKey).join(', ') },
            evidence: {
              wip,
              limit: ctx.options.perPerson,
              items: items.map((i) => i.nativeKey),
              urls: items.map((i) => i.url),
              projects: [...new Set(items.map((i) => i.project))],
            },
          });
        }
        for (const [key, items] of byStatus) {
          const limit = ctx.options.perStatus[items[0]!.status]!;
          if (items.length <= limit) continue;
          // Sorted first, so the item the subject links to does not depend on the order the facts come in.
          items.sort((a, b) => a.key.localeCompare(b.key));
          const first = items[0]!;
          ctx.report({
            messageId: 'status',
            subject: { kind: 'project', key, url: first.url, project: first.project, team: first.team, source: first.source },
            owner: null,
            data: { project: first.project, status: first.status, wip: items.length, limit },
            evidence: { wip: items.length, limit, status: first.status, items: items.map((i) => i.nativeKey), urls: items.map((i) => i.url) },
          });
        }
      },
    };
  },
});

/** A person working across projects is reported under all of them, comma-separated. */
function distinct(values: string[]): string {
  return [...new Set(values)].sort().join(', ');
}

/** The subject of a status column's limit. */
function statusKey(r: ItemRef): string {
  return `${r.source}:${r.project}:${r.status}`;
}
