import type { Connector, ConnectorDefinition, ConnectorDeps, PullPage, PullRequest, QuarantinedPayload } from '../../src/model/connector.ts';
import { BudgetExceededError, ExternalHostError, createHttpPolicy, type HttpPolicy, type HttpPolicyOptions } from '../../src/http/policy.ts';
import type { WorkItem } from '../../src/model/work-item.ts';
import { errorMessage } from '../../src/util/errors.ts';
import type { Logger } from '../../src/util/log.ts';
import { AdoRequestError, classifyAdoError, createAdoApi, type AdoApi } from './client.ts';
import { checkAzureDevOps } from './doctor.ts';
import { F, feedFields, mapWorkItem, str } from './map.ts';
import { BATCH_MAX_IDS, REVISION_LIMIT } from './limits.ts';
import { isUnder, loadProjectMeta, type ProjectMeta } from './meta.ts';
import { AdoRevisionBatch, AzureDevOpsSourceConfig, parseAdoWorkItem, sinceInstant, type AdoWorkItem } from './schema.ts';
import { enumerateScope, filterByWiql } from './scope.ts';
import { writeBackAzureDevOps } from './write-back.ts';

export { AzureDevOpsSourceConfig } from './schema.ts';

/**
 * Sync state kept in the store. `watermark`: the reporting feed's continuation token per project
 * (advanced with every committed page). `cursor`: set while a full sync is under way, so an
 * interrupted one still reconciles (marks removed what left the scope) when it finishes.
 */
interface Watermark {
  v: 1;
  tokens: Record<string, string>;
}
const FULL_CURSOR = JSON.stringify({ v: 1, full: true });

function parseWatermark(raw: string | null): Watermark | null {
  if (raw === null) return null;
  try {
    const w = JSON.parse(raw) as Partial<Watermark>;
    if (w.v !== 1 || !w.tokens || typeof w.tokens !== 'object') return null;
    const tokens: Record<string, string> = {};
    for (const [k, v] of Object.entries(w.tokens)) if (typeof v === 'string') tokens[k] = v;
    return { v: 1, tokens };
  } catch {
    return null;
  }
}

/** The token from `continuationToken`, or from `nextLink` when only that is sent (older servers). */
export function nextToken(batch: AdoRevisionBatch): string | null {
  if (batch.continuationToken) return batch.continuationToken;
  if (!batch.nextLink) return null;
  try {
    return new URL(batch.nextLink).searchParams.get('continuationToken');
  } catch {
    return null;
  }
}

/** Groups of items read ahead of the one being mapped and committed. */
const LOOKAHEAD = 2;

/** A group of revisions on its way: grouped, deletions sorted out, current state being read. */
interface Group {
  project: string;
  page: PullPage;
  byId: Map<number, AdoWorkItem[]>;
  live: number[];
  failed: Map<number, string>;
  current: Promise<Map<number, unknown>>;
  /** The project's token once this group is committed. */
  resumeAt: string | null;
}

export interface AzureDevOpsOptions {
  /** Policy knobs for tests: no real sleeping, fixed jitter. */
  policy?: Pick<HttpPolicyOptions, 'sleep' | 'random' | 'now' | 'maxAttempts' | 'baseDelayMs'>;
}

function emptyPage(): PullPage {
  return { items: [], quarantined: [], sprints: [], removed: [], watermark: null, cursor: null, requests: 0 };
}

function chunks<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/**
 * The Azure DevOps connector: `pull` pages through the reporting revisions feed of each project,
 * `writeBack` sends JSON Patch, `check` is `pmo-bot doctor`. `options` exist for tests.
 */
