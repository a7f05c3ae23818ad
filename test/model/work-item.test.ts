import { describe, expect, it } from 'vitest';
import { WorkItem } from '../../src/model/work-item.ts';
import { makeWorkItem } from '../helpers/builders.ts';

describe('WorkItem schema: fields', () => {
  it('keeps every raw field with its value as it came', () => {
    const fields = { 'System.Tags': 'growth; Blocked', 'Microsoft.VSTS.Common.Priority': 1, historyTail: { state: 'Active' }, empty: null, list: ['a'] };

    const parsed = WorkItem.parse(makeWorkItem({ fields }));

    expect(parsed.fields).toEqual(fields);
  });

  it.each([
    ['an array', ['a']],
    ['a string', 'System.Tags=growth'],
    ['null', null],
    ['a date', new Date('2026-11-21T00:00:00.000Z')],
  ])('refuses %s as fields, naming the field', (_, fields) => {
    const parsed = WorkItem.safeParse({ ...makeWorkItem(), fields });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['fields'], message: 'Invalid input: expected an object of field values' });
  });
});
