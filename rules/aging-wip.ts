import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { groupBy, itemRef, percentile, refSubject, round1, typeCategoriesOption, type ItemRef } from '../src/engine/helpers.ts';
import { DAY_MS } from '../src/util/clock.ts';

type Fact = { done: true; team: string; resolved: number; cycleDays: number } | { done: false; team: string; started: number; ref: ItemRef };

export const rule = defineRule({
  meta: {
    id: 'aging-wip',
    category: 'risk',
    scope: 'item',
    description: "In-progress work older than the team's own 85th-percentile cycle time",
    rationale: "Measured against the team's own history rather than a fixed number, an item past the 85th percentile is already slower than most of what the team finishes: the moment to swarm, split or escalate (Kanban's aging WIP).",
    defaultSeverity: 'warning',
    options: z.strictObject({
      percentile: z.number().gt(0).lt(1).default(0.85).describe('cycle-time percentile used as the limit'),
      windowDays: z.int().min(7).default(90).describe('days of completed work the percentile is taken over'),
      minSamples: z.int().min(1).default(8).describe('completed items a team needs before it is judged'),
      types: typeCategoriesOption(['story', 'bug', 'task']),
    }),
    messages: { aging: '{{key}} "{{title}}" has been in progress {{age}} days, past {{team}}\'s {{pct}}th-percentile cycle time of {{limit}} days' },
  },
  create(ctx) {
    return {
      collect(item): Fact | undefined {
        if (!ctx.options.types.includes(item.typeCategory) || item.startedAt === null) return undefined;
        const team = `${item.source}:${item.team ?? item.project}`;
        if (item.statusCategory === 'done') {
          if (item.resolvedAt === null) return undefined;
          const cycleDays = (Date.parse(item.resolvedAt) - Date.parse(item.startedAt)) / DAY_MS;
          return { done: true, team, resolved: Date.parse(item.resolvedAt), cycleDays };
        }
        if (item.statusCategory !== 'in_progress') return undefined;
        return { done: false, team, started: Date.parse(item.startedAt), ref: itemRef(item) };
      },
      done(facts) {
        const since = ctx.now.getTime() - ctx.options.windowDays * DAY_MS;
        const recent = [...facts.values()].filter((f) => f.done && f.resolved >= since) as Array<Extract<Fact, { done: true }>>;
        const cycles = new Map([...groupBy(recent, (f) => f.team)].map(([team, list]) => [team, list.map((f) => f.cycleDays)]));
        const limits = new Map<string, number>();
        for (const [team, list] of cycles) if (list.length >= ctx.options.minSamples) limits.set(team, percentile(list, ctx.options.percentile));
        for (const f of facts.values()) {
          if (f.done) continue;
          const limit = limits.get(f.team);
          if (limit === undefined) continue;
          const age = (ctx.now.getTime() - f.started) / DAY_MS;
          if (age <= limit) continue;
          const team = f.ref.team ?? f.ref.project;
          ctx.report({
            messageId: 'aging',
            subject: refSubject(f.ref),
            owner: f.ref.assignee,
            data: { key: f.ref.nativeKey, title: f.ref.title, age: Math.floor(age), team, pct: Math.round(ctx.options.percentile * 100), limit: round1(limit) },
            evidence: { ageDays: round1(age), limitDays: round1(limit), percentile: ctx.options.percentile, samples: cycles.get(f.team)?.length ?? 0, windowDays: ctx.options.windowDays },
          });
        }
      },
    };
  },
});
