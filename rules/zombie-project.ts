import { z } from 'zod';
import { defineRule } from '../src/engine/rule.ts';
import { DAY_MS } from '../src/util/clock.ts';

/** [source, project, resolved epoch ms or 0 while open]: kept for every item, so kept small. */
type Fact = [string, string, number];

export const rule = defineRule({
  meta: {
    id: 'zombie-project',
    category: 'risk',
    scope: 'project',
    description: 'Projects with open work but nothing completed for weeks',
    rationale: 'A project that keeps open work but finishes nothing is either stalled or abandoned; either way it holds budget, people and a place in status reports it no longer earns.',
    defaultSeverity: 'warning',
    options: z.strictObject({
      weeks: z.int().min(1).default(4).describe('weeks without a completed item before the project is flagged'),
      minOpen: z.int().min(1).default(3).describe('open items a project needs to be judged'),
    }),
    messages: { zombie: '{{project}} has {{open}} open items but completed nothing in {{weeks}} weeks (last completion: {{last}})' },
  },
  create(ctx) {
    // Every open item of a project has the same fact: one shared array each instead of one per item.
    const openFacts = new Map<string, Map<string, Fact>>();
    return {
      collect(item): Fact | undefined {
        if (item.typeCategory === 'epic') return undefined;
        if (item.statusCategory === 'done') return [item.source, item.project, Date.parse(item.resolvedAt ?? item.updatedAt)];
        let inSource = openFacts.get(item.source);
        if (!inSource) openFacts.set(item.source, (inSource = new Map()));
        let open = inSource.get(item.project);
        if (!open) inSource.set(item.project, (open = [item.source, item.project, 0]));
        return open;
      },
      done(facts) {
        // By source, then project: a key string built per fact was most of this loop's time at 1M items.
        const bySource = new Map<string, Map<string, { source: string; project: string; open: number; last: number }>>();
        for (const [source, project, resolved] of facts.values()) {
          let inSource = bySource.get(source);
          if (!inSource) bySource.set(source, (inSource = new Map()));
          let p = inSource.get(project);
          if (!p) inSource.set(project, (p = { source, project, open: 0, last: 0 }));
          if (resolved === 0) p.open++;
          else if (resolved > p.last) p.last = resolved;
        }
        const projects = new Map<string, { source: string; project: string; open: number; last: number }>();
        for (const inSource of bySource.values()) for (const p of inSource.values()) projects.set(`${p.source}:${p.project}`, p);
        const cutoff = ctx.now.getTime() - ctx.options.weeks * 7 * DAY_MS;
        for (const [key, p] of projects) {
          if (p.open < ctx.options.minOpen || p.last >= cutoff) continue;
          const last = p.last === 0 ? 'never' : new Date(p.last).toISOString().slice(0, 10);
          ctx.report({
            messageId: 'zombie',
            subject: { kind: 'project', key, url: null, project: p.project, source: p.source },
            owner: null,
            data: { project: p.project, open: p.open, weeks: ctx.options.weeks, last },
            evidence: { open: p.open, lastCompletion: p.last === 0 ? null : new Date(p.last).toISOString(), weeks: ctx.options.weeks },
          });
        }
      },
    };
  },
});
