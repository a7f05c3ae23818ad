import { describe, expect, it } from 'vitest';
import type { Block } from '../../src/notify/message.ts';
import { change, digestMessage, sparkline } from '../../src/notify/blocks/digest.ts';
import { buildDigests, computeDigest, digestScopes, enqueueDigests } from '../../src/notify/digest.ts';
import { HealthSettings, ragOf, weightedScore } from '../../src/engine/health.ts';
import type { WorkItem } from '../../src/model/work-item.ts';
import type { ReportedFinding } from '../../src/store/findings.ts';
import { makeWorkItem } from '../helpers/builders.ts';
import { config, notifyHarness, reported } from './harness.ts';

const MON = '2026-11-23T08:00:00.000Z';

/** Every limit Slack documents for a message (https://api.slack.com/reference/block-kit/blocks). */
function expectWithinLimits(blocks: readonly Block[]): void {
  expect(blocks.length).toBeLessThanOrEqual(50);
  for (const b of blocks) {
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(150);
    if (b.type === 'section') {
      if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
      expect((b.fields ?? []).length).toBeLessThanOrEqual(10);
      for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(2000);
    }
    if (b.type === 'context') expect(b.elements.length).toBeLessThanOrEqual(10);
  }
  expect(JSON.stringify(blocks).length).toBeLessThan(13_000);
}

describe('weekly digest', () => {
  it('stays within Slack\'s limits for a 500-project portfolio and says how to see the rest', async () => {
    const h = notifyHarness(config({ prompts: { enabled: false } }));
    const items: WorkItem[] = [];
    const findings: ReportedFinding[] = [];
    for (let p = 0; p < 500; p++) {
      const project = `P${String(p).padStart(3, '0')}LONGPROJECTNAME`;
      for (let i = 0; i < 3; i++) {
        const key = `${project}-${i}`;
        items.push(makeWorkItem({ source: 'demo', nativeKey: key, project }));
        if (i === 0) findings.push(reported(key, { project, severity: p % 3 === 0 ? 'critical' : 'warning' }));
      }
    }
    h.store.transaction(() => h.store.items.upsert(items, MON));
    await h.cycle(MON, findings);

    const [digest] = buildDigests(h.store, config(), new Date(MON));

    expectWithinLimits(digest!.message.blocks);
    expect(digest!.data.projects).toHaveLength(500);
    const last = JSON.stringify(digest!.message.blocks);
    expect(last).toMatch(/…and \d+ more projects \(the healthiest\): `\/pmo status PROJECT`/);
    expect(digest!.message.text).toBe('Weekly digest (Portfolio): compliance 67%, 167 critical · 333 warning, 500 new, 0 resolved');
  });

  it('computes RAG, compliance with week-over-week change, new/resolved, top risks and waivers from the store', async () => {
    const cfg = config({ routes: [{ match: { project: 'PAY' }, channel: '#payments' }], prompts: { enabled: false } });
    const h = notifyHarness(cfg);
    h.store.transaction(() =>
      h.store.items.upsert(
        [
          makeWorkItem({ source: 'demo', nativeKey: 'PAY-1', project: 'PAY' }),
          makeWorkItem({ source: 'demo', nativeKey: 'PAY-2', project: 'PAY' }),
          makeWorkItem({ source: 'demo', nativeKey: 'MOB-1', project: 'MOB' }),
        ],
        MON,
      ),
    );
    h.store.putSyncState({ source: 'demo', watermark: null, cursor: null, lastFullSyncAt: null, lastSyncAt: null });
    // Last week: PAY was fully compliant.
    h.store.slack.putSnapshot({ week: '2026-11-16', project: 'PAY', rag: 'green', compliance: 1, open: 0 });
    const risk = reported('PAY-2', { ruleId: 'overdue', category: 'risk', severity: 'critical', message: 'PAY-2 is 3 days overdue <@U999>', fix: null });
    await h.cycle('2026-11-20T08:00:00.000Z', [reported('PAY-1'), risk, reported('MOB-1', { project: 'MOB' })]);
    h.store.findings.setState(reported('MOB-1').id, { state: 'waived', actor: 'slack:UBOSS (boss@acme.example)', reason: 'Spike, no estimate needed' }, '2026-11-21T08:00:00.000Z');

    const scopes = digestScopes(cfg, h.store);
    const pmo = computeDigest(h.store, cfg, scopes[0]!, new Date(MON));
    const team = computeDigest(h.store, cfg, scopes[1]!, new Date(MON));

    expect(scopes.map((s) => [s.channel, s.kind, s.projects])).toEqual([
      ['#pmo-leads', 'pmo', ['MOB', 'PAY']],
      ['#payments', 'team', ['PAY']],
    ]);
    expect(pmo.projects.map((p) => [p.project, p.rag, p.compliance, p.prevCompliance])).toEqual([
      ['PAY', 'red', 0.5, 1],
      ['MOB', 'green', 1, null],
    ]);
    expect(pmo.topRisks.map((f) => f.subject.key)).toEqual(['demo:PAY-2']);
    expect(pmo.waivers).toEqual([expect.objectContaining({ reason: 'Spike, no estimate needed', actor: 'slack:UBOSS (boss@acme.example)' })]);
    expect([pmo.newFindings, team.newFindings, team.waivers.length]).toEqual([3, 2, 0]);
    const text = JSON.stringify(digestMessage(pmo).blocks);
    expect(text).toContain(':red_circle: *PAY* (was green) · compliance 50% ▼50');
    expect(text).toContain('PAY-2|PAY-2>* is 3 days overdue &lt;@U999&gt; · Ada Lovelace');
    expect(text).toContain('by <@UBOSS>: “Spike, no estimate needed”');
    expect(text).not.toContain('<@U999>');
  });

  it('posts once per audience per week and records the week for next week\'s trends', async () => {
    const h = notifyHarness(config({ routes: [{ match: { project: 'PAY' }, channel: '#payments' }], prompts: { enabled: false } }));
    h.store.transaction(() => h.store.items.upsert([makeWorkItem({ source: 'demo', nativeKey: 'PAY-1', project: 'PAY' })], MON));
    h.setNow(MON);
    const cfg = config({ routes: [{ match: { project: 'PAY' }, channel: '#payments' }] });

    const first = enqueueDigests(h.store, cfg, h.clock);
    const again = enqueueDigests(h.store, cfg, h.clock);

    expect([first, again]).toEqual([2, 0]);
    expect(h.store.slack.snapshots('2026-11-30', 4)).toEqual([{ week: '2026-11-23', project: 'PAY', rag: 'green', compliance: 1, open: 0 }]);
  });

  it('renders alignment and forecast sections only when a provider gives data', async () => {
    const h = notifyHarness(config());
    const cfg = config();
    const scope = digestScopes(cfg, h.store)[0]!;
    const extensions = {
      alignment: () => ({ aligned: 0.72, trend: [0.6, 0.72], unaligned: 0.28, objectives: [{ id: 'O1', title: 'Grow self-serve revenue', share: 0.38, targetShare: 0.4 }] }),
      forecasts: () => ({ objectives: [{ id: 'O1', title: 'Grow self-serve revenue', targetDate: '2027-03-31', p50: '2027-03-10', p85: '2027-04-20', probabilityByTarget: 0.41 }] }),
    };

    const without = digestMessage(computeDigest(h.store, cfg, scope, new Date(MON)));
    const withData = digestMessage(computeDigest(h.store, cfg, scope, new Date(MON), extensions));

    expect(JSON.stringify(without.blocks)).not.toMatch(/Alignment|Effort by objective|Objective forecasts/);
    const blocks = withData.blocks as Block[];
    expect(blocks).toContainEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*Effort by objective*\n`████░░░░░░` 38% (target 40%) *O1* Grow self-serve revenue\n`███░░░░░░░` 28% _unaligned_' },
    });
    expect(blocks).toContainEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*Objective forecasts*\n• :warning: *O1* Grow self-serve revenue: target 2027-03-31, forecast 2027-03-10 (85%: 2027-04-20) · 41% likely by target' },
    });
    expectWithinLimits(blocks);
  });

  it('draws sparklines, changes and RAG from plain numbers', () => {
    expect(sparkline([0.5, 0.75, 1])).toBe('▁▅█');
    expect(sparkline([1])).toBe('');
    expect([change(0.9, 0.8), change(0.8, 0.9), change(0.8, 0.8), change(0.8, null)]).toEqual([' ▲10', ' ▼10', ' ±0', '']);
    const t = HealthSettings.parse({});
    const rag = (open: { critical: number; warning: number; info: number }, compliance: number, items: number) => ragOf(weightedScore(open, items, t), compliance, open.critical, t);
    expect([
      rag({ critical: 6, warning: 0, info: 0 }, 0.95, 40), // 30 / 40 = 0.75 weighted per item
      rag({ critical: 1, warning: 0, info: 0 }, 0.95, 100), // any critical
      rag({ critical: 0, warning: 20, info: 0 }, 0.95, 100), // 0.2 per item
      rag({ critical: 0, warning: 9, info: 0 }, 0.85, 100), // compliance under 90%
      rag({ critical: 0, warning: 0, info: 0 }, 0.6, 10), // compliance under 70%
      rag({ critical: 0, warning: 1, info: 3 }, 0.95, 10), // 1.6 / 10 = 0.16 per item
      rag({ critical: 0, warning: 1, info: 2 }, 0.95, 10), // 1.4 / 10 = 0.14 per item
    ]).toEqual(['red', 'amber', 'amber', 'amber', 'red', 'amber', 'green']);
    expect(ragOf(0.1, 0.95, 2, { ...t, amberOnCritical: false })).toBe('green');
  });
});


