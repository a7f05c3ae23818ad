import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, DEMO_COMPANY, OBJECTIVE_LABELS, PEOPLE, TEAMS } from '../../../connectors/sample/portfolio.ts';
import { Sprint, WorkItem, type WorkItemInput } from '../../../src/model/work-item.ts';
import { NOW, isContainer, ms, portfolio, type Portfolio } from './helpers.ts';

const DAY = 86_400_000;
const now = ms(NOW);
const today = NOW.slice(0, 10);
let demo: Portfolio;
let work: WorkItemInput[];

beforeAll(async () => {
  demo = await portfolio();
  work = demo.items.filter((i) => !isContainer(i));
});

const objectiveLabels: readonly string[] = OBJECTIVE_LABELS;
const hasAcceptanceCriteria = (i: WorkItemInput): boolean =>
  typeof i.fields['Microsoft.VSTS.Common.AcceptanceCriteria'] === 'string' || (i.description ?? '').includes('Acceptance criteria\nGiven');
const isStale = (i: WorkItemInput): boolean =>
  i.statusCategory === 'in_progress' && now - ms(i.updatedAt) >= 6 * DAY && now - ms(i.transitions.at(-1)?.at ?? i.createdAt) >= 6 * DAY;

function wipByPerson(items: WorkItemInput[]): Map<string, number> {
  const wip = new Map<string, number>();
  for (const i of items) {
    if (i.statusCategory !== 'in_progress' || !i.assignee) continue;
    const who = i.assignee.email ?? i.assignee.id;
    wip.set(who, (wip.get(who) ?? 0) + 1);
  }
  return wip;
}

