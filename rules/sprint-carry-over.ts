import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { itemData, sprintChanges, typeCategoriesOption } from '../src/engine/helpers.ts';
import type { WorkItem } from '../src/model/work-item.ts';

/** The sprints an item has been planned into, oldest first, from its sprint history and current sprint. */
export function sprintsOf(item: WorkItem): string[] {
  const seen: string[] = [];
  const add = (name: string): void => {
    if (!seen.includes(name)) seen.push(name);
  };
  for (const change of sprintChanges(item)) for (const name of change.sprints) add(name);
  if (item.sprint) add(item.sprint.name);
  return seen;
}

export const rule = defineRule({
  meta: {
    id: 'sprint-carry-over',
    category: 'risk',
    scope: 'item',
    description: 'Unfinished work carried over across several sprints',
    rationale: 'An item that rolls from sprint to sprint is too big, blocked or not really wanted; each carry-over also inflates the next commitment.',
    defaultSeverity: 'warning',
    options: z.strictObject({
      maxCarryOvers: z.int().min(1).default(2).describe('carry-overs allowed before the item is flagged (2: flagged in its third sprint)'),
      types: typeCategoriesOption(['story', 'bug', 'task']),
    }),
    messages: { carried: '{{key}} "{{title}}" has been carried over {{carried}} times (now in {{sprint}})' },
  },
  create(ctx) {
    return {
      item(item) {
        if (item.statusCategory === 'done' || item.sprint === null || !ctx.options.types.includes(item.typeCategory)) return;
        const sprints = sprintsOf(item);
        const carried = sprints.length - 1;
        if (carried < ctx.options.maxCarryOvers) return;
        ctx.report({
          messageId: 'carried',
          subject: item,
          data: { ...itemData(item), carried, sprint: item.sprint.name },
          evidence: { carried, limit: ctx.options.maxCarryOvers, sprints },
        });
      },
    };
  },
});
