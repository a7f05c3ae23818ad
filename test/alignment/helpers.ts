import { z } from 'zod';
import { AlignmentSettings, Objective, Theme, type AlignmentConfig } from '../../src/alignment/config.ts';
import type { WorkItem } from '../../src/model/work-item.ts';
import { makeWorkItem } from '../helpers/builders.ts';

export const NOW = new Date('2026-11-21T12:00:00.000Z');
export const DAY = 86_400_000;

/** An alignment config parsed through the real schemas, so defaults apply as in production. */
export function alignmentConfig(input: { objectives?: unknown[]; themes?: unknown[]; alignment?: unknown } = {}): AlignmentConfig {
  return {
    objectives: z.array(Objective).parse(input.objectives ?? []),
    themes: z.array(Theme).parse(input.themes ?? []),
    alignment: AlignmentSettings.parse(input.alignment ?? {}),
    timezone: 'UTC',
  };
}

export const daysAgo = (d: number): string => new Date(NOW.getTime() - d * DAY).toISOString();

/** A work item done `d` days ago, created and started before that. */
export function doneItem(key: string, d: number, overrides: Partial<WorkItem> = {}): WorkItem {
  return makeWorkItem({
    nativeKey: key,
    status: 'Done',
    statusCategory: 'done',
    createdAt: daysAgo(d + 10),
    startedAt: daysAgo(d + 4),
    resolvedAt: daysAgo(d),
    updatedAt: daysAgo(d),
    transitions: [
      { at: daysAgo(d + 4), from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress', by: null },
      { at: daysAgo(d), from: 'In Progress', to: 'Done', fromCategory: 'in_progress', toCategory: 'done', by: null },
    ],
    ...overrides,
  });
}

export function epic(key: string, overrides: Partial<WorkItem> = {}): WorkItem {
  return makeWorkItem({ nativeKey: key, type: 'Epic', typeCategory: 'epic', estimate: null, ...overrides });
}
