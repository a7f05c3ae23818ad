import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.ts';
import { destinationFor, digestChannels } from '../../src/notify/route.ts';
import { inQuietHours, parseDuration, weekOf } from '../../src/notify/time.ts';
import { config, openFinding } from './harness.ts';

const finding = (overrides: Partial<Finding> = {}): Finding => openFinding('PAY-1', overrides);

describe('routing', () => {
  const cfg = config({
    channels: { alerts: '#pmo-alerts', digest: '#pmo-leads' },
    routes: [
      { match: { rule: 'wip-limit' }, channel: '#people' },
      { match: { project: 'PAY', severity: 'critical' }, channel: '#pay-oncall' },
      { match: { project: ['PAY', 'MOB'] }, channel: '#acme-delivery', minSeverity: 'warning' },
      { match: { team: 'Data' }, channel: '#data' },
      { match: { source: 'contoso' }, channel: '#contoso', digest: false },
    ],
  });

  it.each([
    ['a rule', { ruleId: 'wip-limit', project: 'OPS' }, '#people'],
    ['project and at-least severity', { project: 'PAY', severity: 'critical' as const }, '#pay-oncall'],
    ['the next route when severity is lower', { project: 'PAY', severity: 'warning' as const }, '#acme-delivery'],
    ['one of several projects', { project: 'MOB' }, '#acme-delivery'],
    ['a team', { project: 'DATA', team: 'Data' }, '#data'],
    ['a source', { project: 'Fabrikam', team: null, source: 'contoso' }, '#contoso'],
    ['nothing: the alerts channel', { project: 'OPS', team: 'Ops' }, '#pmo-alerts'],
  ])('routes by %s', (_what, overrides, channel) => {
    expect(destinationFor(finding(overrides), cfg.slack).channel).toBe(channel);
  });

  it('carries the route threshold, and lists team channels that get a digest', () => {
    expect(destinationFor(finding({ project: 'MOB', severity: 'info' }), cfg.slack).minSeverity).toBe('warning');
    expect(digestChannels(cfg.slack).map((d) => d.channel)).toEqual(['#people', '#pay-oncall', '#acme-delivery', '#data']);
  });
});

describe('time', () => {
  const quiet = { start: '19:00', end: '08:00', weekends: true, allowCritical: false };

  it.each([
    ['2026-11-23T17:59:00Z', 'Europe/Berlin', false], // Monday 18:59 Berlin
    ['2026-11-23T18:00:00Z', 'Europe/Berlin', true], // 19:00 Berlin
    ['2026-11-24T06:59:00Z', 'Europe/Berlin', true], // 07:59
    ['2026-11-24T07:00:00Z', 'Europe/Berlin', false], // 08:00
    ['2026-11-24T07:00:00Z', 'America/New_York', true], // 02:00 in New York
    ['2026-11-28T12:00:00Z', 'Europe/Berlin', true], // Saturday
  ])('%s in %s is quiet: %s', (at, tz, expected) => {
    expect(inQuietHours(new Date(at), { ...quiet, timezone: tz }, 'UTC')).toBe(expected);
  });

  it('parses durations and finds the Monday of a week in the zone', () => {
    expect([parseDuration('30m'), parseDuration('12h'), parseDuration('1d'), parseDuration('2w')]).toEqual([1_800_000, 43_200_000, 86_400_000, 1_209_600_000]);
    expect(() => parseDuration('1 day')).toThrow(/not a duration/);
    expect(weekOf(new Date('2026-11-22T23:30:00Z'), 'Europe/Berlin')).toBe('2026-11-23'); // already Monday in Berlin
    expect(weekOf(new Date('2026-11-22T23:30:00Z'), 'UTC')).toBe('2026-11-16');
  });
});
