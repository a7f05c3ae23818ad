import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { activeSprintEntry, groupBy, round1, sprintChanges, typeCategoriesOption, type SprintEntry } from '../src/engine/helpers.ts';
import type { WorkItem } from '../src/model/work-item.ts';

interface Entry extends SprintEntry {
  points: number;
  added: boolean;
}

/** When the item entered its current sprint: the last sprint change into it, else never recorded. */
export function joinedSprintAt(item: WorkItem): string | null {
  if (!item.sprint) return null;
  let at: string | null = null;
  for (const change of sprintChanges(item)) {
    if (change.sprints.includes(item.sprint.name) && (at === null || change.at > at)) at = change.at;
  }
  return at;
}

export const rule = defineRule({
  meta: {
    id: 'scope-creep',
    category: 'risk',
    scope: 'sprint',
    description: 'Work added to a running sprint after it started, as a share of its commitment',
    rationale: 'Scope that slips into a sprint after planning breaks the commitment the team made and makes velocity meaningless; a share above the agreed tolerance needs a conversation with whoever added it.',
    defaultSeverity: 'warning',
    options: z.strictObject({
      maxShare: z.number().min(0).max(10).default(0.2).describe('added work as a share of the work committed at the start (0.2 = 20%)'),
      graceHours: z.int().min(0).default(24).describe('hours after the start still counted as planning'),
      measure: z.enum(['points', 'items']).default('points').describe('weigh by estimate points or count items'),
      types: typeCategoriesOption(['story', 'bug', 'task']),
    }),
    messages: { creep: 'Sprint "{{sprint}}" ({{project}}) grew by {{added}} {{unit}} after it started: {{percent}}% of its commitment of {{committed}} (limit {{limit}}%)' },
  },
  create(ctx) {
    return {
      collect(item): Entry | undefined {
        const entry = activeSprintEntry(item);
        if (!entry || !item.sprint?.startDate || !ctx.options.types.includes(item.typeCategory)) return undefined;
        const joined = joinedSprintAt(item);
        const cutoff = Date.parse(item.sprint.startDate) + ctx.options.graceHours * 3_600_000;
        return {
          ...entry,
          points: ctx.options.measure === 'items' ? 1 : (item.estimate ?? 0),
          added: joined !== null && Date.parse(joined) > cutoff,
        };
      },
      done(facts) {
        for (const [key, entries] of groupBy(facts.values(), (e) => e.sprintKey)) {
          const added = entries.filter((e) => e.added);
          if (added.length === 0) continue;
          const addedPoints = round1(added.reduce((s, e) => s + e.points, 0));
          const committed = round1(entries.filter((e) => !e.added).reduce((s, e) => s + e.points, 0));
          const share = committed === 0 ? Infinity : addedPoints / committed;
          if (share <= ctx.options.maxShare) continue;
          const first = entries[0]!;
          const unit = ctx.options.measure === 'items' ? 'items' : 'points';
          ctx.report({
            messageId: 'creep',
            subject: { kind: 'sprint', key, url: null, project: first.project, team: first.team, source: first.source },
            owner: null,
            data: {
              sprint: first.sprint,
              project: first.project,
              added: addedPoints,
              unit,
              committed,
              percent: Number.isFinite(share) ? Math.round(share * 100) : 100,
              limit: Math.round(ctx.options.maxShare * 100),
            },
            evidence: { added: addedPoints, committed, share: Number.isFinite(share) ? round1(share * 100) / 100 : null, limit: ctx.options.maxShare, unit, addedItems: added.map((e) => e.nativeKey).sort() },
          });
        }
      },
    };
  },
});
