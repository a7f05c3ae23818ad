import type { DoctorCheck } from '../../model/connector.ts';
import { PmoError, errorMessage } from '../../util/errors.ts';
import { COMMON_OPTIONS, JSON_OPTION, flag, str, type Command } from '../command.ts';
import { loadCliConfig, openRuntime } from '../context.ts';
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
  summary: "check each source's reachability, auth and permissions",
  usage: 'pmo-bot doctor [--source ID] [--json]',
  details: [
    'Asks every configured source (connector.check()) whether it answers, accepts the credentials and can read',
    'what it is configured to read. --json prints an array of {source, kind, ok, checks:[{name, ok, detail}]}.',
    'Exit code 1 when any check failed.',
  ].join('\n'),
  options: { ...COMMON_OPTIONS, ...JSON_OPTION, source: { type: 'string' } },
  async run(args) {
    const cli = loadCliConfig({ config: str(args, 'config') });
    const only = str(args, 'source');
    if (only && !cli.config.sources.some((s) => s.id === only)) {
      throw new PmoError('USAGE', `unknown source "${only}"; configured: ${cli.config.sources.map((s) => s.id).join(', ')}`);
    }
    const rt = openRuntime(cli);
    try {
      const results: SourceDoctorResult[] = [];
      for (const connector of rt.connectors) {
        if (only && connector.id !== only) continue;
        let checks: DoctorCheck[];
        try {
          checks = await connector.check();
        } catch (err) {
          checks = [{ name: 'check', ok: false, detail: errorMessage(err) }];
        }
        results.push({ source: connector.id, kind: connector.kind, ok: checks.every((c) => c.ok), checks });
      }
      if (flag(args, 'json')) printJson(results);
      else print(table(['source', 'check', 'status', 'detail'], results.flatMap((r) => r.checks.map((c) => [r.source, c.name, c.ok ? 'ok' : 'FAILED', c.detail]))));
      return results.every((r) => r.ok) ? 0 : 1;
    } finally {
      rt.store.close();
    }
  },
};
