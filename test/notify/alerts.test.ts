import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.ts';
import { alertMessage } from '../../src/notify/blocks/alerts.ts';
import { mrkdwnLink } from '../../src/notify/message.ts';
import { renderTerminal } from '../../src/notify/render-terminal.ts';
import { createConsoleTransport } from '../../src/notify/transports/console.ts';

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: 'f1',
    ruleId: 'overdue',
    category: 'risk',
    severity: 'critical',
    subject: { kind: 'item', key: 'demo:PAY-12' },
    message: 'PAY-12 "Refund API" was due 2026-11-14 and is 7 days overdue (In Progress)',
    evidence: {},
    owner: { id: 'u1', name: 'Ada Lovelace', email: 'ada@acme.example' },
    state: 'open',
    firstSeenAt: '2026-11-21T09:00:00.000Z',
    lastSeenAt: '2026-11-21T09:00:00.000Z',
    resolvedAt: null,
    url: 'https://acme.atlassian.net/browse/PAY-12',
    source: 'demo',
    project: 'PAY',
    team: 'Payments',
    fix: null,
    snoozedUntil: null,
    ...overrides,
  };
}

const ctx = { cycleAt: '2026-11-21 10:00 Europe/Berlin', moreHint: 'Run `pmo-bot findings --state open` to see them all.' };

describe('alert message', () => {
  it('lists findings most severe first with a link back to the item, then what resolved', () => {
    const msg = alertMessage(
      {
        channel: '#payments',
        shown: [finding()],
        counts: { critical: 1, warning: 2, info: 0 },
        resolved: [finding({ id: 'f2', ruleId: 'stale-in-progress', subject: { kind: 'item', key: 'demo:PAY-3' }, url: 'https://acme.atlassian.net/browse/PAY-3' })],
        resolvedCount: 1,
      },
      ctx,
    );

    expect(msg.text).toBe('3 new findings: 1 critical · 2 warning; 1 resolved');
    expect(msg.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'pmo-bot · 3 new findings', emoji: true } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '1 critical · 2 warning  ·  cycle 2026-11-21 10:00 Europe/Berlin' }] },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: ':red_circle: *<https://acme.atlassian.net/browse/PAY-12|PAY-12>* "Refund API" was due 2026-11-14 and is 7 days overdue (In Progress)\n_overdue · PAY · owner Ada Lovelace_',
        },
      },
      { type: 'section', text: { type: 'mrkdwn', text: '…and 2 more. Run `pmo-bot findings --state open` to see them all.' } },
      { type: 'divider' },
      { type: 'context', elements: [{ type: 'mrkdwn', text: ':white_check_mark: Resolved: <https://acme.atlassian.net/browse/PAY-3|PAY-3> (stale-in-progress)' }] },
    ]);
  });

  it('escapes text from work items so it cannot inject mentions or links', () => {
    const msg = alertMessage(
      { channel: '#a', shown: [finding({ message: 'Fix <!channel> & <https://evil.example|click>' })], counts: { critical: 1, warning: 0, info: 0 }, resolved: [], resolvedCount: 0 },
      ctx,
    );

    const text = JSON.stringify(msg.blocks);
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('Fix &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;');
    expect(mrkdwnLink('javascript:alert(1)', 'x')).toBe('x');
    expect(mrkdwnLink('https://a.example/b', 'a|b>c')).toBe('<https://a.example/b|a¦b&gt;c>');
  });

  it('names a person by name and links every item behind an aggregate finding', () => {
    const f = finding({
      ruleId: 'wip-limit',
      subject: { kind: 'person', key: 'ada@acme.example' },
      url: null,
      message: 'Ada Lovelace has 4 items in progress (limit 3)',
      evidence: { wip: 4, items: ['PAY-1', '4711'], urls: ['https://acme.atlassian.net/browse/PAY-1', 'https://dev.azure.com/contoso/Fabrikam/_workitems/edit/4711'] },
    });

    const msg = alertMessage({ channel: '#a', shown: [f], counts: { critical: 1, warning: 0, info: 0 }, resolved: [], resolvedCount: 0 }, ctx);

    expect(msg.blocks[2]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: ':red_circle: *Ada Lovelace* has 4 items in progress (limit 3): <https://acme.atlassian.net/browse/PAY-1|PAY-1>, <https://dev.azure.com/contoso/Fabrikam/_workitems/edit/4711|4711>\n_wip-limit · PAY · owner Ada Lovelace_',
      },
    });
  });

  it('stays within 50 blocks however many findings there are', () => {
    const shown = Array.from({ length: 200 }, (_, i) => finding({ id: `f${i}` }));

    const msg = alertMessage({ channel: '#a', shown, counts: { critical: 200, warning: 0, info: 0 }, resolved: [], resolvedCount: 0 }, ctx);

    expect(msg.blocks.length).toBeLessThanOrEqual(50);
  });
});

describe('console rendering', () => {
  it('renders headers, severity, bold, links as URLs and unescaped text, without colour when asked', () => {
    const msg = alertMessage({ channel: '#payments', shown: [finding({ message: 'a < b & c' })], counts: { critical: 1, warning: 0, info: 0 }, resolved: [], resolvedCount: 0 }, ctx);

    const out = renderTerminal(msg, { color: false, width: 40 });

    expect(out).toBe(
      [
        '── #payments ───────────────────────────',
        'pmo-bot · 1 new finding',
        '═════════════════════════',
        '1 critical  ·  cycle 2026-11-21 10:00 Europe/Berlin',
        '🔴 PAY-12 (https://acme.atlassian.net/browse/PAY-12) a < b & c',
        'overdue · PAY · owner Ada Lovelace',
        '',
      ].join('\n'),
    );
  });

  it('writes the raw Block Kit JSON under the data folder and prints the message', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'pmo-console-'));
    let printed = '';
    const transport = createConsoleTransport({ outDir, write: (t) => (printed += t), color: false, width: 60 });
    const msg = alertMessage({ channel: '#payments', shown: [finding()], counts: { critical: 1, warning: 0, info: 0 }, resolved: [], resolvedCount: 0 }, ctx);

    const receipt = await transport.send(msg, 7);

    expect(readdirSync(outDir)).toEqual(['000007-payments.json']);
    expect(receipt.ref).toBe(join(outDir, '000007-payments.json'));
    expect(JSON.parse(readFileSync(join(outDir, '000007-payments.json'), 'utf8'))).toEqual({ channel: '#payments', text: msg.text, blocks: msg.blocks });
    expect(printed).toContain('PAY-12 (https://acme.atlassian.net/browse/PAY-12)');
  });
});
