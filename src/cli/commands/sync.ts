import type { SourceSyncResult } from '../../sync/sync.ts';
import { syncAll } from '../../worker/cycle.ts';
import { COMMON_OPTIONS, JSON_OPTION, flag, str, type Command } from '../command.ts';
import { loadCliConfig, openRuntime } from '../context.ts';
import { printJson, print, table } from '../output.ts';
import { PmoError } from '../../util/errors.ts';

export const syncCommand: Command = {
  name: 'sync',
  summary: 'pull work items from the configured sources into the store',
  usage: 'pmo-bot sync [--source ID] [--full] [--json]',
  details: [
    'Incremental by default: each source resumes from its watermark. --full takes everything in scope again.',
    '--json prints an array with one object per source:',
    '  {source, kind, fetched, upserted, removed, quarantined, requests, pages, full, seconds, ok, error}',
    'Exit code 1 when any source failed (what it committed before failing is kept).',
  ].join('\n'),
  options: { ...COMMON_OPTIONS, ...JSON_OPTION, source: { type: 'string' }, full: { type: 'boolean' } },
  async run(args) {
    const cli = loadCliConfig({ config: str(args, 'config') });
    const only = str(args, 'source');
    if (only && !cli.config.sources.some((s) => s.id === only)) {
      throw new PmoError('USAGE', `unknown source "${only}"; configured: ${cli.config.sources.map((s) => s.id).join(', ')}`);
    }
    const rt = openRuntime(cli, { lock: true });
    try {
      const results = await syncAll(rt, { full: flag(args, 'full'), only });
      if (flag(args, 'json')) printJson(results);
      else print(renderSync(results));
      return results.every((r) => r.ok) ? 0 : 1;
    } finally {
      rt.store.close();
    }
  },
};

export function renderSync(results: SourceSyncResult[]): string {
  return table(
    ['source', 'kind', 'fetched', 'upserted', 'removed', 'quarantined', 'requests', 'seconds', 'status'],
    results.map((r) => [r.source, r.kind, r.fetched, r.upserted, r.removed, r.quarantined, r.requests, r.seconds.toFixed(2), r.ok ? 'ok' : `failed: ${r.error}`]),
  );
}
