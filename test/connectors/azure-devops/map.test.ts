import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../../connectors/azure-devops/html.ts';
import { calendarDate, person, tagsOf } from '../../../connectors/azure-devops/map.ts';
import { parseAdoWorkItem } from '../../../connectors/azure-devops/schema.ts';
import { ADA, LINUS, config, connector, makeFake, route, story, sync, useNock } from './helpers.ts';

describe('HTML to plain text', () => {
  it.each([
    ['<div><p>As a <b>shopper</b> I want passkeys.</p><ul><li>Face ID</li><li>Windows Hello</li></ul></div>', 'As a shopper I want passkeys.\n\n- Face ID\n- Windows Hello'],
    ['Line one<br>Line two<br/>Line&nbsp;three', 'Line one\nLine two\nLine three'],
    ['<p>5 &lt; 6 &amp;&amp; &quot;quoted&quot; &#39;single&#39; &#x2713; &euro;</p>', '5 < 6 && "quoted" \'single\' ✓ €'],
    ['<style>.x{color:red}</style><script>alert(1)</script><p>kept</p><!-- gone -->', 'kept'],
    ['<table><tr><td>a</td><td>b</td></tr></table>', 'a b'],
    ['<div>\n  indented\n  source\n</div>', 'indented source'],
    ['<p></p><div>&nbsp;</div>', null],
    [null, null],
  ])('%j', (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });
});

describe('field helpers', () => {
  it('reads identities with and without email', () => {
    expect(person(ADA)).toEqual({ id: ADA.id, name: 'Ada Lovelace', email: 'ada@fabrikam.example' });
    expect(person(LINUS)).toEqual({ id: LINUS.id, name: 'Linus Domain', email: null });
    expect(person('Jamal Hartnett <fabrikamfiber4@hotmail.com>')).toEqual({ id: 'fabrikamfiber4@hotmail.com', name: 'Jamal Hartnett', email: 'fabrikamfiber4@hotmail.com' });
    expect(person('CONTOSO\\svc-build')).toEqual({ id: 'CONTOSO\\svc-build', name: 'CONTOSO\\svc-build', email: null });
    expect(person({ displayName: 'No Id' })).toBeNull();
    expect(person('')).toBeNull();
  });

  it('rounds date-only fields set in any time zone to their calendar day', () => {
    expect(calendarDate('2026-11-30T23:00:00Z')).toBe('2026-12-01');
    expect(calendarDate('2026-12-01T00:00:00Z')).toBe('2026-12-01');
    expect(calendarDate('2026-12-01T05:00:00Z')).toBe('2026-12-01');
    expect(calendarDate('not a date')).toBeNull();
  });

  it.each([
    [{ id: 7, rev: 2, fields: { 'System.Title': 'x' }, relations: [{ rel: 'System.LinkTypes.Related', url: 'u' }] }, true, null],
    [{ id: 7, fields: {}, relations: null }, true, null],
    [{ id: '7', fields: {} }, false, 'id'],
    [{ id: 7, fields: [] }, false, 'fields'],
    [{ id: 7, rev: -1, fields: {} }, false, 'rev'],
    [{ id: 7, fields: {}, relations: [{ rel: 'System.LinkTypes.Related' }] }, false, 'relations'],
    [null, false, ''],
  ])('work item payload %j valid: %s', (raw, ok, where) => {
    const parsed = parseAdoWorkItem(raw);

    expect(parsed.success).toBe(ok);
    if (!parsed.success) expect(String(parsed.error.issues[0]?.path[0] ?? '')).toBe(where);
  });

  it('splits tags', () => {
    expect(tagsOf('growth; auth ;; Blocked')).toEqual(['growth', 'auth', 'Blocked']);
    expect(tagsOf([{ name: 'a' }, 'b'])).toEqual(['a', 'b']);
    expect(tagsOf(undefined)).toEqual([]);
  });
});

