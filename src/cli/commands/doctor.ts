import { connectorFor } from '../../../connectors/api.ts';
import type { DoctorCheck } from '../../model/connector.ts';
import { systemClock } from '../../util/clock.ts';
import { PmoError, errorMessage } from '../../util/errors.ts';
import { COMMON_OPTIONS, JSON_OPTION, flag, str, type Command } from '../command.ts';
import { loadCliConfig } from '../context.ts';
import { print, printJson, table } from '../output.ts';

/** One line of `doctor --json` (contract: fields may be added, never renamed). */
export interface DoctorRow extends DoctorCheck {
  source: string;
  kind: string;
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: "check each source's reachability, auth and permissions",
  usage: 'pmo-bot doctor [--source ID] [--json]',
  details: [
    'Runs every connector\'s own checks (for Jira: reachability, /myself, permission to browse each',
    'project, the scope JQL, field discovery, rate-limit headroom). Opens no store and writes nothing.',
    '--json prints an array of {source, kind, name, ok, detail}. Exit code 1 when any check failed.',
  ].join('\n'),
  options: { ...COMMON_OPTIONS, ...JSON_OPTION, source: { type: 'string' } },
  async run(args) {
    const cli = loadCliConfig({ config: str(args, 'config') });
    const only = str(args, 'source');
    const sources = cli.config.sources.filter((s) => !only || s.id === only);
    if (only && sources.length === 0) {
      throw new PmoError('USAGE', `unknown source "${only}"; configured: ${cli.config.sources.map((s) => s.id).join(', ')}`);
    }
    const rows: DoctorRow[] = [];
    for (const source of sources) {
      const def = connectorFor(source.kind);
      if (!def) throw new PmoError('UNKNOWN_SOURCE', `no connector for kind "${source.kind}"`);
      const connector = def.create(source, { clock: systemClock, log: cli.log.child({ source: source.id }) });
      let checks: DoctorCheck[];
      try {
        checks = await connector.check();
      } catch (err) {
        checks = [{ name: 'check', ok: false, detail: errorMessage(err) }];
      }
      for (const c of checks) rows.push({ source: source.id, kind: source.kind, ...c });
    }
    if (flag(args, 'json')) printJson(rows);
    else print(table(['source', 'check', 'status', 'detail'], rows.map((r) => [r.source, r.name, r.ok ? 'ok' : 'FAIL', r.detail])));
    return rows.every((r) => r.ok) ? 0 : 1;
  },
};
