import { describe, expect, it } from 'vitest';
import { FactTable, RecheckTimes } from '../../src/engine/fact-table.ts';

describe('FactTable', () => {
  it('reads each configuration as a map in the order items first got a slot, and forgets per item', () => {
    const table = new FactTable();
    const wip = table.column('wip-limit|warning|{}');
    const done = table.column('definition-of-done|warning|{}');
    wip.set('demo:A-1', 'ada').set('demo:A-2', 'bob');
    done.set('demo:A-3', { kind: 'done' });
    wip.set('demo:A-3', 'cy');
    const forgotten: Array<[string, unknown]> = [];

    expect([...wip]).toEqual([['demo:A-1', 'ada'], ['demo:A-2', 'bob'], ['demo:A-3', 'cy']]);
    expect([...done.keys()]).toEqual(['demo:A-3']);
    expect([wip.size, done.size, wip.get('demo:A-2'), done.get('demo:A-1'), done.has('demo:A-3'), wip.get('demo:nope')]).toEqual([3, 1, 'bob', undefined, true, undefined]);

    table.forget('demo:A-3', (signature, fact) => forgotten.push([signature, fact]));
    wip.set('demo:A-1', 'ada again');

    expect(forgotten).toEqual([['wip-limit|warning|{}', 'cy'], ['definition-of-done|warning|{}', { kind: 'done' }]]);
    expect([...wip.values()]).toEqual(['ada again', 'bob']);
    expect([wip.size, done.size]).toEqual([2, 0]);
    expect([...table].map(([signature, column]) => [signature, column.size])).toEqual([['wip-limit|warning|{}', 2], ['definition-of-done|warning|{}', 0]]);
  });

  it('keeps a column whose first fact comes late as a dense array (and reads gaps as absent)', () => {
    const table = new FactTable();
    const early = table.column('early');
    for (let i = 0; i < 5000; i++) early.set(`k${i}`, i);
    const late = table.column('late');
    late.set('k4999', 'last');
    late.set('k10', 'tenth');

    expect([...late]).toEqual([['k10', 'tenth'], ['k4999', 'last']]);
    expect(late.get('k11')).toBeUndefined();
    expect(late.size).toBe(2);
  });
});

describe('RecheckTimes', () => {
  it('keeps the earliest instant per item and hands out the items whose instant has come', () => {
    const table = new FactTable();
    const times = new RecheckTimes(table);
    times.set(table.slot('a'), 300);
    times.set(table.slot('a'), 200);
    times.set(table.slot('a'), 400);
    times.set(table.slot('b'), 500);
    times.set(table.slot('c'), 100);
    times.clear(table.slot('c'));

    expect([...times]).toEqual([['a', 200], ['b', 500]]);
    expect(times.from).toBe(100); // a bound, not exact: clearing does not raise it
    expect([...times.due(150)]).toEqual([]);
    expect(times.from).toBe(200);
    expect([...times.due(50)]).toEqual([]); // before the bound: not even walked
    expect([...times.due(250)]).toEqual(['a']);
    expect(times.from).toBe(500);
    expect(times.size).toBe(2);
  });
});
