import type { z } from 'zod';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/log.ts';
import type { Sprint, WorkItem, WorkItemInput } from './work-item.ts';

/** What the store remembers for one source between syncs. */
export interface SyncState {
  source: string;
  /** Opaque to the engine; the connector's own high-water mark (usually an `updated` instant). */
  watermark: string | null;
  /** Opaque resume point inside an unfinished sync (page token, continuation token). */
  cursor: string | null;
  lastFullSyncAt: string | null;
  lastSyncAt: string | null;
}

export interface PullRequest {
  state: SyncState;
  /** Ignore the watermark and take everything in scope again. */
  full: boolean;
  signal?: AbortSignal;
  /**
   * The stored copy of one of this source's items, read between pages (so it reflects every page
   * committed so far). Connectors whose feeds carry only new history (Azure DevOps revisions) merge
   * onto it.
   */
  previous?: (nativeKey: string) => WorkItem | undefined;
}

/** An item the connector could not turn into a valid WorkItem; kept with its error, never dropped. */
export interface QuarantinedPayload {
  nativeKey: string;
  error: string;
  payload: unknown;
}

/**
 * One page of a pull. The store commits a page's items, sprints, removals and the watermark/cursor
 * it advances in one transaction, so a crash between pages resumes with no gap and no duplicate.
 */
export interface PullPage {
  items: WorkItemInput[];
  quarantined: QuarantinedPayload[];
  sprints: Sprint[];
  /** Native keys that left the scope or were deleted at the source. */
  removed: string[];
  /** The watermark this page advances to, committed with its data. */
  watermark: string | null;
  cursor: string | null;
  /** HTTP requests this page cost. */
  requests: number;
  /**
   * When set, the pull enumerated every key in scope: stored items of this source that are not in
   * this list are marked removed.
   */
  reconciled?: string[];
  /** True on the page that finishes a full sync. */
  fullSyncDone?: boolean;
}

export type WriteBackField = 'estimate' | 'dueDate' | 'assignee' | 'acceptanceCriteria' | 'description' | 'priority' | 'labels' | 'comment';

export interface WriteBackChange {
  field: WriteBackField;
  value: string | number | string[] | null;
  /** Who asked for the change (Slack user), recorded at the source when it supports it. */
  actor?: string;
}

export interface WriteBackResult {
  ok: boolean;
  message: string;
}

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface Connector {
  readonly id: string;
  readonly kind: string;
  pull(request: PullRequest): AsyncIterable<PullPage>;
  writeBack?(nativeKey: string, change: WriteBackChange): Promise<WriteBackResult>;
  check(): Promise<DoctorCheck[]>;
}

export interface ConnectorDeps {
  clock: Clock;
  log: Logger;
}

/** The common keys of every `sources[]` entry; each connector's schema extends them. */
export interface SourceConfigBase {
  id: string;
  kind: string;
  since?: string | undefined;
}

/** A connector module: its config schema and a factory. Registered in `connectors/api.ts`. */
export interface ConnectorDefinition<C extends SourceConfigBase = SourceConfigBase> {
  kind: string;
  description: string;
  configSchema: z.ZodType<C>;
  create(config: C, deps: ConnectorDeps): Connector;
}
