import { COMMON_OPTIONS, JSON_OPTION, flag, str, type Command } from '../command.ts';
import { loadCliConfig, openRuntime } from '../context.ts';
import { printJson, print, table } from '../output.ts';

export const itemsCommand: Command = {
  name: 'items',
  summary: 'list stored work items',
  usage: 'pmo-bot items [--source ID] [--project P] [--quarantined] [--json]',
  details: '--json prints an array of WorkItem; --quarantined lists payloads that failed validation, with their error.',
  options: { ...COMMON_OPTIONS, ...JSON_OPTION, source: { type: 'string' }, project: { type: 'string' }, quarantined: { type: 'boolean' } },
  async run(args) {
    const cli = loadCliConfig({ config: str(args, 'config') });
    const rt = openRuntime(cli);
    try {
      const source = str(args, 'source');
      if (flag(args, 'quarantined')) {
        const rows = rt.store.items.quarantined(source);
        if (flag(args, 'json')) printJson(rows);
        else print(rows.length ? table(['source', 'key', 'error', 'last seen'], rows.map((q) => [q.source, q.nativeKey, q.error, q.lastSeenAt])) : 'No quarantined items.');
        return 0;
      }
      const filter = { source, project: str(args, 'project') };
      if (flag(args, 'json')) {
        // Streamed as one JSON array, so a large portfolio never sits in memory twice.
        process.stdout.write('[');
        let first = true;
        for (const item of rt.store.items.iterate(filter)) {
          process.stdout.write((first ? '\n' : ',\n') + JSON.stringify(item));
          first = false;
        }
        process.stdout.write(first ? ']\n' : '\n]\n');
        return 0;
      }
      const rows: Array<Array<string | number | null>> = [];
      for (const i of rt.store.items.iterate(filter)) {
        rows.push([i.nativeKey, i.project, i.type, i.status, i.assignee?.name ?? '—', i.estimate, i.title.slice(0, 60)]);
      }
      print(rows.length ? table(['key', 'project', 'type', 'status', 'assignee', 'est', 'title'], rows) + `${rows.length} items` : 'No items stored yet: run `pmo-bot sync`.');
      return 0;
    } finally {
      rt.store.close();
    }
  },
};
