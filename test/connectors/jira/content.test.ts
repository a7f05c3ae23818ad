import { describe, expect, it } from 'vitest';
import { adfToText, appendAdf, textToAdf } from '../../../connectors/jira/adf.ts';
import { describeFieldMap, discoverFields, historyFieldIds } from '../../../connectors/jira/fields.ts';
import { statusCategory, typeCategory } from '../../../connectors/jira/map.ts';
import { JiraField, JiraFieldPins } from '../../../connectors/jira/schema.ts';
import { currentSprint, parseSprintValue } from '../../../connectors/jira/sprints.ts';
import { fixture } from './helpers.ts';

const fieldsOf = (path: string) => fixture<unknown[]>(path).map((f) => JiraField.parse(f));
const noPins = JiraFieldPins.parse({});

describe('field discovery', () => {
  it('recognises fields by schema type on a Cloud site (two estimate fields, sprint, flagged, start date)', () => {
    const map = discoverFields(fieldsOf('cloud/field.json'), noPins, ['Risk level']);

    expect(map).toMatchObject({
      storyPoints: ['customfield_10016', 'customfield_10026'],
      sprint: 'customfield_10020',
      epicLink: null,
      flagged: 'customfield_10021',
      startDate: 'customfield_10015',
      acceptanceCriteria: 'customfield_10050',
      missing: [],
    });
    expect([...map.extra]).toEqual([['customfield_10100', 'Risk level']]);
    expect(historyFieldIds(map)).toHaveLength(10);
  });

  it('recognises the differently numbered fields of a Data Center site (legacy Story Points, Epic Link, Parent Link)', () => {
    const map = discoverFields(fieldsOf('datacenter/field.json'), JiraFieldPins.parse({ team: 'Team' }), []);

    expect(map).toMatchObject({
      storyPoints: ['customfield_10002'],
      sprint: 'customfield_10005',
      epicLink: 'customfield_10008',
      parentLink: 'customfield_10300',
      flagged: 'customfield_10003',
      team: 'customfield_10400',
      startDate: null,
    });
    expect(describeFieldMap(map)).toContain('story points: Story Points (customfield_10002); sprint: Sprint (customfield_10005); epic link: Epic Link (customfield_10008)');
  });

  it('lets config pin fields by id or name and reports pins that name nothing', () => {
    const map = discoverFields(fieldsOf('cloud/field.json'), JiraFieldPins.parse({ storyPoints: 'Story Points', sprint: 'customfield_99999' }), ['No such field']);

    expect(map.storyPoints).toEqual(['customfield_10026']);
    expect(map.sprint).toBeNull();
    expect(map.missing).toEqual(['extraFields: No such field', 'fields.sprint: customfield_99999']);
  });
});

describe('sprint field', () => {
  it('parses the object form (Cloud, Data Center 8+)', () => {
    const sprints = parseSprintValue([
      { id: 11, name: 'S11', state: 'closed', boardId: 1, goal: '', startDate: '2026-10-19T08:00:00.000Z', endDate: '2026-11-02T08:00:00.000Z', completeDate: '2026-11-02T09:12:00.000Z' },
      { id: 12, name: 'S12', state: 'active', boardId: 1, startDate: '2026-11-02T08:00:00.000Z', endDate: '2026-11-16T08:00:00.000Z' },
    ]);

    expect(sprints.map((s) => [s.id, s.state, s.goal, s.boardId])).toEqual([
      ['11', 'closed', null, 1],
      ['12', 'active', null, 1],
    ]);
    expect(currentSprint(sprints)?.id).toBe('12');
  });

  it('parses the legacy string form, with commas inside names and goals and <null> values', () => {
    const [s] = parseSprintValue([
      'com.atlassian.greenhopper.service.sprint.Sprint@6f1e2a[id=41,rapidViewId=7,state=CLOSED,name=Ops, infra & more,startDate=2026-10-26T09:00:00.000+01:00,endDate=2026-11-09T09:00:00.000+01:00,completeDate=<null>,sequence=41,goal=Patch, then upgrade]',
    ]);

    expect(s).toEqual({ id: '41', name: 'Ops, infra & more', state: 'closed', startDate: '2026-10-26T08:00:00.000Z', endDate: '2026-11-09T08:00:00.000Z', completeDate: null, goal: 'Patch, then upgrade', boardId: 7 });
  });

  it.each([
    [[{ id: 1, name: 'x', state: 'running' }]],
    [['not a sprint']],
    [[42]],
  ])('rejects an unreadable sprint value %j', (value) => {
    expect(() => parseSprintValue(value)).toThrow(/unreadable sprint value/);
  });

  it('picks the active sprint, else the earliest future one, else the last closed one', () => {
    const s = (id: string, state: 'active' | 'future' | 'closed', endDate: string | null = null) => ({ id, name: id, state, startDate: null, endDate, completeDate: null, goal: null, boardId: null });

    expect(currentSprint([s('1', 'closed', '2026-01-01T00:00:00.000Z'), s('3', 'future'), s('2', 'future')])?.id).toBe('2');
    expect(currentSprint([s('1', 'closed', '2026-01-01T00:00:00.000Z'), s('2', 'closed', '2026-02-01T00:00:00.000Z')])?.id).toBe('2');
    expect(currentSprint([])).toBeNull();
  });
});

