import { connectorFor } from '../../../connectors/api.ts';
import type { DoctorCheck } from '../../model/connector.ts';
import { systemClock } from '../../util/clock.ts';
import { PmoError, errorMessage } from '../../util/errors.ts';
import { COMMON_OPTIONS, JSON_OPTION, flag, str, type Command } from '../command.ts';
import { loadCliConfig } from '../context.ts';
import { print, printJson, table } from '../output.ts';

/** `doctor --json` per source (contract: fields may be added, never renamed). */
export interface SourceDoctorResult {
  source: string;
  kind: string;
  ok: boolean;
  checks: DoctorCheck[];
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: "check each source's reachability, credentials and permissions",
  usage: 'pmo-bot doctor [--source ID] [--json]',
  details: [
    "Runs every connector's own checks (reachability, authentication, access to each configured project,",
    'fields found, rate-limit headroom). Opens no store and writes nothing.',
    '--json prints an array of {source, kind, ok, checks:[{name, ok, detail}]}. Exit code 1 when any check failed.',
  ].join('\n'),
  options: { ...COMMON_OPTIONS, ...JSON_OPTION, source: { type: 'string' } },
  async run(args) {
    const cli = loadCliConfig({ config: str(args, 'config') });
    const only = str(args, 'source');
    const sources = cli.config.sources.filter((s) => !only || s.id === only);
    if (only && sources.length === 0) {
      throw new PmoError('USAGE', `unknown source "${only}"; configured: ${cli.config.sources.map((s) => s.id).join(', ')}`);
    }
    const results: SourceDoctorResult[] = [];
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
      results.push({ source: source.id, kind: source.kind, ok: checks.every((c) => c.ok), checks });
    }
    if (flag(args, 'json')) printJson(results);
    else print(table(['source', 'check', 'status', 'detail'], results.flatMap((r) => r.checks.map((c) => [r.source, c.name, c.ok ? 'ok' : 'FAILED', c.detail]))));
    return results.every((r) => r.ok) ? 0 : 1;
  },
};
