import { z } from 'zod';
import type { Person, WorkItem } from '../src/model/work-item.ts';
import { defineRule } from '../src/engine/rule.ts';
import { personKey, typeCategoriesOption } from '../src/engine/helpers.ts';

/** What the rule keeps of each in-progress item: aggregates must not hold whole items. */
type Held = Pick<WorkItem, 'nativeKey' | 'url' | 'project' | 'team' | 'source' | 'status'>;

interface Load {
  person: Person;
  items: Held[];
}

function held(item: WorkItem): Held {
  return { nativeKey: item.nativeKey, url: item.url, project: item.project, team: item.team, source: item.source, status: item.status };
}

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
    const byPerson = new Map<string, Load>();
    const byStatus = new Map<string, Held[]>();
    return {
      item(item) {
        if (item.statusCategory !== 'in_progress' || !ctx.options.types.includes(item.typeCategory)) return;
        if (item.assignee) {
          const key = personKey(item.assignee);
          const load = byPerson.get(key) ?? { person: item.assignee, items: [] };
          load.items.push(held(item));
          byPerson.set(key, load);
        }
        if (Object.hasOwn(ctx.options.perStatus, item.status)) {
          const key = `${item.source}:${item.project}:${item.status}`;
          const list = byStatus.get(key) ?? [];
          list.push(held(item));
          byStatus.set(key, list);
        }
      },
      done() {
        for (const [key, load] of byPerson) {
          const wip = load.items.length;
          if (wip <= ctx.options.perPerson) continue;
          const keys = load.items.map((i) => i.nativeKey);
          ctx.report({
            messageId: 'person',
            subject: { kind: 'person', key, url: null, project: distinct(load.items.map((i) => i.project)) },
            owner: load.person,
            data: { name: load.person.name, wip, limit: ctx.options.perPerson, keys: keys.join(', ') },
            evidence: {
              wip,
              limit: ctx.options.perPerson,
              items: keys,
              urls: load.items.map((i) => i.url),
              projects: [...new Set(load.items.map((i) => i.project))],
            },
          });
        }
        for (const [key, items] of byStatus) {
          const first = items[0]!;
          const limit = ctx.options.perStatus[first.status]!;
          if (items.length <= limit) continue;
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