describe('mapping over the wire', () => {
  useNock();

  it('maps relations, iterations as sprints, area paths as teams, tags, blocked and rich text', async () => {
    const fake = makeFake();
    route(fake);
    const epic = fake.create('Fabrikam', { 'System.WorkItemType': 'Epic', 'System.Title': 'Passwordless', 'System.AreaPath': 'Fabrikam' });
    const id = story(fake, { 'System.Tags': 'growth; Blocked', 'Microsoft.VSTS.Scheduling.DueDate': '2026-11-30T23:00:00Z', 'System.AssignedTo': LINUS });
    const pred = story(fake, { 'System.Title': 'Key storage' });
    const succ = story(fake, { 'System.Title': 'Rollout' });
    const rel = story(fake, { 'System.Title': 'Docs' });
    fake.link(id, 'System.LinkTypes.Hierarchy-Reverse', epic, 'Parent');
    fake.link(epic, 'System.LinkTypes.Hierarchy-Forward', id, 'Child');
    fake.link(id, 'System.LinkTypes.Dependency-Reverse', pred, 'Predecessor');
    fake.link(id, 'System.LinkTypes.Dependency-Forward', succ, 'Successor');
    fake.link(id, 'System.LinkTypes.Related', rel, 'Related');
    fake.items.get(id)!.relations.push({ rel: 'AttachedFile', url: 'https://dev.azure.com/fabrikam/_apis/wit/attachments/1', attributes: { name: 'x.png' } });

    const { result, store } = await sync(connector(config()));
    const item = store.items.get(`ado:${id}`)!;
    const parent = store.items.get(`ado:${epic}`)!;

    expect(result).toMatchObject({ ok: true, quarantined: 0 });
    expect(item).toMatchObject({
      parentKey: `ado:${epic}`,
      links: [
        { type: 'child of', targetKey: `ado:${epic}` },
        { type: 'is blocked by', targetKey: `ado:${pred}` },
        { type: 'blocks', targetKey: `ado:${succ}` },
        { type: 'relates to', targetKey: `ado:${rel}` },
      ],
      team: 'Checkout',
      labels: ['growth', 'Blocked'],
      blocked: true,
      dueDate: '2026-12-01',
      assignee: { name: 'Linus Domain', email: null },
      description: 'As a shopper I want passkeys.\n\n- Face ID\n- Windows Hello',
      fields: { 'Microsoft.VSTS.Common.AcceptanceCriteria': '- Sign-in & sign-up work\n- Fallback to password', areaPath: 'Fabrikam\\Checkout' },
      sprint: { name: 'Sprint 2', state: 'active', startDate: '2026-11-16T00:00:00.000Z', endDate: '2026-11-27T00:00:00.000Z' },
    });
    expect(parent).toMatchObject({ typeCategory: 'epic', team: null, links: [{ type: 'parent of', targetKey: `ado:${id}` }] });
    expect(store.items.sprints('ado').map((s) => [s.name, s.state, s.team])).toEqual([
      ['Sprint 1', 'closed', 'Checkout'],
      ['Sprint 2', 'active', 'Checkout'],
      ['Sprint 3', 'future', 'Checkout'],
    ]);
  });

  it('records label and blocked changes in the history, with the Jira connector\'s field names', async () => {
    const fake = makeFake();
    route(fake);
    const id = story(fake, { 'System.Tags': 'growth' });
    fake.update(id, { 'System.Tags': 'growth; Blocked' }, { by: ADA, at: '2026-11-18T10:00:00Z' });

    const { store } = await sync(connector(config()));

    expect(store.items.get(`ado:${id}`)!.history).toEqual([
      { at: '2026-11-18T10:00:00.000Z', field: 'labels', from: 'growth', to: 'growth; Blocked', by: 'Ada Lovelace' },
      { at: '2026-11-18T10:00:00.000Z', field: 'flagged', from: null, to: 'yes', by: 'Ada Lovelace' },
    ]);
  });

  it('reads blocked from the CMMI Blocked field', async () => {
    const fake = makeFake();
    route(fake);
    const id = story(fake, { 'Microsoft.VSTS.CMMI.Blocked': 'Yes', 'System.Tags': null });

    const { store } = await sync(connector(config()));

    expect(store.items.get(`ado:${id}`)).toMatchObject({ blocked: true, labels: [] });
  });

  it('quarantines malformed items with the item id and keeps the page', async () => {
    const fake = makeFake();
    route(fake);
    const good = story(fake);
    const noDates = story(fake);
    const negative = story(fake, { 'Microsoft.VSTS.Scheduling.StoryPoints': -3 });
    delete fake.items.get(noDates)!.fields['System.CreatedDate'];

    const { result, store } = await sync(connector(config()));

    expect(result).toMatchObject({ ok: true, upserted: 1, quarantined: 2 });
    expect(store.items.get(`ado:${good}`)).toBeDefined();
    const q = Object.fromEntries(store.items.quarantined('ado').map((r) => [r.nativeKey, r.error]));
    expect(q[String(noDates)]).toMatch(/^createdAt: /);
    expect(q[String(negative)]).toMatch(/^estimate: /);
  });
});