export function createAzureDevOpsConnector(config: AzureDevOpsSourceConfig, deps: ConnectorDeps, options: AzureDevOpsOptions = {}): Connector {
  const log: Logger = deps.log.child({ source: config.id, kind: 'azure-devops' });
  log.addSecrets(['pat' in config.auth ? config.auth.pat : config.auth.token]);
  const policy: HttpPolicy = createHttpPolicy({
    name: config.id,
    maxRequests: config.maxRequests,
    concurrency: config.concurrency,
    classify: classifyAdoError,
    log,
    ...options.policy,
  });
  const api: AdoApi = createAdoApi(config, policy);
  const estimateOverrides = typeof config.estimateField === 'string' ? [config.estimateField] : Object.values(config.estimateField ?? {});
  const fields = feedFields({ estimateFields: estimateOverrides });
  const revisionLimitWarned = new Set<number>();
  // The largest work item id seen: where the WIQL scope windows split first.
  let highestId = 0;

  const inScope = (current: AdoWorkItem, project: string): boolean => {
    const p = str(current.fields[F.project]);
    if (p !== null && p.toLowerCase() !== project.toLowerCase()) return false;
    const area = str(current.fields[F.area]) ?? project;
    return !config.areaPaths || config.areaPaths.some((root) => isUnder(area, root));
  };

  /** Current state of `ids`; a batch that keeps failing server-side is split down to the one item at fault. */
  async function fetchCurrent(project: string, ids: readonly number[], failed: Map<number, string>): Promise<Map<number, unknown>> {
    const out = new Map<number, unknown>();
    const fetchChunk = async (chunk: readonly number[]): Promise<void> => {
      try {
        for (const raw of await api.workItemsBatch(project, [...chunk])) {
          const id = (raw as { id?: unknown } | null)?.id;
          if (typeof id === 'number') out.set(id, raw);
        }
      } catch (err) {
        const status = err instanceof ExternalHostError ? err.status : err instanceof AdoRequestError ? err.status : null;
        if (status === null || status < 500) throw err;
        if (chunk.length === 1) {
          failed.set(chunk[0]!, errorMessage(err));
          return;
        }
        const half = Math.ceil(chunk.length / 2);
        await Promise.all([fetchChunk(chunk.slice(0, half)), fetchChunk(chunk.slice(half))]);
      }
    };
    await Promise.all(chunks(ids, BATCH_MAX_IDS).map(fetchChunk));
    return out;
  }

  /**
   * First half of a group of revisions: validate and group them by item, sort out deletions, and
   * start reading the items' current state (not awaited, so the reads overlap earlier groups' work).
   */
  function prepareGroup(project: string, values: readonly unknown[], resumeAt: string | null): Group {
    const page = emptyPage();
    const byId = new Map<number, AdoWorkItem[]>();
    for (const raw of values) {
      const parsed = parseAdoWorkItem(raw);
      if (!parsed.success) {
        const id = (raw as { id?: unknown } | null)?.id;
        const issue = parsed.error.issues[0];
        page.quarantined.push({
          nativeKey: typeof id === 'number' || typeof id === 'string' ? String(id) : `revision-${project}-${page.quarantined.length}`,
          error: `revision in ${project}: ${issue?.path.join('.') || '(revision)'}: ${issue?.message ?? 'invalid'}`,
          payload: raw,
        });
        continue;
      }
      const list = byId.get(parsed.data.id) ?? [];
      list.push(parsed.data);
      byId.set(parsed.data.id, list);
    }
    const live: number[] = [];
    for (const [id, revs] of byId) {
      const latest = revs.reduce((a, b) => ((b.rev ?? 0) >= (a.rev ?? 0) ? b : a));
      if (latest.fields[F.isDeleted] === true) page.removed.push(String(id));
      else live.push(id);
    }
    const failed = new Map<number, string>();
    const current = fetchCurrent(project, live, failed);
    current.catch(() => undefined);
    return { project, page, byId, live, failed, current, resumeAt };
  }

  /** Second half: the items' current state, mapped onto their stored copies. */
  async function finishGroup(
    group: Group,
    meta: { current: ProjectMeta; reload: () => Promise<ProjectMeta> },
    previous: (nativeKey: string) => WorkItem | undefined,
  ): Promise<PullPage> {
    const { project, page, byId, live, failed } = group;
    const current = await group.current;
    const wiqlKeep = config.wiql ? await filterByWiql(api, project, [...current.keys()], config) : null;
    let reloaded = false;
    for (const id of live) {
      const revs = byId.get(id)!;
      const nativeKey = String(id);
      const failure = failed.get(id);
      if (failure) {
        page.quarantined.push({ nativeKey, error: `work item ${id} in ${project} could not be read: ${failure}`, payload: { revisions: revs } });
        continue;
      }
      const raw = current.get(id);
      if (raw === undefined) {
        // Omitted by the batch: deleted or no longer readable.
        page.removed.push(nativeKey);
        continue;
      }
      const parsed = parseAdoWorkItem(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        page.quarantined.push({ nativeKey, error: `work item ${id} in ${project}: ${issue?.path.join('.') || '(item)'}: ${issue?.message ?? 'invalid'}`, payload: raw });
        continue;
      }
      if (!inScope(parsed.data, project) || (wiqlKeep && !wiqlKeep.has(id))) {
        page.removed.push(nativeKey);
        continue;
      }
      const rev = parsed.data.rev ?? 0;
      if (rev >= REVISION_LIMIT && !revisionLimitWarned.has(id)) {
        revisionLimitWarned.add(id);
        log.warn({ project, item: id, rev }, 'Work item reached the 10,000-revision limit; it is synced but Azure DevOps refuses further edits');
      }
      // With revision 1 in hand the whole history is here: the stored copy is not needed.
      const stored = revs.some((r) => (r.rev ?? 0) === 1) ? undefined : previous(nativeKey);
      let result = mapWorkItem(parsed.data, revs, stored, ctxOf(meta.current));
      if (!result.ok && !reloaded && /is not (in the process|a state)/.test(result.error)) {
        // The process may have changed since the metadata was read: read it once more.
        reloaded = true;
        meta.current = await meta.reload();
        result = mapWorkItem(parsed.data, revs, stored, ctxOf(meta.current));
      }
      if (result.ok) page.items.push(result.item);
      else page.quarantined.push({ nativeKey, error: result.error, payload: raw } satisfies QuarantinedPayload);
    }
    return page;
  }

  function ctxOf(meta: ProjectMeta) {
    return {
      source: config.id,
      orgUrl: config.orgUrl,
      project: meta.project,
      process: meta.process,
      sprintOf: meta.sprintOf,
      teamOf: meta.teamOf,
      blockedTag: config.blockedTag,
    };
  }

  /**
   * Feed pages are gathered until their items fill whole workitemsbatch calls (200 ids), so a sync
   * costs the fewest requests the batch size allows. Items held back for the next round keep the
   * committed watermark at the page they first appeared on: a crash re-reads that page, and merging
   * by revision number makes the re-read harmless.
   */
  async function* pullProject(project: string, tokens: Record<string, string>, since: Date | null, request: PullRequest): AsyncGenerator<PullPage> {
    let token = tokens[project] ?? null;
    let meta: { current: ProjectMeta; reload: () => Promise<ProjectMeta> } | null = null;
    let sprintsSent = false;
    const previous = request.previous ?? (() => undefined);
    // Revisions per item not yet processed, and the token of the page each item first came on.
    const held = new Map<number, { firstPage: number; firstToken: string | null; values: unknown[] }>();
    let pageNo = 0;
    const heldInvalid: unknown[] = [];
    const fetchPage = (continuationToken: string | null): Promise<unknown> => {
      const pending = api.revisions({ project, continuationToken, startDateTime: continuationToken ? null : since, fields, pageSize: config.pageSize });
      // A prefetched page nobody awaits (the pull stopped) must not become an unhandled rejection.
      pending.catch(() => undefined);
      return pending;
    };
    let pending = fetchPage(token);
    const queue: Group[] = [];
    let feedDone = false;
    // A feed page that fails after groups were read ahead: those groups are committed first.
    let failure: { error: unknown } | null = null;
    while (!feedDone || queue.length > 0) {
      // Read ahead until LOOKAHEAD groups are on their way, then map and commit the oldest.
      while (!feedDone && queue.length < LOOKAHEAD) {
        let reply: unknown;
        try {
          reply = await pending;
        } catch (error) {
          failure = { error };
          feedDone = true;
          break;
        }
        const parsed = AdoRevisionBatch.safeParse(reply);
        if (!parsed.success) throw new Error(`revisions of ${project}: unexpected reply shape (${parsed.error.issues[0]?.message ?? 'invalid'})`);
        const batch = parsed.data;
        pageNo++;
        for (const value of batch.values ?? []) {
          const id = (value as { id?: unknown } | null)?.id;
          if (typeof id !== 'number') {
            heldInvalid.push(value);
            continue;
          }
          if (id > highestId) highestId = id;
          const entry = held.get(id) ?? { firstPage: pageNo, firstToken: token, values: [] };
          entry.values.push(value);
          held.set(id, entry);
        }
        const next = nextToken(batch);
        const last = batch.isLastBatch !== false || !next || next === token || request.signal?.aborted === true;
        // The next page is asked for now, so the service works on it while this one is processed.
        if (!last) pending = fetchPage(next);
        // The item of the page's last revision may well continue on the next page: it waits.
        const tail = (batch.values ?? []).at(-1) as { id?: unknown } | undefined;
        const waiting = !last && typeof tail?.id === 'number' && held.has(tail.id) ? 1 : 0;
        if (waiting) {
          const entry = held.get(tail!.id as number)!;
          held.delete(tail!.id as number);
          held.set(tail!.id as number, entry);
        }
        const take = last ? held.size : held.size - waiting - ((held.size - waiting) % BATCH_MAX_IDS);
        if (take > 0 || heldInvalid.length > 0 || last) {
          const values: unknown[] = heldInvalid.splice(0);
          let n = 0;
          for (const [id, entry] of held) {
            if (n++ >= take) break;
            values.push(...entry.values);
            held.delete(id);
          }
          let oldest: { firstPage: number; firstToken: string | null } | null = null;
          for (const entry of held.values()) if (!oldest || entry.firstPage < oldest.firstPage) oldest = entry;
          queue.push(prepareGroup(project, values, oldest ? oldest.firstToken : (next ?? token)));
        }
        if (last) feedDone = true;
        else token = next;
      }
      const group = queue.shift();
      if (!group) break;
      let page = group.page;
      if (group.byId.size > 0 || group.live.length > 0) {
        if (!meta) {
          const load = () => loadProjectMeta(api, project, config, deps.clock);
          meta = { current: await load(), reload: load };
        }
        page = await finishGroup(group, meta, previous);
        // Mapped: the raw revisions and work items go before the page is committed, not after (this
        // frame keeps `group` while it waits at `yield`; 10 MB less peak RSS in a 100,000-item sync).
        group.byId.clear();
        (await group.current).clear();
      }
      if (!sprintsSent && meta) {
        page.sprints = meta.current.sprints;
        sprintsSent = true;
      }
      if (group.resumeAt) tokens[project] = group.resumeAt;
      else delete tokens[project];
      yield page;
    }
    if (failure) throw failure.error;
  }

  async function* pull(request: PullRequest): AsyncGenerator<PullPage> {
    policy.resetBudget();
    let counted = api.httpRequests;
    const spent = (): number => {
      const n = api.httpRequests - counted;
      counted = api.httpRequests;
      return n;
    };
    const stored = parseWatermark(request.state.watermark);
    if (request.state.watermark !== null && stored === null) log.warn({}, 'Stored watermark is not from this connector version; taking everything again');
    const full = request.full || stored === null || request.state.cursor === FULL_CURSOR;
    const tokens: Record<string, string> = request.full ? {} : { ...(stored?.tokens ?? {}) };
    const since = sinceInstant(config.since, deps.clock.now());
    const failures: string[] = [];
    const mark = (page: PullPage): PullPage => ({ ...page, watermark: JSON.stringify({ v: 1, tokens } satisfies Watermark), cursor: full ? FULL_CURSOR : null, requests: spent() });

    for (const project of config.projects) {
      try {
        for await (const page of pullProject(project, tokens, since, request)) {
          yield mark(page);
          if (request.signal?.aborted) return;
        }
      } catch (err) {
        if (err instanceof BudgetExceededError) throw err;
        failures.push(`${project}: ${errorMessage(err)}`);
        log.error({ project, error: errorMessage(err) }, 'Azure DevOps project failed; the other projects continue');
      }
    }

    if (full && failures.length === 0) {
      // Whatever the feed cannot tell (moved to another project, destroyed, left the WIQL scope)
      // the full list of ids in scope does.
      const present: string[] = [];
      try {
        for (const project of config.projects) {
          const { ids, windows } = await enumerateScope(api, project, config, highestId);
          log.debug({ project, ids: ids.length, windows }, 'Enumerated the scope with WIQL');
          for (const id of ids) present.push(String(id));
        }
        yield { ...mark(emptyPage()), cursor: null, reconciled: present, fullSyncDone: true };
      } catch (err) {
        if (err instanceof BudgetExceededError) throw err;
        failures.push(`scope check: ${errorMessage(err)}`);
        log.error({ error: errorMessage(err) }, 'Could not list the items in scope; removals are checked on the next full sync');
      }
    }
    if (failures.length > 0) {
      throw new ExternalHostError(failures.join('; '), { kind: 'fatal' });
    }
  }

  return {
    id: config.id,
    kind: 'azure-devops',
    pull,
    writeBack: (nativeKey, change) => writeBackAzureDevOps({ api, config, log }, nativeKey, change),
    check: () => checkAzureDevOps({ api, config }),
  };
}

export const azureDevOpsConnector: ConnectorDefinition<AzureDevOpsSourceConfig> = {
  kind: 'azure-devops',
  description: 'Azure DevOps Boards (Services and Server): incremental via the reporting revisions feed, every process template, write-back',
  configSchema: AzureDevOpsSourceConfig,
  create: (config, deps) => createAzureDevOpsConnector(config, deps),
};
