import type { Sprint, WorkItem } from '../../src/model/work-item.ts';

let counter = 0;

/** A valid WorkItem with sensible defaults; override only what a test is about. */
export function makeWorkItem(overrides: Partial<WorkItem> = {}): WorkItem {
  counter++;
  const nativeKey = overrides.nativeKey ?? `PAY-${counter}`;
  const source = overrides.source ?? 'test';
  return {
    key: `${source}:${nativeKey}`,
    source,
    sourceKind: 'sample',
    nativeKey,
    url: `https://acme.atlassian.net/browse/${nativeKey}`,
    project: 'PAY',
    team: 'Payments',
    type: 'Story',
    typeCategory: 'story',
    title: `Story ${nativeKey}`,
    description: 'As a payer I want receipts.',
    status: 'To Do',
    statusCategory: 'todo',
    assignee: { id: 'u1', name: 'Ada Lovelace', email: 'ada@acme.example' },
    priority: 'Medium',
    labels: [],
    components: [],
    estimate: 3,
    createdAt: '2026-10-01T09:00:00.000Z',
    updatedAt: '2026-11-19T09:00:00.000Z',
    startedAt: null,
    resolvedAt: null,
    dueDate: null,
    sprint: null,
    parentKey: null,
    epicKey: null,
    links: [],
    blocked: false,
    fields: {},
    transitions: [],
    history: [],
    ...overrides,
  };
}

export function inProgress(overrides: Partial<WorkItem> = {}): WorkItem {
  return makeWorkItem({
    status: 'In Progress',
    statusCategory: 'in_progress',
    startedAt: '2026-11-18T09:00:00.000Z',
    transitions: [{ at: '2026-11-18T09:00:00.000Z', from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress', by: 'u1' }],
    ...overrides,
  });
}

export function makeSprint(overrides: Partial<Sprint> = {}): Sprint {
  return {
    key: 'test:sprint-1',
    source: 'test',
    id: 'sprint-1',
    name: 'PAY Sprint 1',
    state: 'active',
    startDate: '2026-11-16T08:00:00.000Z',
    endDate: '2026-11-30T17:00:00.000Z',
    completeDate: null,
    goal: 'Ship receipts',
    project: 'PAY',
    team: 'Payments',
    ...overrides,
  };
}
