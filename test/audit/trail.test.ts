import { describe, expect, it } from 'vitest';
import { auditTrail, csvHeader, csvLine } from '../../src/audit/trail.ts';
import { parseSince } from '../../src/cli/commands/audit.ts';
import { findingId, type ReportedFinding } from '../../src/store/findings.ts';
import { openStore } from '../../src/store/index.ts';

function reported(key: string, severity: ReportedFinding['severity'] = 'warning', message = `${key} has no estimate`): ReportedFinding {
  const subject = { kind: 'item' as const, key };
  return {
    id: findingId('estimate-required', subject),
    ruleId: 'estimate-required',
    category: 'compliance',
    severity,
    subject,
    message,
    evidence: {},
    owner: null,
    url: null,
    source: 'demo',
    project: 'PAY',
    team: 'Payments',
    fix: { field: 'estimate', input: 'number' },
  };
}

/** A finding through its whole life: opened, escalated in severity, snoozed, back, waived, prompted, fixed. */
function history() {
  const store = openStore(':memory:');
  const f = reported('demo:PAY-1');
  const run = (at: string, list: ReportedFinding[]) => {
    const id = store.startRun('check', at);
    store.transaction(() => {
      store.findings.record(list, id, at);
      store.findings.resolveUnseenIn(id, at, { all: true, rules: [], items: [], keep: [], seen: new Set(list.map((x) => x.id)) });
    });
  };
  run('2026-11-01T09:00:00.000Z', [f]);
  run('2026-11-02T09:00:00.000Z', [reported('demo:PAY-1', 'critical')]);
  store.findings.setState(f.id, { state: 'snoozed', actor: 'slack:U1 (ana@example.com)', reason: 'snoozed for 1 day from Slack', until: '2026-11-04T09:00:00.000Z' }, '2026-11-03T09:00:00.000Z');
  run('2026-11-05T09:00:00.000Z', [reported('demo:PAY-1', 'critical')]); // the snooze has ended: open again
  store.slack.putPrompt(f.id, 'ana@example.com', 'U1', null, '2026-11-05T10:00:00.000Z');
  store.findings.setState(f.id, { state: 'waived', actor: 'slack:U1 (ana@example.com)', reason: '=HYPERLINK("x") spike, "no" estimate' }, '2026-11-06T09:00:00.000Z');
  store.slack.answerPrompt(f.id, 'waived', '2026-11-06T09:00:00.000Z');
  store.findings.setState(f.id, { state: 'open', actor: 'slack:U2', reason: 'waiver withdrawn' }, '2026-11-07T09:00:00.000Z');
  store.findings.recordAnswer(f.id, { type: 'fixed', actor: 'slack:U1', reason: 'estimate set from Slack', data: { field: 'estimate', before: null, value: 5, stillReported: false }, resolve: true }, '2026-11-08T09:00:00.000Z');
  return { store, f };
}

describe('audit trail', () => {
  it('lists every transition, prompt and answer in time order with who, why, before and after', () => {
    const { store, f } = history();

    const entries = [...auditTrail(store)];

    expect(entries.map((e) => [e.at.slice(0, 10), e.type, e.before, e.after])).toEqual([
      ['2026-11-01', 'opened', null, 'open'],
      ['2026-11-02', 'severity_changed', 'warning', 'critical'],
      ['2026-11-03', 'snoozed', 'open', 'snoozed'],
      ['2026-11-05', 'unsnoozed', 'snoozed', 'open'],
      ['2026-11-05', 'prompted', null, null],
      ['2026-11-06', 'waived', 'open', 'waived'],
      ['2026-11-06', 'prompt_answered', null, 'waived'],
      ['2026-11-07', 'unwaived', 'waived', 'open'],
      ['2026-11-08', 'fixed', null, '5'],
    ]);
    const waived = entries.find((e) => e.type === 'waived')!;
    expect(waived).toMatchObject({ actor: 'slack:U1 (ana@example.com)', findingId: f.id, ruleId: 'estimate-required', subjectKind: 'item', subjectKey: 'demo:PAY-1', project: 'PAY' });
    expect(waived.reason).toContain('spike');
    expect(entries.find((e) => e.type === 'snoozed')!.data).toEqual({ until: '2026-11-04T09:00:00.000Z' });
    expect(entries.find((e) => e.type === 'prompted')).toMatchObject({ actor: 'pmo-bot', reason: 'asked ana@example.com', data: { slackUser: 'U1', reminders: 0 } });
    expect(entries.find((e) => e.type === 'prompt_answered')!.actor).toBe('slack:U1');
  });

  it('--since keeps later entries, and the state before them still comes from earlier events', () => {
    const { store } = history();

    const entries = [...auditTrail(store, { since: parseSince('2026-11-06') })];

    expect(entries.map((e) => e.type)).toEqual(['waived', 'prompt_answered', 'unwaived', 'fixed']);
    expect(entries[0]).toMatchObject({ before: 'open', after: 'waived' });
  });

  it('a resolved finding that comes back shows resolved → open', () => {
    const store = openStore(':memory:');
    const f = reported('demo:PAY-2');
    for (const [at, list] of [['2026-11-01T00:00:00.000Z', [f]], ['2026-11-02T00:00:00.000Z', []], ['2026-11-03T00:00:00.000Z', [f]]] as const) {
      const id = store.startRun('check', at);
      store.transaction(() => {
        store.findings.record(list, id, at);
        store.findings.resolveUnseenIn(id, at, { all: true, rules: [], items: [], keep: [], seen: new Set(list.map((x) => x.id)) });
      });
    }

    expect([...auditTrail(store)].map((e) => `${e.type}:${e.before}->${e.after}`)).toEqual(['opened:null->open', 'resolved:open->resolved', 'reopened:resolved->open']);
  });

  it('CSV quotes commas and quotes, and never lets a Slack reason become a spreadsheet formula', () => {
    const { store } = history();
    const waived = [...auditTrail(store)].find((e) => e.type === 'waived')!;

    const line = csvLine(waived);

    expect(csvHeader()).toBe('at,type,actor,reason,findingId,ruleId,subjectKind,subjectKey,project,before,after,data\r\n');
    expect(line).toContain(`"'=HYPERLINK(""x"") spike, ""no"" estimate"`);
    expect(line.startsWith('2026-11-06T09:00:00.000Z,waived,slack:U1 (ana@example.com),')).toBe(true);
    expect(line.endsWith(',open,waived,\r\n')).toBe(true);
  });

  it('--since accepts dates and instants and refuses anything else', () => {
    expect(parseSince('2026-11-06')).toBe('2026-11-06T00:00:00.000Z');
    expect(parseSince('2026-11-06T10:00:00+02:00')).toBe('2026-11-06T08:00:00.000Z');
    for (const bad of ['yesterday', '2026-13-01', '06/11/2026', '']) expect(() => parseSince(bad)).toThrow(/--since must be a date/);
  });
});
