import type { Sprint, SprintRef, SprintState } from '../../src/model/work-item.ts';
import type { Clock } from '../../src/util/clock.ts';
import type { AdoApi } from './client.ts';
import { buildProcessModel, type ProcessModel } from './process.ts';
import {
  AdoIteration,
  AdoTeam,
  AdoTeamFieldValues,
  AdoTypeCategory,
  AdoWorkItemType,
  type AzureDevOpsSourceConfig,
} from './schema.ts';
import type { z } from 'zod';

/**
 * What mapping a project's items needs, loaded once per pull and only when the project changed:
 * its process (types, states, estimate fields), its teams with the area paths they own, and the
 * iterations the teams subscribe to (as sprints).
 */
export interface ProjectMeta {
  project: string;
  process: ProcessModel;
  sprints: Sprint[];
  sprintOf(iterationPath: string): SprintRef | null;
  teamOf(areaPath: string): string | null;
}

/** Teams are listed in pages; 100 is the service default page. */
const TEAM_PAGE = 100;

function parseList<T extends z.ZodType>(schema: T, raw: readonly unknown[], what: string): Array<z.infer<T>> {
  const out: Array<z.infer<T>> = [];
  for (const [i, entry] of raw.entries()) {
    const parsed = schema.safeParse(entry);
    if (!parsed.success) throw new Error(`${what}: entry ${i} is malformed (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    out.push(parsed.data);
  }
  return out;
}

function asArray(raw: unknown, what: string): unknown[] {
  if (Array.isArray(raw)) return raw;
  throw new Error(`${what}: expected a list`);
}

export async function loadProcess(api: AdoApi, project: string, config: AzureDevOpsSourceConfig, templateName: string | null = null): Promise<ProcessModel> {
  const [types, categories] = await Promise.all([api.workItemTypes(project), api.typeCategories(project)]);
  return buildProcessModel({
    project,
    templateName,
    types: parseList(AdoWorkItemType, asArray(types, `work item types of ${project}`), `work item types of ${project}`),
    categories: parseList(AdoTypeCategory, asArray(categories, `type categories of ${project}`), `type categories of ${project}`),
    config,
  });
}

async function listTeams(api: AdoApi, project: string): Promise<AdoTeam[]> {
  const teams: AdoTeam[] = [];
  for (let skip = 0; ; skip += TEAM_PAGE) {
    const page = parseList(AdoTeam, asArray(await api.teams(project, TEAM_PAGE, skip), `teams of ${project}`), `teams of ${project}`);
    teams.push(...page);
    if (page.length < TEAM_PAGE) return teams;
  }
}

function iso(v: Date | string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** `timeFrame` is past/current/future (the SDK's enum: 0, 1, 2); without it, the dates decide. */
function sprintState(timeFrame: unknown, start: string | null, end: string | null, now: Date): SprintState {
  const tf = typeof timeFrame === 'string' ? timeFrame.toLowerCase() : timeFrame;
  if (tf === 'past' || tf === 0) return 'closed';
  if (tf === 'current' || tf === 1) return 'active';
  if (tf === 'future' || tf === 2) return 'future';
  if (end && Date.parse(end) < now.getTime()) return 'closed';
  if (start && Date.parse(start) <= now.getTime()) return 'active';
  return 'future';
}

const lower = (s: string): string => s.toLowerCase();

/** Under `root` (the path itself or a child), case-insensitively as Azure DevOps compares paths. */
export function isUnder(path: string, root: string): boolean {
  const p = lower(path);
  const r = lower(root);
  return p === r || p.startsWith(r + '\\');
}

export async function loadProjectMeta(api: AdoApi, project: string, config: AzureDevOpsSourceConfig, clock: Clock): Promise<ProjectMeta> {
  const [process, teams] = await Promise.all([loadProcess(api, project, config), listTeams(api, project)]);
  const perTeam = await Promise.all(
    teams.map(async (team) => {
      const [iterations, areas] = await Promise.all([api.teamIterations(project, team.name), api.teamFieldValues(project, team.name)]);
      const parsedAreas = AdoTeamFieldValues.safeParse(areas);
      return {
        team,
        iterations: parseList(AdoIteration, asArray(iterations, `iterations of ${project}/${team.name}`), `iterations of ${project}/${team.name}`),
        areas: parsedAreas.success ? parsedAreas.data : { values: [] },
      };
    }),
  );

  const now = clock.now();
  const byId = new Map<string, { sprint: Sprint; teams: Set<string>; path: string }>();
  for (const { team, iterations } of perTeam) {
    for (const it of iterations) {
      const seen = byId.get(it.id);
      if (seen) {
        seen.teams.add(team.name);
        continue;
      }
      const startDate = iso(it.attributes?.startDate);
      const endDate = iso(it.attributes?.finishDate);
      const state = sprintState(it.attributes?.timeFrame, startDate, endDate, now);
      byId.set(it.id, {
        path: it.path ?? `${project}\\${it.name}`,
        teams: new Set([team.name]),
        sprint: {
          key: `${config.id}:${it.id}`,
          source: config.id,
          id: it.id,
          name: it.name,
          state,
          startDate,
          endDate,
          completeDate: state === 'closed' ? endDate : null,
          goal: null,
          project,
          team: team.name,
        },
      });
    }
  }
  const sprints: Sprint[] = [];
  const byPath = new Map<string, SprintRef>();
  for (const { sprint, teams: owners, path } of byId.values()) {
    // An iteration several teams share belongs to none of them in particular.
    const s = owners.size === 1 ? sprint : { ...sprint, team: null };
    sprints.push(s);
    byPath.set(lower(path), { id: s.id, name: s.name, state: s.state, startDate: s.startDate, endDate: s.endDate });
  }

  // Area paths → team: the team owning the deepest matching path; its default area first on ties.
  const owned: Array<{ path: string; children: boolean; team: string; isDefault: boolean }> = [];
  for (const { team, areas } of perTeam) {
    for (const v of areas.values ?? []) owned.push({ path: v.value, children: v.includeChildren !== false, team: team.name, isDefault: v.value === areas.defaultValue });
  }
  owned.sort((a, b) => b.path.length - a.path.length || Number(b.isDefault) - Number(a.isDefault));
  const teamCache = new Map<string, string | null>();
  const teamOf = (areaPath: string): string | null => {
    const key = lower(areaPath);
    if (teamCache.has(key)) return teamCache.get(key) ?? null;
    const hit = owned.find((o) => (o.children ? isUnder(areaPath, o.path) : lower(o.path) === key));
    // No team claims it: the area path below the project stands for the team.
    const rest = areaPath.includes('\\') ? areaPath.slice(areaPath.indexOf('\\') + 1) : null;
    const team = hit?.team ?? rest;
    teamCache.set(key, team);
    return team;
  };
  return { project, process, sprints, sprintOf: (p) => byPath.get(lower(p)) ?? null, teamOf };
}
