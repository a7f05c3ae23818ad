import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { activeSprintEntry, groupBy, typeCategoriesOption, type SprintEntry } from '../src/engine/helpers.ts';

interface Entry extends SprintEntry {
  estimated: boolean;
  assigned: boolean;
}

export const rule = defineRule({
  meta: {
    id: 'sprint-commitment-estimated',
    category: 'compliance',
    scope: 'sprint',
    description: 'Everything committed to an active sprint is estimated and assigned',
    rationale: 'A sprint commitment with unestimated or unowned items is a guess: capacity checks, burn-downs and velocity all undercount it.',
    defaultSeverity: 'warning',
    options: z.strictObject({
      types: typeCategoriesOption(['story', 'bug', 'task']),
      requireAssignee: z.boolean().default(true).describe('also require an assignee'),
    }),
    messages: { gaps: 'Sprint "{{sprint}}" ({{project}}): {{gaps}} of {{total}} committed items' },
  },
  create(ctx) {
    return {
      collect(item): Entry | undefined {
        const entry = activeSprintEntry(item);
        if (!entry || item.statusCategory === 'done' || !ctx.options.types.includes(item.typeCategory)) return undefined;
        return { ...entry, estimated: item.estimate !== null, assigned: item.assignee !== null };
      },
      done(facts) {
        for (const [key, entries] of groupBy(facts.values(), (e) => e.sprintKey)) {
          const unestimated = entries.filter((e) => !e.estimated).map((e) => e.nativeKey).sort();
          const unassigned = ctx.options.requireAssignee ? entries.filter((e) => !e.assigned).map((e) => e.nativeKey).sort() : [];
          if (unestimated.length === 0 && unassigned.length === 0) continue;
          const first = entries[0]!;
          const gaps = [
            unestimated.length > 0 ? `${unestimated.length} unestimated (${unestimated.join(', ')})` : null,
            unassigned.length > 0 ? `${unassigned.length} unassigned (${unassigned.join(', ')})` : null,
          ].filter((g) => g !== null);
          ctx.report({
            messageId: 'gaps',
            subject: { kind: 'sprint', key, url: null, project: first.project, team: first.team, source: first.source },
            owner: null,
            data: { sprint: first.sprint, project: first.project, gaps: gaps.join(' and '), total: entries.length },
            evidence: { total: entries.length, unestimated, unassigned },
          });
        }
      },
    };
  },
});
