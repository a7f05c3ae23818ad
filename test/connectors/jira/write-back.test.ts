import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { CLOUD, cloudConfig, DC, dcConfig, fixture, harness, useHttpMock } from './helpers.ts';

useHttpMock();

const cloud = () => harness(cloudConfig()).connector;
const editPath = '/rest/api/3/issue/PAY-3';

describe('Jira write-back (Cloud)', () => {
  it('sets the estimate in the first story points field on the issue screen', async () => {
    nock(CLOUD)
      .get('/rest/api/3/field')
      .reply(200, fixture('cloud/field.json'))
      .put(editPath, { fields: { customfield_10016: 5 } })
      .reply(400, { errorMessages: [], errors: { customfield_10016: "Field 'customfield_10016' cannot be set. It is not on the appropriate screen, or unknown." } })
      .put(editPath, { fields: { customfield_10026: 5 } })
      .reply(204);

    const result = await cloud().writeBack?.('PAY-3', { field: 'estimate', value: '5' });

    expect(result).toEqual({ ok: true, message: 'Set the estimate of PAY-3 to 5' });
  });

  it('explains a field that is on no screen', async () => {
    const reason = "Field 'customfield_10016' cannot be set. It is not on the appropriate screen, or unknown.";
    nock(CLOUD)
      .get('/rest/api/3/field')
      .reply(200, fixture('cloud/field.json'))
      .put(editPath)
      .times(2)
      .reply(400, { errorMessages: [], errors: { customfield_10016: reason } });

    const result = await cloud().writeBack?.('PAY-3', { field: 'estimate', value: 8 });

    expect(result).toEqual({
      ok: false,
      message: `Jira refused to set estimate on PAY-3 (HTTP 400): customfield_10016: ${reason} — the field may not be on the issue's edit screen, or the value is not allowed`,
    });
  });

  it('sets and clears the due date, and refuses a malformed date without calling Jira', async () => {
    nock(CLOUD).put(editPath, { fields: { duedate: '2026-12-01' } }).reply(204).put(editPath, { fields: { duedate: null } }).reply(204);
    const c = cloud();

    expect(await c.writeBack?.('PAY-3', { field: 'dueDate', value: '2026-12-01' })).toEqual({ ok: true, message: 'Set the due date of PAY-3 to 2026-12-01' });
    expect(await c.writeBack?.('PAY-3', { field: 'dueDate', value: null })).toEqual({ ok: true, message: 'Set the due date of PAY-3 to none' });
    expect(await c.writeBack?.('PAY-3', { field: 'dueDate', value: 'next friday' })).toEqual({ ok: false, message: 'dueDate must be a date YYYY-MM-DD, got "next friday"' });
  });

  it('assigns by email through the user search (account id on Cloud)', async () => {
    nock(CLOUD)
      .get('/rest/api/3/user/search')
      .query({ query: 'bob@acme.example', maxResults: '2' })
      .reply(200, fixture('cloud/user-search.json'))
      .put(editPath, { fields: { assignee: { accountId: '5b10ac8d82e05b22cc7d4ef5' } } })
      .reply(204);

    expect(await cloud().writeBack?.('PAY-3', { field: 'assignee', value: 'bob@acme.example' })).toEqual({ ok: true, message: 'Assigned PAY-3 to Bob Stone' });
  });

  it('reports a user nobody matches', async () => {
    nock(CLOUD).get('/rest/api/3/user/search').query(true).reply(200, []);

    expect(await cloud().writeBack?.('PAY-3', { field: 'assignee', value: 'ghost@acme.example' })).toEqual({ ok: false, message: 'no Jira user matches "ghost@acme.example"' });
  });

  it('sets labels and refuses labels with spaces', async () => {
    nock(CLOUD).put(editPath, { fields: { labels: ['platform', 'security-reviewed'] } }).reply(204);
    const c = cloud();

    expect(await c.writeBack?.('PAY-3', { field: 'labels', value: ['platform', 'security-reviewed'] })).toEqual({ ok: true, message: 'Set the labels of PAY-3 to platform, security-reviewed' });
    expect(await c.writeBack?.('PAY-3', { field: 'labels', value: ['needs review'] })).toEqual({ ok: false, message: 'Jira labels cannot contain spaces: "needs review"' });
  });

  it('writes acceptance criteria as ADF into the configured rich-text field', async () => {
    nock(CLOUD)
      .get('/rest/api/3/field')
      .reply(200, fixture('cloud/field.json'))
      .put(editPath, {
        fields: {
          customfield_10050: {
            version: 1,
            type: 'doc',
            content: [{ type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'keys rotate daily' }] }] }] }],
          },
        },
      })
      .reply(204);

    expect(await cloud().writeBack?.('PAY-3', { field: 'acceptanceCriteria', value: '- keys rotate daily' })).toEqual({ ok: true, message: 'Set the acceptance criteria of PAY-3' });
  });

  it('appends acceptance criteria to the ADF description when the site has no such field', async () => {
    const fields = fixture<Array<{ id: string }>>('cloud/field.json').filter((f) => f.id !== 'customfield_10050');
    let sent: { fields: { description: { content: Array<{ type: string }> } } } | undefined;
    nock(CLOUD)
      .get('/rest/api/3/field')
      .reply(200, fields)
      .get(editPath)
      .query({ fields: 'description' })
      .reply(200, fixture('cloud/issue-description.json'))
      .put(editPath, (b: typeof sent) => ((sent = b), true))
      .reply(204);

    const result = await cloud().writeBack?.('PAY-3', { field: 'acceptanceCriteria', value: 'Vault keys rotate daily' });

    expect(result).toEqual({ ok: true, message: 'Added acceptance criteria to the description of PAY-3' });
    expect(sent?.fields.description.content.map((b) => b.type)).toEqual(['paragraph', 'heading', 'paragraph']);
  });

  it('adds a comment in ADF naming who asked, and explains a permission refusal', async () => {
    nock(CLOUD)
      .post('/rest/api/3/issue/PAY-3/comment', { body: { version: 1, type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Estimate please' }] }, { type: 'paragraph', content: [{ type: 'text', text: '(via pmo-bot, asked by @ann)' }] }] } })
      .reply(201, { id: '10100', body: {} })
      .post('/rest/api/3/issue/PAY-4/comment')
      .reply(403, { errorMessages: ['You do not have the permission to comment on this issue.'], errors: {} });
    const c = cloud();

    expect(await c.writeBack?.('PAY-3', { field: 'comment', value: 'Estimate please', actor: '@ann' })).toEqual({ ok: true, message: 'Commented on PAY-3' });
    expect(await c.writeBack?.('PAY-4', { field: 'comment', value: 'Estimate please' })).toEqual({
      ok: false,
      message: 'Jira refused to add the comment to PAY-4 (HTTP 403): You do not have the permission to comment on this issue. — the pmo-bot account lacks permission to edit this issue',
    });
  });

  it('replaces the description with ADF and reads the site fields once for several answers', async () => {
    nock(CLOUD)
      .get('/rest/api/3/field')
      .once()
      .reply(200, fixture('cloud/field.json'))
      .put(editPath, { fields: { customfield_10016: 3 } })
      .reply(204)
      .put(editPath, { fields: { customfield_10050: { version: 1, type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Keys rotate' }] }] } } })
      .reply(204)
      .put(editPath, { fields: { description: { version: 1, type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Build the vault.' }] }] } } })
      .reply(204);
    const c = cloud();

    expect(await c.writeBack?.('PAY-3', { field: 'estimate', value: 3 })).toMatchObject({ ok: true });
    expect(await c.writeBack?.('PAY-3', { field: 'acceptanceCriteria', value: 'Keys rotate' })).toMatchObject({ ok: true });
    expect(await c.writeBack?.('PAY-3', { field: 'description', value: 'Build the vault.' })).toEqual({ ok: true, message: 'Replaced the description of PAY-3' });
  });

  it('sets the priority by name and explains a workflow that forbids the edit', async () => {
    nock(CLOUD).put(editPath, { fields: { priority: { name: 'High' } } }).reply(400, { errorMessages: ['Issue is in a status that does not allow editing (Done).'], errors: {} });

    expect(await cloud().writeBack?.('PAY-3', { field: 'priority', value: 'High' })).toMatchObject({ ok: false, message: expect.stringContaining('Issue is in a status that does not allow editing (Done).') });
  });
});

describe('Jira write-back (Data Center)', () => {
  it('sends wiki text and user names, on REST v2', async () => {
    nock(DC)
      .get('/rest/api/2/user/search')
      .query({ username: 'carl', maxResults: '2' })
      .reply(200, [{ name: 'carl', key: 'JIRAUSER140', displayName: 'Carl Diaz', emailAddress: 'carl@corp.example' }])
      .put('/rest/api/2/issue/OPS-1', { fields: { assignee: { name: 'carl' } } })
      .reply(204)
      .post('/rest/api/2/issue/OPS-1/comment', { body: 'Please split this story' })
      .reply(201, { id: '1' })
      .get('/rest/api/2/field')
      .reply(200, fixture('datacenter/field.json'))
      .get('/rest/api/2/issue/OPS-1')
      .query({ fields: 'description' })
      .reply(200, { id: '20001', key: 'OPS-1', fields: { description: 'Patch everything.' } })
      .put('/rest/api/2/issue/OPS-1', { fields: { description: 'Patch everything.\n\nh3. Acceptance criteria\nNo downtime' } })
      .reply(204);
    const c = harness(dcConfig()).connector;

    expect(await c.writeBack?.('OPS-1', { field: 'assignee', value: 'carl' })).toEqual({ ok: true, message: 'Assigned OPS-1 to Carl Diaz' });
    expect(await c.writeBack?.('OPS-1', { field: 'comment', value: 'Please split this story' })).toEqual({ ok: true, message: 'Commented on OPS-1' });
    expect(await c.writeBack?.('OPS-1', { field: 'acceptanceCriteria', value: 'No downtime' })).toEqual({ ok: true, message: 'Added acceptance criteria to the description of OPS-1' });
  });
});