describe('ADF', () => {
  it('turns paragraphs, headings, nested and ordered lists, tasks, tables, code and mentions into lines', () => {
    const doc = {
      type: 'doc',
      version: 1,
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Context' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Ask ' }, { type: 'mention', attrs: { id: 'x', text: '@Ann' } }, { type: 'text', text: ' first.' }, { type: 'hardBreak' }, { type: 'text', text: 'Then ship.' }] },
        {
          type: 'orderedList',
          attrs: { order: 3 },
          content: [
            { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'three' }] }, { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'nested' }] }] }] }] },
            { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'four' }] }] },
          ],
        },
        { type: 'taskList', attrs: { localId: 't' }, content: [{ type: 'taskItem', attrs: { localId: 'a', state: 'DONE' }, content: [{ type: 'text', text: 'reviewed' }] }] },
        { type: 'panel', attrs: { panelType: 'info' }, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Note' }] }] },
        { type: 'codeBlock', content: [{ type: 'text', text: 'a = 1\nb = 2' }] },
        { type: 'rule' },
        { type: 'mediaSingle', content: [{ type: 'media', attrs: { id: 'm', type: 'file', collection: 'c' } }] },
      ],
    };

    expect(adfToText(doc)).toBe('Context\nAsk @Ann first.\nThen ship.\n3. three\n   - nested\n4. four\n[x] reviewed\nNote\na = 1\nb = 2\n---');
  });

  it('passes wiki-markup strings through and treats empty documents as no description', () => {
    expect(adfToText('h3. Acceptance criteria\n* done')).toBe('h3. Acceptance criteria\n* done');
    expect(adfToText({ type: 'doc', version: 1, content: [] })).toBeNull();
    expect(adfToText(null)).toBeNull();
  });

  it('builds ADF from text (paragraphs, bullet lists, a heading) that reads back to the same text', () => {
    const doc = textToAdf('Given a saved card\nwhen paying\n\n- charged once\n- receipt sent', 'Acceptance criteria');

    expect(doc.content.map((b) => b.type)).toEqual(['heading', 'paragraph', 'bulletList']);
    expect(adfToText(doc)).toBe('Acceptance criteria\nGiven a saved card\nwhen paying\n- charged once\n- receipt sent');
    expect(adfToText(appendAdf({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Before' }] }] }, doc))).toMatch(/^Before\nAcceptance criteria\n/);
  });
});

describe('categories', () => {
  it.each([
    ['new', 'todo'],
    ['indeterminate', 'in_progress'],
    ['done', 'done'],
    // Jira's own "No Category" (legacy statuses).
    ['undefined', 'todo'],
    ['someday', null],
  ])('status category %s is %s', (key, expected) => {
    expect(statusCategory(key)).toBe(expected);
  });

  it.each([
    [{ name: 'Story', hierarchyLevel: 0 }, 'story'],
    [{ name: 'Sub-task', subtask: true, hierarchyLevel: -1 }, 'subtask'],
    [{ name: 'Initiative', hierarchyLevel: 2 }, 'feature'],
    [{ name: 'Programme', hierarchyLevel: 3 }, 'feature'],
    [{ name: 'Theme epic', hierarchyLevel: 1 }, 'epic'],
    [{ name: 'Defect', hierarchyLevel: 0 }, 'bug'],
    [{ name: 'Widget', hierarchyLevel: 0 }, null],
  ])('issue type %j is %s', (type, expected) => {
    expect(typeCategory(type, {})).toBe(expected);
  });

  it('lets typeCategories override the guess', () => {
    expect(typeCategory({ name: 'Widget' }, { Widget: 'task' })).toBe('task');
  });
});
