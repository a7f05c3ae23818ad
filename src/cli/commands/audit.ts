import { auditTrail, csvHeader, csvLine, type AuditEntry } from '../../audit/trail.ts';
import { PmoError } from '../../util/errors.ts';
import { COMMON_OPTIONS, JSON_OPTION, flag, str, type Command } from '../command.ts';
import { loadCliConfig, openRuntime } from '../context.ts';
import { table } from '../output.ts';

const SINCE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** `--since` as the ISO instant entries are compared with (a date means its start, in UTC). */
export function parseSince(text: string): string {
  const ms = SINCE.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) throw new PmoError('USAGE', `--since must be a date (2026-11-01) or an ISO instant (2026-11-01T09:00:00Z), got "${text}"`);
  return new Date(ms).toISOString();
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'export the audit trail: finding transitions, waivers, snoozes, prompts, answers and write-backs',
  usage: 'pmo-bot audit [--since DATE] [--json | --csv]',
  details:
    'Every entry has who (actor), when (at), why (reason) and the state, severity or field value before and after.\n' +
    'Kept for as long as the database is. --json prints an array of {at, type, actor, reason, findingId, ruleId,\n' +
    'subjectKind, subjectKey, project, before, after, data}; --csv the same columns (RFC 4180, UTF-8).',
  options: { ...COMMON_OPTIONS, ...JSON_OPTION, csv: { type: 'boolean' }, since: { type: 'string' } },
  async run(args) {
    if (flag(args, 'json') && flag(args, 'csv')) throw new PmoError('USAGE', 'choose one of --json and --csv');
    const sinceText = str(args, 'since');
    const since = sinceText === undefined ? undefined : parseSince(sinceText);
    const cli = loadCliConfig({ config: str(args, 'config') });
    const rt = openRuntime(cli);
    try {
      const entries = auditTrail(rt.store, { since });
      // Streamed: a trail of years is written as it is read, never held whole.
      const out = createWriter();
      if (flag(args, 'json')) {
        let first = true;
        await out.write('[');
        for (const e of entries) {
          await out.write(`${first ? '\n' : ',\n'}  ${JSON.stringify(e)}`);
          first = false;
        }
        await out.write(first ? ']\n' : '\n]\n');
      } else if (flag(args, 'csv')) {
        await out.write(csvHeader());
        for (const e of entries) await out.write(csvLine(e));
      } else {
        let rows: string[][] = [];
        let total = 0;
        const emit = async (): Promise<void> => {
          if (rows.length) await out.write(table(['at', 'event', 'actor', 'subject', 'change', 'reason'], rows));
          rows = [];
        };
        for (const e of entries) {
          rows.push(humanRow(e));
          total++;
          if (rows.length === 1000) await emit();
        }
        await emit();
        await out.write(total === 0 ? `No audit entries${since ? ` since ${since}` : ''}.\n` : `${total} entries\n`);
      }
      await out.end();
      return 0;
    } finally {
      rt.store.close();
    }
  },
};

function humanRow(e: AuditEntry): string[] {
  const subject = e.subjectKey === null ? e.findingId : `${e.ruleId ?? '?'} · ${e.subjectKey}`;
  const changed = e.before === null && e.after === null ? '' : `${e.before ?? '—'} → ${e.after ?? '—'}`;
  return [e.at.slice(0, 19).replace('T', ' '), e.type, e.actor, subject, clip(changed), clip(e.reason ?? '')];
}

const clip = (s: string): string => (s.length > 60 ? `${s.slice(0, 59)}…` : s).replace(/\s+/g, ' ');

/** Buffered stdout writes that wait for a full pipe to drain (a pipe into `head`, a slow disk). */
function createWriter() {
  let chunk = '';
  const flush = async (): Promise<void> => {
    const text = chunk;
    chunk = '';
    if (text && !process.stdout.write(text)) await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  };
  return {
    async write(text: string): Promise<void> {
      chunk += text;
      if (chunk.length >= 64 * 1024) await flush();
    },
    end: flush,
  };
}
