import { describe, expect, it } from 'vitest';
import { buildProcessModel } from '../../../connectors/azure-devops/process.ts';
import { AdoTypeCategory, AdoWorkItemType } from '../../../connectors/azure-devops/schema.ts';
import { FakeAdo, fixture, type ProcessName } from './fake-ado.ts';
import { ORG, PAT, config, connector, project, route, sync, useNock } from './helpers.ts';

function model(name: ProcessName, overrides: Record<string, unknown> = {}) {
  const f = fixture<{ types: unknown[]; categories: unknown[] }>(`processes/${name}.json`);
  return buildProcessModel({
    project: 'P',
    templateName: null,
    types: f.types.map((t) => AdoWorkItemType.parse(t)),
    categories: f.categories.map((c) => AdoTypeCategory.parse(c)),
    config: config(overrides),
  });
}

const summary = (name: ProcessName, overrides: Record<string, unknown> = {}) =>
  Object.fromEntries([...model(name, overrides).types.values()].map((t) => [t.name, [t.category, t.estimateField]]));

describe('process templates from metadata', () => {
  it.each([
    ['agile', 'Agile', { Epic: ['epic', 'Microsoft.VSTS.Scheduling.Effort'], 'User Story': ['story', 'Microsoft.VSTS.Scheduling.StoryPoints'], Task: ['task', null], Bug: ['bug', 'Microsoft.VSTS.Scheduling.StoryPoints'], Issue: ['other', null] }],
    ['scrum', 'Scrum', { 'Product Backlog Item': ['story', 'Microsoft.VSTS.Scheduling.Effort'], Bug: ['bug', 'Microsoft.VSTS.Scheduling.Effort'], Impediment: ['other', null] }],
    ['cmmi', 'CMMI', { Requirement: ['story', 'Microsoft.VSTS.Scheduling.Size'], Risk: ['risk', null], 'Change Request': ['other', null] }],
    ['basic', 'Basic', { Epic: ['epic', 'Microsoft.VSTS.Scheduling.Effort'], Issue: ['story', 'Microsoft.VSTS.Scheduling.Effort'], Task: ['task', null] }],
    ['inherited', 'Agile', { Initiative: ['other', null], 'User Story': ['story', 'Microsoft.VSTS.Scheduling.StoryPoints'] }],
  ] as const)('%s: types and estimate fields by category, template %s', (name, template, expected) => {
    expect(summary(name)).toMatchObject(expected);
    expect(model(name).template).toBe(template);
  });

  it.each([
    ['agile', 'User Story', { New: 'Proposed', Active: 'InProgress', Resolved: 'Resolved', Closed: 'Completed', Removed: 'Removed' }],
    ['scrum', 'Product Backlog Item', { New: 'Proposed', Approved: 'Proposed', Committed: 'InProgress', Done: 'Completed', Removed: 'Removed' }],
    ['cmmi', 'Requirement', { Proposed: 'Proposed', Active: 'InProgress', Resolved: 'Resolved', Closed: 'Completed' }],
    ['basic', 'Issue', { 'To Do': 'Proposed', Doing: 'InProgress', Done: 'Completed' }],
    ['inherited', 'User Story', { New: 'Proposed', 'In Review': 'InProgress', Closed: 'Completed' }],
  ] as const)('%s %s: state categories from the type metadata', (name, type, states) => {
    expect(Object.fromEntries(model(name).types.get(type)!.states)).toMatchObject(states);
  });

  it('takes the estimate field and type categories from config when given', () => {
    const m = summary('inherited', { estimateField: { 'User Story': 'Custom.TShirtPoints' }, typeCategories: { Initiative: 'epic' } });

    expect(m['User Story']).toEqual(['story', 'Custom.TShirtPoints']);
    expect(m['Initiative']).toEqual(['epic', null]);
    expect(summary('scrum', { estimateField: 'Custom.Points' })['Product Backlog Item']).toEqual(['story', 'Custom.Points']);
  });
});

describe('every template end to end', () => {
  useNock();

  it.each([
    ['agile', 'User Story', 'Resolved', 'Microsoft.VSTS.Scheduling.StoryPoints', 'story', 'in_progress'],
    ['scrum', 'Product Backlog Item', 'Committed', 'Microsoft.VSTS.Scheduling.Effort', 'story', 'in_progress'],
    ['cmmi', 'Requirement', 'Closed', 'Microsoft.VSTS.Scheduling.Size', 'story', 'done'],
    ['basic', 'Issue', 'Doing', 'Microsoft.VSTS.Scheduling.Effort', 'story', 'in_progress'],
    ['inherited', 'User Story', 'In Review', 'Microsoft.VSTS.Scheduling.StoryPoints', 'story', 'in_progress'],
  ] as const)('%s: a %s in %s maps by metadata', async (process, type, state, estimateField, typeCategory, statusCategory) => {
    const fake = new FakeAdo({ orgUrl: ORG, auth: { pat: PAT }, projects: [project('Fabrikam', process)] });
    route(fake);
    const id = fake.create('Fabrikam', { 'System.WorkItemType': type, 'System.Title': 'T', 'System.AreaPath': 'Fabrikam\\Checkout', [estimateField]: 3 });
    fake.update(id, { 'System.State': state });

    const { result, store } = await sync(connector(config()));

    expect(result).toMatchObject({ ok: true, quarantined: 0 });
    expect(store.items.get(`ado:${id}`)).toMatchObject({ type, typeCategory, status: state, statusCategory, estimate: 3, fields: { estimateField } });
  });

  it('quarantines an item whose state the process does not know, and keeps the rest', async () => {
    const fake = new FakeAdo({ orgUrl: ORG, auth: { pat: PAT }, projects: [project('Fabrikam', 'scrum')] });
    route(fake);
    const good = fake.create('Fabrikam', { 'System.WorkItemType': 'Product Backlog Item', 'System.Title': 'ok', 'System.AreaPath': 'Fabrikam\\Checkout' });
    const bad = fake.create('Fabrikam', { 'System.WorkItemType': 'Product Backlog Item', 'System.Title': 'odd', 'System.State': 'Parked' });
    const alien = fake.create('Fabrikam', { 'System.WorkItemType': 'Spike', 'System.Title': 'alien' });

    const { result, store } = await sync(connector(config()));

    expect(result).toMatchObject({ ok: true, upserted: 1, quarantined: 2 });
    expect(store.items.get(`ado:${good}`)).toBeDefined();
    expect(store.items.quarantined('ado').map((q) => [q.nativeKey, q.error])).toEqual([
      [String(bad), `work item ${bad}: state "Parked" is not a state of type "Product Backlog Item" in project Fabrikam`],
      [String(alien), `work item ${alien}: type "Spike" is not in the process of project Fabrikam`],
    ]);
    // The metadata was read again once before giving up, in case the process had just changed.
    expect(fake.count(/workItemTypes$/)).toBe(2);
  });
});