describe('alignment plug-in', () => {
  it('turns an `alignment --json` report into the digest\'s alignment and forecast sections', async () => {
    const { extensionsFromAlignment } = await import('../../src/notify/digest-extensions.ts');
    const cfg = config({}, { objectives: [{ id: 'O1', title: 'Grow self-serve revenue', targetDate: '2027-03-31', targetShare: 0.4, match: { labels: ['growth'] } }] });
    const scope = { channel: '#pmo-leads', kind: 'pmo' as const, projects: [] };
    const ext = extensionsFromAlignment(
      cfg,
      (s) => (s.kind === 'pmo' ? { objectives: [{ id: 'O1', title: 'Grow self-serve revenue', share: 0.3, forecast: { p50: '2027-04-02', p85: '2027-05-01', probabilityByTarget: 0.35 } }], unaligned: { share: 0.25 } } : null),
      () => [0.7],
    );

    expect(ext.alignment!(scope)).toEqual({ aligned: 0.75, trend: [0.7, 0.75], unaligned: 0.25, objectives: [{ id: 'O1', title: 'Grow self-serve revenue', share: 0.3, targetShare: 0.4 }] });
    expect(ext.forecasts!(scope)).toEqual({ objectives: [{ id: 'O1', title: 'Grow self-serve revenue', targetDate: '2027-03-31', p50: '2027-04-02', p85: '2027-05-01', probabilityByTarget: 0.35 }] });
    expect(ext.alignment!({ ...scope, kind: 'team', channel: '#payments' })).toBeNull();
  });
});
