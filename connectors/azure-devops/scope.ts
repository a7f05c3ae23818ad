import type { AdoApi } from './client.ts';
import { AdoRequestError } from './client.ts';
import { AdoWiqlResult, type AzureDevOpsSourceConfig } from './schema.ts';

/**
 * Which work items are in scope, asked with WIQL. A WIQL query that matches more than 20,000 items
 * fails with VS402337 ("The number of work items returned exceeds the size limit of 20000"), so the
 * id range is split in halves until every window fits. Work item ids are 32-bit integers.
 */

export const MAX_WORK_ITEM_ID = 2_147_483_647;
/** WIQL text may not exceed 32K characters: https://learn.microsoft.com/en-us/azure/devops/boards/queries/wiql-syntax */
const MAX_WIQL_LENGTH = 32_000;

export function wiqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The WHERE conditions of the configured scope of one project. */
export function scopeConditions(project: string, config: Pick<AzureDevOpsSourceConfig, 'areaPaths' | 'wiql'>): string {
  const parts = [`[System.TeamProject] = ${wiqlString(project)}`];
  if (config.areaPaths?.length) parts.push(`(${config.areaPaths.map((a) => `[System.AreaPath] UNDER ${wiqlString(a)}`).join(' OR ')})`);
  if (config.wiql) parts.push(`(${config.wiql})`);
  return parts.join(' AND ');
}

export function isSizeLimitError(err: unknown): boolean {
  const text = err instanceof Error ? err.message : String(err);
  return /VS402337|TF201036|exceeds the size limit/i.test(text) && (!(err instanceof AdoRequestError) || err.status === null || err.status === 400);
}

async function idsOf(api: AdoApi, project: string, query: string): Promise<number[]> {
  const parsed = AdoWiqlResult.safeParse(await api.wiql(project, query));
  if (!parsed.success) throw new Error(`WIQL in ${project}: unexpected reply shape`);
  return (parsed.data.workItems ?? []).map((w) => w.id);
}

/**
 * Every id in scope of `project`, window by window; `windows` counts the queries for tests and logs.
 * `highestId` (the largest id the sync saw) splits the range up front where the items are.
 */
export async function enumerateScope(
  api: AdoApi,
  project: string,
  config: Pick<AzureDevOpsSourceConfig, 'areaPaths' | 'wiql'>,
  highestId = 0,
): Promise<{ ids: number[]; windows: number }> {
  const where = scopeConditions(project, config);
  const ids: number[] = [];
  const stack: Array<[number, number]> =
    highestId > 0 && highestId < MAX_WORK_ITEM_ID ? [[highestId + 1, MAX_WORK_ITEM_ID], [1, highestId]] : [[1, MAX_WORK_ITEM_ID]];
  let windows = 0;
  while (stack.length > 0) {
    const [lo, hi] = stack.pop()!;
    windows++;
    try {
      ids.push(...(await idsOf(api, project, `SELECT [System.Id] FROM WorkItems WHERE ${where} AND [System.Id] >= ${lo} AND [System.Id] <= ${hi} ORDER BY [System.Id]`)));
    } catch (err) {
      if (!isSizeLimitError(err) || hi <= lo) throw err;
      const mid = lo + Math.floor((hi - lo) / 2);
      // Upper half first on the stack, so the lower half is asked next and ids come out ascending.
      stack.push([mid + 1, hi], [lo, mid]);
    }
  }
  return { ids, windows };
}

/** Which of `ids` meet the configured WIQL condition (one query per chunk that fits the WIQL limit). */
export async function filterByWiql(api: AdoApi, project: string, ids: readonly number[], config: Pick<AzureDevOpsSourceConfig, 'areaPaths' | 'wiql'>): Promise<Set<number>> {
  const where = scopeConditions(project, config);
  const keep = new Set<number>();
  const room = MAX_WIQL_LENGTH - where.length - 200;
  let chunk: number[] = [];
  let length = 0;
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    for (const id of await idsOf(api, project, `SELECT [System.Id] FROM WorkItems WHERE [System.Id] IN (${chunk.join(',')}) AND ${where}`)) keep.add(id);
    chunk = [];
    length = 0;
  };
  for (const id of ids) {
    const add = String(id).length + 1;
    if (length + add > room) await flush();
    chunk.push(id);
    length += add;
  }
  await flush();
  return keep;
}
