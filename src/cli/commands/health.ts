import { computeHealth, healthAt, HEALTH_SCOPES, type Health, type HealthScope, type HealthSettings, type Rag } from '../../engine/health.ts';
import type { Store } from '../../store/index.ts';
import { weeklyInstants } from '../../util/clock.ts';
import { sparkline } from '../../notify/blocks/digest.ts';
import { PmoError } from '../../util/errors.ts';
import { COMMON_OPTIONS, JSON_OPTION, flag, intFlag, str, type Command } from '../command.ts';
import { loadCliConfig, openRuntime } from '../context.ts';
import { print, printJson, table } from '../output.ts';

/** One subject's health now, a week ago, and at the end of each of the last weeks (oldest first). */
export interface HealthReport extends Health {
  previous: { rag: Rag; compliance: number; score: number } | null;
  trend: Array<{ at: string; rag: Rag; compliance: number; score: number } | null>;
}

export const healthCommand: Command = {
  name: 'health',
  summary: 'RAG health and compliance per project, team and person, with week-over-week trends',
  usage: 'pmo-bot health [--scope portfolio|project|team|person] [--weeks N] [--json]',
  details:
    'Health comes from the open findings of the last evaluation: a weighted score per item (weights and thresholds in\n' +
    '`health:`) and compliance, the share of items with no open compliance finding. Each worker cycle and `check` store it,\n' +
    'so the trend covers the weeks the bot has been running. --json prints an array of {scope, subject, rag, score,\n' +
    'compliance, items, nonCompliant, open:{critical,warning,info}, previous, trend:[{at, rag, compliance, score} | null]}.',
  options: { ...COMMON_OPTIONS, ...JSON_OPTION, scope: { type: 'string' }, weeks: { type: 'string' } },
  async run(args) {
    const scope = str(args, 'scope');
    if (scope !== undefined && !(HEALTH_SCOPES as readonly string[]).includes(scope)) throw new PmoError('USAGE', `--scope must be one of: ${HEALTH_SCOPES.join(', ')}`);
    const weeks = intFlag(args, 'weeks', { min: 1, max: 104, fallback: 8 });
    const cli = loadCliConfig({ config: str(args, 'config') });
    const rt = openRuntime(cli);
    try {
      const report = healthReport(rt.store, cli.config.health, rt.clock.now(), weeks, scope as HealthScope | undefined);
      if (flag(args, 'json')) printJson(report);
      else if (report.length === 0) print('No items stored yet: run `pmo-bot sync` and `pmo-bot check` first.');
      else print(renderHealth(report));
      return 0;
    } finally {
      rt.store.close();
    }
  },
};

export function healthReport(store: Store, settings: HealthSettings, now: Date, weeks: number, scope?: HealthScope): HealthReport[] {
  const instants = weeklyInstants(now, weeks, 1);
  const history = healthAt(store, instants, scope);
  return computeHealth(store, settings)
    .filter((h) => scope === undefined || h.scope === scope)
    .map((h) => {
      const series = history.get(`${h.scope}\0${h.subject}`) ?? instants.map(() => null);
      const trend = series.map((v, i) => (v === null ? null : { at: instants[i]!, ...v }));
      const last = trend.at(-1) ?? null;
      return { ...h, previous: last === null ? null : { rag: last.rag, compliance: last.compliance, score: last.score }, trend };
    });
}

const RAG_MARK: Record<Rag, string> = { red: '● red', amber: '◐ amber', green: '○ green' };

function renderHealth(report: readonly HealthReport[]): string {
  const out: string[] = [];
  for (const scope of HEALTH_SCOPES) {
    const rows = report.filter((h) => h.scope === scope);
    if (rows.length === 0) continue;
    const rank: Record<Rag, number> = { red: 0, amber: 1, green: 2 };
    rows.sort((a, b) => rank[a.rag] - rank[b.rag] || a.compliance - b.compliance || a.subject.localeCompare(b.subject));
    out.push(
      `${scope === 'portfolio' ? 'Portfolio' : scope === 'person' ? 'People' : `${scope[0]!.toUpperCase()}${scope.slice(1)}s`}\n` +
        table(
          [scope === 'portfolio' ? '' : scope, 'health', 'was', 'compliance', 'trend', 'score', 'items', 'open c/w/i'],
          rows.map((h) => [
            h.subject,
            RAG_MARK[h.rag],
            h.previous?.rag ?? '—',
            `${Math.round(h.compliance * 100)}%`,
            sparkline([...h.trend.flatMap((t) => (t === null ? [] : [t.compliance])), h.compliance]),
            h.score.toFixed(2),
            h.items,
            `${h.open.critical}/${h.open.warning}/${h.open.info}`,
          ]),
        ),
    );
  }
  return out.join('\n');
}
