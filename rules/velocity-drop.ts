import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { round1, sprintKeyOf, typeCategoriesOption } from '../src/engine/helpers.ts';

interface Done {
  team: string;
  source: string;
  project: string;
  sprintKey: string;
  sprint: string;
  sprintEnd: string;
  points: number;
}

export const rule = defineRule({
  meta: {
    id: 'velocity-drop',
    category: 'risk',
    scope: 'project',
    description: "A team's last sprint delivered far less than its recent average",
    rationale: 'A sudden drop in delivered points is an early sign of trouble (attrition, blockers, unplanned work) and makes every forecast built on the average too optimistic.',
    defaultSeverity: 'warning',
    options: z.strictObject({
      maxDrop: z.number().min(0).max(1).default(0.3).describe('drop against the average of earlier sprints that is flagged (0.3 = 30%)'),
      sprints: z.int().min(1).default(3).describe('earlier closed sprints averaged'),
      types: typeCategoriesOption(['story', 'bug', 'task']),
    }),
    messages: { drop: '{{team}} delivered {{last}} points in "{{sprint}}", {{percent}}% below its average of {{average}} over the {{count}} sprints before' },
  },
  create(ctx) {
    return {
      collect(item): Done | undefined {
        const key = sprintKeyOf(item);
        if (item.statusCategory !== 'done' || key === null || item.sprint?.state !== 'closed' || item.sprint.endDate === null) return undefined;
        if (!ctx.options.types.includes(item.typeCategory)) return undefined;
        return { team: item.team ?? item.project, source: item.source, project: item.project, sprintKey: key, sprint: item.sprint.name, sprintEnd: item.sprint.endDate, points: item.estimate ?? 0 };
      },
      done(facts) {
        const byTeam = new Map<string, Map<string, { sprint: string; end: string; points: number; project: string; source: string }>>();
        for (const d of facts.values()) {
          const teamKey = `${d.source}:${d.team}`;
          let sprints = byTeam.get(teamKey);
          if (!sprints) byTeam.set(teamKey, (sprints = new Map()));
          const s = sprints.get(d.sprintKey) ?? { sprint: d.sprint, end: d.sprintEnd, points: 0, project: d.project, source: d.source };
          s.points += d.points;
          sprints.set(d.sprintKey, s);
        }
        for (const [teamKey, sprints] of byTeam) {
          const ordered = [...sprints.values()].sort((a, b) => a.end.localeCompare(b.end));
          if (ordered.length < ctx.options.sprints + 1) continue;
          const last = ordered.at(-1)!;
          const before = ordered.slice(-1 - ctx.options.sprints, -1);
          const average = before.reduce((s, x) => s + x.points, 0) / before.length;
          if (average <= 0) continue;
          const drop = (average - last.points) / average;
          if (drop <= ctx.options.maxDrop) continue;
          const team = teamKey.slice(teamKey.indexOf(':') + 1);
          ctx.report({
            messageId: 'drop',
            subject: { kind: 'project', key: `velocity:${teamKey}`, url: null, project: last.project, team, source: last.source },
            owner: null,
            data: { team, last: round1(last.points), sprint: last.sprint, percent: Math.round(drop * 100), average: round1(average), count: before.length },
            evidence: { last: round1(last.points), average: round1(average), drop: Math.round(drop * 100) / 100, limit: ctx.options.maxDrop, sprints: before.map((s) => `${s.sprint}: ${round1(s.points)}`) },
          });
        }
      },
    };
  },
});
