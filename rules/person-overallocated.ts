import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { groupBy, personKey, typeCategoriesOption } from '../src/engine/helpers.ts';
import type { Person } from '../src/model/work-item.ts';

interface Load {
  person: Person;
  nativeKey: string;
  project: string;
  points: number;
  source: string;
  url: string;
}

export const rule = defineRule({
  meta: {
    id: 'person-overallocated',
    category: 'risk',
    scope: 'person',
    description: 'People committed to more work than they can carry, across every source and project',
    rationale: 'Overload is invisible per team when one person works for several; merged by email across Jira and Azure DevOps, their in-progress and current-sprint load shows burnout and hidden bottlenecks early.',
    defaultSeverity: 'warning',
    options: z.strictObject({
      maxPoints: z.number().min(0).default(20).describe('most estimate points of in-progress and active-sprint work per person'),
      maxItems: z.int().min(1).default(8).describe('most open items in progress or in an active sprint per person'),
      types: typeCategoriesOption(['story', 'task', 'bug', 'subtask']),
    }),
    messages: { over: '{{name}} carries {{points}} points in {{items}} items across {{projects}} (limits {{maxPoints}} points, {{maxItems}} items)' },
  },
  create(ctx) {
    return {
      collect(item): Load | undefined {
        if (item.assignee === null || item.statusCategory === 'done' || !ctx.options.types.includes(item.typeCategory)) return undefined;
        const committed = item.statusCategory === 'in_progress' || item.sprint?.state === 'active';
        if (!committed) return undefined;
        return { person: item.assignee, nativeKey: item.nativeKey, project: item.project, points: item.estimate ?? 0, source: item.source, url: item.url };
      },
      groups: (_key, load) => personKey(load.person),
      done(facts) {
        for (const [key, loads] of groupBy(facts.values(), (load) => personKey(load.person))) {
          const points = loads.reduce((s, l) => s + l.points, 0);
          if (points <= ctx.options.maxPoints && loads.length <= ctx.options.maxItems) continue;
          const projects = [...new Set(loads.map((l) => l.project))].sort();
          const sources = [...new Set(loads.map((l) => l.source))].sort();
          // Sorted first, so the person named does not depend on the order the facts come in.
          loads.sort((a, b) => a.nativeKey.localeCompare(b.nativeKey));
          const person = loads.find((l) => l.person.email)?.person ?? loads[0]!.person;
          ctx.report({
            messageId: 'over',
            subject: { kind: 'person', key, url: null, project: projects.join(', ') },
            owner: person,
            data: { name: person.name, points, items: loads.length, projects: projects.join(', '), maxPoints: ctx.options.maxPoints, maxItems: ctx.options.maxItems },
            evidence: { points, items: loads.length, maxPoints: ctx.options.maxPoints, maxItems: ctx.options.maxItems, projects, sources, keys: loads.map((l) => l.nativeKey), urls: loads.map((l) => l.url) },
          });
        }
      },
    };
  },
});
