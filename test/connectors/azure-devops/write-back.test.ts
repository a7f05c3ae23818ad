import { describe, expect, it } from 'vitest';
import { FakeAdo } from './fake-ado.ts';
import { ADA, ORG, PAT, config, connector, makeFake, project, route, story, useNock } from './helpers.ts';

describe('azure-devops write-back (JSON Patch)', () => {
  useNock();

  it.each([
    ['estimate', 8, [{ op: 'add', path: '/fields/Microsoft.VSTS.Scheduling.StoryPoints', value: 8 }]],
    ['estimate', null, [{ op: 'remove', path: '/fields/Microsoft.VSTS.Scheduling.StoryPoints' }]],
    ['dueDate', '2026-12-31', [{ op: 'add', path: '/fields/Microsoft.VSTS.Scheduling.DueDate', value: '2026-12-31T00:00:00Z' }]],
    ['assignee', 'grace@fabrikam.example', [{ op: 'add', path: '/fields/System.AssignedTo', value: 'grace@fabrikam.example' }]],
    ['labels', ['growth', 'security-reviewed'], [{ op: 'add', path: '/fields/System.Tags', value: 'growth; security-reviewed' }]],
    ['acceptanceCriteria', 'Given a passkey\nWhen I sign in <fast>\nThen it works', [{ op: 'add', path: '/fields/Microsoft.VSTS.Common.AcceptanceCriteria', value: 'Given a passkey<br>When I sign in &lt;fast&gt;<br>Then it works' }]],
    ['description', 'Passkeys & more', [{ op: 'add', path: '/fields/System.Description', value: 'Passkeys &amp; more' }]],
    ['priority', 1, [{ op: 'add', path: '/fields/Microsoft.VSTS.Common.Priority', value: 1 }]],
  ] as const)('%s ← %j', async (field, value, ops) => {
    const fake = makeFake();
    route(fake);
    const id = story(fake);
    const c = connector(config());

    const result = await c.writeBack!(String(id), { field, value: value as never });

    expect(result).toEqual({ ok: true, message: `Updated ${field} of ${id}` });
    expect(fake.patches).toEqual([{ id, ops: [{ op: 'test', path: '/rev', value: 1 }, ...ops] }]);
    expect(fake.count(new RegExp(`/_apis/wit/workItems/${id}$`), 'PATCH')).toBe(1);
  });

  it('uses the estimate field of the item\'s process (Scrum: Effort) and records who asked', async () => {
    const fake = new FakeAdo({ orgUrl: ORG, auth: { pat: PAT }, projects: [project('ERP', 'scrum')] });
    route(fake);
    const id = fake.create('ERP', { 'System.WorkItemType': 'Product Backlog Item', 'System.Title': 'Ledger' });

    const result = await connector(config({ projects: ['ERP'] })).writeBack!(String(id), { field: 'estimate', value: 5, actor: 'priya.raman' });

    expect(result.ok).toBe(true);
    expect(fake.patches[0]!.ops).toEqual([
      { op: 'test', path: '/rev', value: 1 },
      { op: 'add', path: '/fields/Microsoft.VSTS.Scheduling.Effort', value: 5 },
      { op: 'add', path: '/fields/System.History', value: 'Updated by pmo-bot for priya.raman' },
    ]);
    expect(fake.items.get(id)!.fields['Microsoft.VSTS.Scheduling.Effort']).toBe(5);
  });

  it('adds a discussion comment', async () => {
    const fake = makeFake();
    route(fake);
    const id = story(fake);

    const result = await connector(config()).writeBack!(String(id), { field: 'comment', value: 'Please estimate <soon>', actor: 'ada' });

    expect(result).toEqual({ ok: true, message: `Comment added to ${id}` });
    expect(fake.comments).toEqual([{ id, text: 'Please estimate &lt;soon&gt;<br><em>via pmo-bot for ada</em>' }]);
  });

  it.each([
    ['a rule refusal', 400, 'TF401320: Rule Error for field Story Points. Error code: InvalidEmpty, HasValues, LimitedToValues.', /^Azure DevOps rules refused the change to \d+: .*TF401320/],
    ['a permission refusal', 403, 'TF237111: The current user does not have permissions to save work items under the specified area path.', /^No permission to edit work item \d+/],
    ['a concurrent edit', 400, 'TF26071: This work item has been changed by someone else since you opened it.', /changed while we were updating it; nothing was written/],
  ])('explains %s', async (_, status, message, expected) => {
    const fake = makeFake();
    route(fake);
    const id = story(fake);
    fake.fail({ method: 'PATCH', path: /workItems/, status, body: JSON.stringify({ $id: '1', message, typeKey: 'RuleValidationException', errorCode: 0, eventId: 3200 }) });

    const result = await connector(config()).writeBack!(String(id), { field: 'estimate', value: 3 });

    expect(result.ok).toBe(false);
    expect(result.message).toMatch(expected);
  });

  it('refuses bad values and unknown items without calling PATCH', async () => {
    const fake = makeFake();
    route(fake);
    const id = story(fake, { 'System.AssignedTo': ADA });
    const c = connector(config());

    expect(await c.writeBack!(String(id), { field: 'estimate', value: -1 })).toEqual({ ok: false, message: 'The estimate must be a number of at least 0' });
    expect(await c.writeBack!(String(id), { field: 'dueDate', value: '31/12/2026' })).toEqual({ ok: false, message: 'The date must look like 2026-12-31' });
    expect(await c.writeBack!('999', { field: 'estimate', value: 1 })).toEqual({ ok: false, message: 'Work item 999 does not exist or is not visible to this token' });
    expect(await c.writeBack!('PAY-1', { field: 'estimate', value: 1 })).toEqual({ ok: false, message: '"PAY-1" is not an Azure DevOps work item id' });
    expect(fake.patches).toEqual([]);
  });
});
