import { WorkItem, itemKey } from '../model/work-item.ts';
import type { Connector, PullPage, QuarantinedPayload, SyncState } from '../model/connector.ts';
import type { Store } from '../store/index.ts';
import type { Clock } from '../util/clock.ts';
import { errorMessage } from '../util/errors.ts';
import type { Logger } from '../util/log.ts';

/** `sync --json` per source (contract: fields may be added, never renamed). */
export interface SourceSyncResult {
  source: string;
  kind: string;
  fetched: number;
  upserted: number;
  removed: number;
  quarantined: number;
  requests: number;
  pages: number;
  full: boolean;
  seconds: number;
  ok: boolean;
  error: string | null;
}

export interface SyncOptions {
  full?: boolean;
  signal?: AbortSignal | undefined;
}

/**
 * Pulls one source into the store. Each page is validated outside the transaction, then its items,
 * sprints, quarantined payloads, removals and the watermark/cursor it advances commit together.
 */
export async function syncSource(
  connector: Connector,
  deps: { store: Store; clock: Clock; log: Logger },
  options: SyncOptions = {},
): Promise<SourceSyncResult> {
  const { store, clock } = deps;
  const log = deps.log.child({ source: connector.id });
  const started = performance.now();
  const full = options.full === true;
  const result: SourceSyncResult = {
    source: connector.id,
    kind: connector.kind,
    fetched: 0,
    upserted: 0,
    removed: 0,
    quarantined: 0,
    requests: 0,
    pages: 0,
    full,
    seconds: 0,
    ok: true,
    error: null,
  };
  let state: SyncState = store.syncState(connector.id);
  // A forced full sync starts over; an interrupted one resumes from its cursor.
  if (full) state = { ...state, watermark: null, cursor: null };
  const previous = (nativeKey: string): WorkItem | undefined => store.items.get(itemKey(connector.id, nativeKey));
  const request = options.signal ? { state, full, previous, signal: options.signal } : { state, full, previous };

  try {
    for await (const page of connector.pull(request)) {
      const { items, quarantined } = validatePage(connector, page);
      const now = clock.now().toISOString();
      state = store.transaction(() => commitPage(store, connector.id, page, items, quarantined, state, now, result));
      result.pages++;
      result.requests += page.requests;
      result.fetched += page.items.length + page.quarantined.length;
      for (const q of quarantined) log.warn({ item: q.nativeKey, error: q.error }, 'Item failed validation; quarantined');
      if (options.signal?.aborted) {
        log.info({ pages: result.pages }, 'Sync stopped between pages; it resumes from here next time');
        break;
      }
    }
  } catch (err) {
    result.ok = false;
    result.error = errorMessage(err);
    log.error({ error: result.error, pages: result.pages }, 'Sync failed; what was committed stays and the next sync resumes');
  }
  result.seconds = Number(((performance.now() - started) / 1000).toFixed(3));
  return result;
}

function commitPage(
  store: Store,
  source: string,
  page: PullPage,
  items: WorkItem[],
  quarantined: QuarantinedPayload[],
  state: SyncState,
  now: string,
  result: SourceSyncResult,
): SyncState {
  store.items.upsert(items, now);
  store.items.upsertSprints(page.sprints);
  for (const q of quarantined) store.items.quarantine(source, q.nativeKey, q.error, q.payload, now);
  result.upserted += items.length;
  result.quarantined += quarantined.length;
  result.removed += store.items.markRemoved(source, page.removed, now);
  if (page.reconciled) result.removed += store.items.reconcile(source, page.reconciled, now);
  const next: SyncState = {
    source,
    watermark: page.watermark ?? state.watermark,
    cursor: page.cursor,
    lastFullSyncAt: page.fullSyncDone ? now : state.lastFullSyncAt,
    lastSyncAt: now,
  };
  store.putSyncState(next);
  return next;
}

/** Items that fail the WorkItem schema (or claim another source) join the page's quarantine. */
function validatePage(connector: Connector, page: PullPage): { items: WorkItem[]; quarantined: QuarantinedPayload[] } {
  const items: WorkItem[] = [];
  const quarantined = [...page.quarantined];
  for (const raw of page.items) {
    const parsed = WorkItem.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? issue.path.join('.') : '(item)';
      quarantined.push({ nativeKey: nativeKeyOf(raw), error: `${where}: ${issue?.message ?? 'invalid'}`, payload: raw });
      continue;
    }
    if (parsed.data.source !== connector.id) {
      quarantined.push({ nativeKey: parsed.data.nativeKey, error: `source is "${parsed.data.source}", expected "${connector.id}"`, payload: raw });
      continue;
    }
    // The store finds an item, marks it removed and reconciles by this key.
    const key = itemKey(connector.id, parsed.data.nativeKey);
    if (parsed.data.key !== key) {
      quarantined.push({ nativeKey: parsed.data.nativeKey, error: `key is "${parsed.data.key}", expected "${key}"`, payload: raw });
      continue;
    }
    items.push(parsed.data);
  }
  return { items, quarantined };
}

function nativeKeyOf(raw: unknown): string {
  if (raw && typeof raw === 'object' && 'nativeKey' in raw && typeof raw.nativeKey === 'string' && raw.nativeKey) return raw.nativeKey;
  return `unknown-${Math.abs(hash(JSON.stringify(raw) ?? ''))}`;
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}