describe('sample portfolio at the default size', () => {
  it('has the default number of items, every one a valid WorkItem with a unique key', () => {
    const keys = new Set(demo.items.map((i) => i.key));

    expect(demo.items).toHaveLength(DEFAULT_SIZE);
    expect(keys.size).toBe(DEFAULT_SIZE);
    for (const item of demo.items) expect(() => WorkItem.parse(item), item.key).not.toThrow();
    for (const sprint of demo.sprints) expect(() => Sprint.parse(sprint), sprint.key).not.toThrow();
  });

  it('shapes Jira projects and Azure DevOps projects like their tools', () => {
    const pay = demo.byKey.get('demo:PAY-12');
    const ado = demo.items.find((i) => i.project === 'Fabrikam' && i.typeCategory === 'story');

    expect(pay).toMatchObject({ project: 'PAY', team: 'Payments', url: 'https://acme.atlassian.net/browse/PAY-12', sourceKind: 'sample' });
    expect(ado?.url).toBe(`https://dev.azure.com/contoso/Fabrikam/_workitems/edit/${ado?.nativeKey}`);
    expect(ado?.nativeKey).toMatch(/^\d+$/);
    expect(ado?.fields['areaPath']).toMatch(/^Fabrikam\\(Checkout|Onboarding)$/);
    expect(new Set(demo.items.filter((i) => i.url.includes('atlassian')).map((i) => i.status))).toEqual(new Set(['To Do', 'In Progress', 'In Review', 'Done']));
    expect(new Set(demo.items.filter((i) => i.url.includes('azure')).map((i) => i.status))).toEqual(new Set(['New', 'Active', 'Resolved', 'Closed']));
    expect(new Set(demo.items.filter((i) => i.url.includes('atlassian')).map((i) => i.type))).toEqual(new Set(['Epic', 'Story', 'Bug', 'Task', 'Sub-task', 'Risk']));
    expect(new Set(demo.items.filter((i) => i.url.includes('azure')).map((i) => i.type))).toEqual(new Set(['Epic', 'Feature', 'User Story', 'Bug', 'Task', 'Risk']));
    expect(new Set(demo.items.filter((i) => i.url.includes('azure')).map((i) => i.priority))).toEqual(new Set(['1', '2', '3', '4']));
  });

  it('keeps the hierarchy consistent: parents exist, epic keys point at epics, children start after parents', () => {
    for (const item of demo.items) {
      if (item.parentKey === null) {
        expect(item.epicKey, item.key).toBeNull();
        continue;
      }
      const parent = demo.byKey.get(item.parentKey);
      expect(parent, `${item.key} parent ${item.parentKey}`).toBeDefined();
      if (!parent) continue;
      expect(item.epicKey).toBe(parent.typeCategory === 'epic' ? parent.key : parent.epicKey);
      if (item.epicKey !== null) expect(demo.byKey.get(item.epicKey)?.typeCategory).toBe('epic');
      expect(ms(item.createdAt), item.key).toBeGreaterThan(ms(parent.createdAt));
      if (parent.statusCategory === 'done' && isContainer(parent)) {
        expect(item.statusCategory, item.key).toBe('done');
        expect(ms(item.resolvedAt ?? ''), item.key).toBeLessThan(ms(parent.resolvedAt ?? ''));
      }
    }
    expect(demo.items.filter((i) => i.typeCategory === 'subtask').length).toBeGreaterThan(0);
    expect(demo.items.filter((i) => i.typeCategory === 'feature').every((f) => demo.byKey.get(f.parentKey ?? '')?.typeCategory === 'epic')).toBe(true);
  });

  it('keeps status history consistent with status and dates', () => {
    for (const item of demo.items) {
      const t = item.transitions;
      const last = t.at(-1);
      expect(t[0]).toMatchObject({ at: item.createdAt, from: null, toCategory: 'todo' });
      expect(last).toMatchObject({ to: item.status, toCategory: item.statusCategory });
      for (let i = 1; i < t.length; i++) {
        expect(ms(t[i]!.at), item.key).toBeGreaterThan(ms(t[i - 1]!.at));
        expect(t[i]!.from).toBe(t[i - 1]!.to);
      }
      expect(item.startedAt).toBe(t.find((x) => x.toCategory === 'in_progress')?.at ?? null);
      expect(item.resolvedAt).toBe(item.statusCategory === 'done' ? (last?.at ?? null) : null);
      const events = [...t.map((x) => ms(x.at)), ...(item.history ?? []).map((h) => ms(h.at))];
      expect(ms(item.updatedAt), item.key).toBe(Math.max(ms(item.updatedAt), ...events));
      expect(ms(item.updatedAt), item.key).toBeLessThanOrEqual(now);
      for (const h of item.history ?? []) expect(ms(h.at), item.key).toBeGreaterThan(ms(item.createdAt));
    }
  });

  it('plans two-week sprints over the last 12 weeks for scrum teams, none for Kanban and stage-gate', () => {
    const byTeam = Map.groupBy(demo.sprints, (s) => s.team);
    const scrum = TEAMS.filter((t) => t.sprints).map((t) => t.team);

    expect([...byTeam.keys()].sort()).toEqual([...scrum].sort());
    for (const sprints of byTeam.values()) {
      expect(sprints.map((s) => s.state)).toEqual(['closed', 'closed', 'closed', 'closed', 'closed', 'active', 'future']);
      expect(now - ms(sprints[0]!.startDate ?? '')).toBeLessThan(12 * 7 * DAY);
      for (const s of sprints) expect(ms(s.endDate ?? '') - ms(s.startDate ?? '')).toBe(14 * DAY);
    }
    expect(demo.sprints.filter((s) => s.state === 'active' && s.goal === null).map((s) => s.team)).toEqual(['Mobile']);
    expect(demo.items.filter((i) => i.project === 'OPS' || i.project === 'ERP').every((i) => i.sprint === null)).toBe(true);
  });

  it('points sprint refs at emitted sprints and records sprint changes, some after the sprint started', () => {
    const sprints = new Map(demo.sprints.map((s) => [s.id, s]));
    const addedLate = work.filter(
      (i) => i.sprint?.state === 'active' && (i.history ?? []).some((h) => h.field === 'sprint' && h.to === i.sprint?.name && ms(h.at) > ms(i.sprint.startDate ?? '')),
    );

    for (const item of demo.items.filter((i) => i.sprint)) {
      expect(sprints.get(item.sprint?.id ?? '')?.name).toBe(item.sprint?.name);
      expect((item.history ?? []).at(-1)?.to, item.key).toBe(item.sprint?.name);
    }
    expect(addedLate.length).toBeGreaterThan(0);
    expect(work.some((i) => (i.history ?? []).some((h) => h.from !== null))).toBe(true);
  });

  it('contains each kind of defect, in modest proportions', () => {
    const stories = demo.items.filter((i) => i.typeCategory === 'story');
    const noEstimate = stories.filter((i) => i.estimate === null);
    const noCriteria = stories.filter((i) => !hasAcceptanceCriteria(i));
    const unassigned = work.filter((i) => i.statusCategory === 'in_progress' && i.assignee === null);
    const stale = work.filter(isStale);
    const blocked = demo.items.filter((i) => i.blocked);
    const overdue = demo.items.filter((i) => i.dueDate !== null && i.dueDate < today && i.statusCategory !== 'done');
    const unaligned = work.filter((i) => i.typeCategory !== 'risk' && i.epicKey === null && !i.labels.some((l) => objectiveLabels.includes(l)));

    for (const found of [noEstimate, noCriteria, unassigned, stale, blocked, overdue, unaligned]) expect(found.length).toBeGreaterThan(0);
    expect(noEstimate.length / stories.length).toBeLessThan(0.25);
    expect(noCriteria.length / stories.length).toBeLessThan(0.25);
    expect(stale.length / work.filter((i) => i.statusCategory === 'in_progress').length).toBeLessThan(0.25);
    expect(overdue.length / demo.items.length).toBeLessThan(0.1);
    expect(unaligned.length / work.length).toBeLessThan(0.15);
    for (const item of stale) expect((now - ms(item.updatedAt)) / DAY).toBeLessThanOrEqual(20);
  });

  it('links blocked work to its blockers both ways', () => {
    const blockedBy = demo.items.flatMap((i) => i.links.filter((l) => l.type === 'is blocked by').map((l) => [i.key, l.targetKey] as const));

    expect(blockedBy.length).toBeGreaterThan(0);
    for (const [from, to] of blockedBy) {
      expect(demo.byKey.get(to)?.links, `${to} blocks ${from}`).toContainEqual({ type: 'blocks', targetKey: from });
    }
    expect(demo.items.some((i) => i.blocked && i.links.some((l) => l.type === 'is blocked by'))).toBe(true);
  });

  it('overloads two or three people with 5–7 items in progress while most carry 1–3', () => {
    const wip = [...wipByPerson(work).values()];

    const overloaded = wip.filter((n) => n >= 5);
    expect(overloaded.length).toBeGreaterThanOrEqual(2);
    expect(overloaded.length).toBeLessThanOrEqual(3);
    expect(overloaded.every((n) => n <= 7)).toBe(true);
    expect(wip.filter((n) => n >= 1 && n <= 3).length / wip.length).toBeGreaterThan(0.75);
  });

  it('has about 12–20 people, some without email, one working in Jira and Azure DevOps under one email', () => {
    const people = new Map<string, { email: string | null; ids: Set<string> }>();
    for (const i of demo.items) {
      if (!i.assignee) continue;
      const entry = people.get(i.assignee.name) ?? { email: i.assignee.email, ids: new Set<string>() };
      entry.ids.add(i.assignee.id);
      people.set(i.assignee.name, entry);
    }

    expect(people.size).toBeGreaterThanOrEqual(12);
    expect(people.size).toBeLessThanOrEqual(20);
    expect([...people.values()].filter((p) => p.email === null).length).toBeGreaterThanOrEqual(1);
    expect(people.get('Oliver Grant')).toEqual({ email: 'oliver.grant@acme.example', ids: expect.any(Set) });
    expect(people.get('Oliver Grant')?.ids.size).toBe(2);
  });

  it('puts acceptance criteria in the ADO field and in the Jira description', () => {
    const adoStory = work.find((i) => i.type === 'User Story' && hasAcceptanceCriteria(i));
    const jiraStory = work.find((i) => i.type === 'Story' && hasAcceptanceCriteria(i));

    expect(adoStory?.fields['Microsoft.VSTS.Common.AcceptanceCriteria']).toMatch(/^Given .*\nWhen .*\nThen /);
    expect(adoStory?.description).not.toContain('Acceptance criteria');
    expect(jiraStory?.description).toMatch(/^As a .*\n\nAcceptance criteria\nGiven .*\nWhen .*\nThen /);
  });

  it('matches DEMO_COMPANY: every listed epic and feature exists with its objective label', () => {
    for (const epic of DEMO_COMPANY.epics) {
      const item = demo.byKey.get(`demo:${epic.key}`);
      expect(item, epic.key).toMatchObject({ typeCategory: 'epic', title: epic.title, project: epic.project, team: epic.team });
      expect(item?.labels).toContain(epic.label);
      for (const feature of epic.features) {
        expect(demo.byKey.get(`demo:${feature.key}`)).toMatchObject({ typeCategory: 'feature', title: feature.title, epicKey: `demo:${epic.key}` });
      }
    }
    expect(DEMO_COMPANY.epics.length).toBe(demo.items.filter((i) => i.typeCategory === 'epic').length);
  });

  it('documents every project, epic key, label and person in the readme', () => {
    const readme = readFileSync(new URL('../../../connectors/sample/readme.md', import.meta.url), 'utf8');

    for (const p of DEMO_COMPANY.projects) expect(readme).toContain(p.project);
    for (const e of DEMO_COMPANY.epics) expect(readme).toContain(`| ${e.key} |`);
    for (const label of OBJECTIVE_LABELS) expect(readme).toContain(`\`${label}\``);
    for (const person of Object.values(PEOPLE)) expect(readme).toContain(person.name);
  });
});
