import { describe, expect, it } from 'vitest';
import { table } from '../../src/cli/output.ts';

describe('cli: plain-text tables', () => {
  it('pads every column to its widest cell, counting characters rather than UTF-16 units', () => {
    const out = table(['rule', 'item'], [['overdue', 'PAY-1'], ['wip-limit', 'Ünïcode 🚀'], ['x', null]]);

    expect(out).toBe(['rule       item', '─────────  ─────────', 'overdue    PAY-1', 'wip-limit  Ünïcode 🚀', 'x', ''].join('\n'));
  });

  it('renders hundreds of thousands of rows (check over a 1M-item portfolio lists ~300,000 findings)', () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => [`rule-${i % 7}`, `PAY-${i}`]);

    const out = table(['rule', 'item'], rows);

    expect(out.split('\n')).toHaveLength(300_003);
    expect(out.split('\n')[1]).toBe('──────  ──────────');
  });
});
