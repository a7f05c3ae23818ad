import Database from 'better-sqlite3';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { prepareFinding, type PreparedFinding } from '../store/findings.ts';
import { createItemRepo } from '../store/items.ts';
import { errorMessage } from '../util/errors.ts';
import type { ObjectiveSpec } from './objective-match.ts';
import type { RulePlan } from './rule-config.ts';
import { cachedLookup, createRuleRunner, type RuleFailure } from './rule-runner.ts';
import { setupFromRecipe, type SetupRecipe } from './setup.ts';
import type { TypeMappingEntry } from './type-mapping.ts';

/**
 * A full evaluation's item pass split across threads. Each thread compiles the same rule setup
 * from its recipe, opens its own read-only connection, claims key ranges of the item table one at a
 * time and runs every rule's `item()`/`collect()` on them; what the rules report comes back to the
 * main thread, which owns every write. The main thread applies the threads' output in key-range
 * order, so the store sees findings, facts and rule errors in the order a one-thread pass makes them.
 */

/** Items per claimed range: small enough to balance two threads, large enough to cost nothing to hand out. */
export const PARALLEL_RANGE_ITEMS = 25_000;
/** Keys per claimed range for `total` items on `threads` threads: eight ranges per thread (a slow thread holds up little), at most `PARALLEL_RANGE_ITEMS`. */
export function rangeSize(total: number, threads: number): number {
  return Math.max(1, Math.min(PARALLEL_RANGE_ITEMS, Math.ceil(total / (threads * 8))));
}
/** Items per message a thread sends (a message per item costs more than the item). */
const BATCH_ITEMS = 1000;
/** How long the main thread sleeps between checks that its threads are still alive. */
const WAIT_MS = 2000;
/** Batches a thread may have posted that the main thread has not taken in yet (bounds the memory between them). */
const MAX_IN_FLIGHT = 8;
/** Signal slots (see `ItemPassInit.signal`). */
const { POSTED, CLAIM, APPLYING, TAKEN } = { POSTED: 0, CLAIM: 1, APPLYING: 2, TAKEN: 3 } as const;
/** Ranges a thread may run ahead of the one the main thread applies (their output waits in memory until then). */
const MAX_AHEAD = 2;
const THREAD_YOUNG_MB = 16;
// Rows per read on a thread: with a small young generation a chunk of 2,000 rows (≈3 MB of JSON) outlived
// scavenges and was promoted, which tripled garbage-collection time.
const THREAD_CHUNK_ROWS = 250;

/** What an item-pass thread starts with (structured-cloned into it). */
export interface ItemPassInit {
  path: string;
  recipe: SetupRecipe;
  /** `planFingerprint` of the main thread's setup: a thread whose compiled setup differs refuses to run. */
  fingerprint: string;
  nowMs: number;
  timezone: string;
  /** Range boundaries (see `items.keyBounds`). */
  bounds: string[];
  /**
   * [0]: messages posted (the main thread waits on it); [1]: the next range to claim; [2]: the next
   * range the main thread will apply; [3 + thread]: messages that thread posted and the main thread took in.
   */
  signal: SharedArrayBuffer;
  thread: number;
  /** One flag per library rule, set when the main thread applied that rule's `RuleAbort`. */
  aborts: SharedArrayBuffer;
  port: MessagePort;
}

/** What one batch of items produced, in the order the rules produced it. */
interface Batch {
  t: 'batch';
  range: number;
  /** The range's last batch. */
  last: boolean;
  /** The batch's item keys: facts and re-check instants refer to them by position, so each key crosses once. */
  keys: string[];
  findings: PreparedFinding[];
  /** Per aggregate visitor configuration: its facts as key position, fact, … in item order. */
  facts: Array<{ signature: string; entries: unknown[] }>;
  /** key position, instant, … */
  recheck: number[];
  /** With `at`: how many of `findings` came before the failure (the rule-error finding goes in between). */
  failures: Array<RuleFailure & { at: number }>;
}

type ThreadMessage = { t: 'ready' } | { t: 'failed'; message: string } | { t: 'finished' } | Batch;

/** How the main thread takes in a thread's output (called in key-range order). */
export interface ItemPassSink {
  finding(finding: PreparedFinding): void;
  /** `entries`: key position in `keys`, fact, … */
  facts(signature: string, entries: readonly unknown[], keys: readonly string[]): void;
  recheck(key: string, at: number): void;
  failure(failure: RuleFailure): void;
  /** After each applied batch: a chance to write what has accumulated. */
  batchDone(): void;
}

/** Identifies a compiled setup: every rule's configuration for a subject without overrides, type mapping, objectives. */
export function planFingerprint(plan: RulePlan, typeMapping: readonly TypeMappingEntry[], objectives: readonly ObjectiveSpec[]): string {
  return JSON.stringify([
    plan.library.map((r) => r.meta.id),
    plan.forSubject({ source: null, project: null, team: null }).map((e) => e.signature),
    typeMapping,
    objectives,
  ]);
}

export interface ParallelPassOptions {
  path: string;
  recipe: SetupRecipe;
  fingerprint: string;
  library: readonly string[];
  now: Date;
  timezone: string;
  threads: number;
  bounds: string[];
  sink: ItemPassSink;
}

/** Raised when the threads could not start (nothing was applied yet): the caller runs the pass itself. */
export class ThreadsUnavailable extends Error {
  override readonly name = 'ThreadsUnavailable';
}

/**
 * Runs the item pass on `threads` threads and applies their output through `sink`; returns the
 * number of items visited. Blocks the calling thread (an evaluation is synchronous); throws
 * `ThreadsUnavailable` before anything was applied, any other error once output was applied.
 */
export function runParallelItemPass(options: ParallelPassOptions): number {
  const { sink, bounds } = options;
  const ranges = bounds.length + 1;
  const signal = new Int32Array(new SharedArrayBuffer(4 * (TAKEN + options.threads)));
  const aborts = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, options.library.length)));
  const ruleIndex = new Map(options.library.map((id, i) => [id, i]));
  const threads: Array<{ worker: Worker; port: MessagePort; ready: boolean; finished: boolean }> = [];
  const stopAll = (): void => {
    for (const t of threads) {
      t.port.close();
      void t.worker.terminate();
    }
  };
  try {
    for (let i = 0; i < options.threads; i++) {
      const { port1, port2 } = new MessageChannel();
      const init: ItemPassInit = {
        path: options.path,
        recipe: options.recipe,
        fingerprint: options.fingerprint,
        nowMs: options.now.getTime(),
        timezone: options.timezone,
        bounds,
        signal: signal.buffer as SharedArrayBuffer,
        thread: i,
        aborts: aborts.buffer as SharedArrayBuffer,
        port: port2,
      };
      const worker = new Worker(new URL('./parallel-thread.ts', import.meta.url), {
        workerData: init,
        transferList: [port2],
        // A thread holds one batch at a time: a small young generation keeps it small (V8's default grew
        // to 128 MB per thread). The old generation keeps the default limit: a rule that looks items up
        // may need room, and running out would end the run.
        resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_MB },
      });
      worker.unref();
      threads.push({ worker, port: port1, ready: false, finished: false });
    }
  } catch (err) {
    stopAll();
    throw new ThreadsUnavailable(errorMessage(err));
  }

  let allReady = false;
  const early: Batch[] = [];
  const pending = new Map<number, Batch[]>();
  let next = 0;
  let items = 0;
  let goneOnce = false;

  const apply = (b: Batch): void => {
    items += b.keys.length;
    let f = 0;
    for (const { at, ...failure } of b.failures) {
      for (; f < at; f++) sink.finding(b.findings[f]!);
      sink.failure(failure);
      const index = ruleIndex.get(failure.ruleId);
      if (failure.abort && index !== undefined) Atomics.store(aborts, index, 1);
    }
    for (; f < b.findings.length; f++) sink.finding(b.findings[f]!);
    // Facts of several rules about one item held the same strings on the thread; copied across, each
    // came back separately. Sharing them again within the batch keeps the kept facts as small as on one thread.
    const strings = new Map<string, string>();
    for (const key of b.keys) strings.set(key, key);
    for (const { signature, entries } of b.facts) {
      for (let i = 1; i < entries.length; i += 2) entries[i] = share(entries[i], strings, SHARE_DEPTH);
      sink.facts(signature, entries, b.keys);
    }
    for (let i = 0; i < b.recheck.length; i += 2) sink.recheck(b.keys[b.recheck[i]!]!, b.recheck[i + 1]!);
    sink.batchDone();
    if (b.last) {
      next++;
      Atomics.store(signal, APPLYING, next);
      Atomics.notify(signal, APPLYING);
    }
  };
  const route = (b: Batch): void => {
    if (b.range !== next) {
      let list = pending.get(b.range);
      if (!list) pending.set(b.range, (list = []));
      list.push(b);
      return;
    }
    apply(b);
    // Ranges that finished while an earlier one was still running are applied now, in order.
    while (pending.has(next)) {
      const waiting = pending.get(next)!;
      pending.delete(next);
      const range = next;
      for (const w of waiting) apply(w);
      if (next === range) break;
    }
  };

  try {
    while (!threads.every((t) => t.finished)) {
      const posted = Atomics.load(signal, POSTED);
      let progressed = false;
      for (const [i, t] of threads.entries()) {
        for (let m = receiveMessageOnPort(t.port); m !== undefined; m = receiveMessageOnPort(t.port)) {
          progressed = true;
          Atomics.add(signal, TAKEN + i, 1);
          Atomics.notify(signal, TAKEN + i);
          const msg = m.message as ThreadMessage;
          if (msg.t === 'failed') {
            if (!allReady) throw new ThreadsUnavailable(msg.message);
            throw new Error(`an item-pass thread failed: ${msg.message}`);
          }
          if (msg.t === 'ready') {
            t.ready = true;
            if (threads.every((x) => x.ready)) {
              allReady = true;
              for (const b of early.splice(0)) route(b);
            }
          } else if (msg.t === 'finished') {
            t.finished = true;
          } else if (allReady) {
            route(msg);
          } else {
            early.push(msg);
          }
        }
      }
      if (progressed) {
        goneOnce = false;
        continue;
      }
      if (Atomics.wait(signal, POSTED, posted, WAIT_MS) === 'timed-out') {
        // A thread that ended without a word (killed, out of memory) would otherwise be waited on
        // forever. Seen gone twice with nothing received in between: its last messages were taken in.
        const dead = threads.some((t) => !t.finished && t.worker.threadId === -1);
        if (dead && goneOnce) {
          const why = 'an item-pass thread stopped without finishing';
          throw allReady ? new Error(why) : new ThreadsUnavailable(why);
        }
        goneOnce = dead;
      }
    }
    if (next !== ranges) throw new Error(`item-pass threads left ${ranges - next} of ${ranges} key ranges unapplied`);
    return items;
  } finally {
    stopAll();
  }
}

/** The body of an item-pass thread (see `parallel-thread.ts`). */
export function itemPassThread(init: ItemPassInit, postMessage: (message: ThreadMessage) => void): void {
  const signal = new Int32Array(init.signal);
  const taken = TAKEN + init.thread;
  let posted = 0;
  const post = (message: ThreadMessage): void => {
    postMessage(message);
    posted++;
    // Wait while the main thread is behind: its queue would otherwise hold the whole portfolio's output.
    for (let seen = Atomics.load(signal, taken); posted - seen > MAX_IN_FLIGHT; seen = Atomics.load(signal, taken)) Atomics.wait(signal, taken, seen, WAIT_MS);
  };
  const setup = setupFromRecipe(init.recipe);
  const fingerprint = planFingerprint(setup.plan, setup.typeMapping, setup.objectives);
  if (fingerprint !== init.fingerprint) throw new Error('the rule setup compiled on this thread differs from the main thread\'s');
  const db = new Database(init.path, { readonly: true, fileMustExist: true });
  try {
    const items = createItemRepo(db);
    const aborts = new Int32Array(init.aborts);
    const library = setup.plan.library.map((r) => r.meta.id);
    const lookup = cachedLookup({ get: (key) => items.getLive(key), sprint: (key) => items.sprint(key) }, new Map());
    const aborted = new Set<string>();
    let batch = emptyBatch(0);
    const factSinks = new Map<string, { set(key: string, fact: unknown): void }>();
    let batchFacts = new Map<string, unknown[]>();
    const runner = createRuleRunner({
      plan: setup.plan,
      typeMapping: setup.typeMapping,
      now: new Date(init.nowMs),
      timezone: init.timezone,
      objectives: setup.objectives,
      lookup,
      aborted,
      report: (f) => batch.findings.push(prepareFinding(f)),
      fail: (failure) => {
        if (failure.abort) aborted.add(failure.ruleId);
        batch.failures.push({ ...failure, at: batch.findings.length });
      },
      factsFor: (signature) => {
        let sink = factSinks.get(signature);
        if (!sink) {
          sink = {
            set: (_key, fact) => {
              let entries = batchFacts.get(signature);
              if (!entries) batchFacts.set(signature, (entries = []));
              entries.push(batch.keys.length - 1, fact);
            },
          };
          factSinks.set(signature, sink);
        }
        return sink;
      },
      recheck: (_key, at) => batch.recheck.push(batch.keys.length - 1, at),
    });
    const send = (last: boolean): void => {
      batch.last = last;
      for (const [signature, entries] of batchFacts) batch.facts.push({ signature, entries });
      post(batch);
      batch = emptyBatch(batch.range);
      batchFacts = new Map();
      // Rules another thread stopped are stopped here too, from the next batch on.
      for (let i = 0; i < library.length; i++) if (Atomics.load(aborts, i) === 1) aborted.add(library[i]!);
    };
    post({ t: 'ready' });
    for (let range = Atomics.add(signal, CLAIM, 1); range <= init.bounds.length; range = Atomics.add(signal, CLAIM, 1)) {
      for (let applying = Atomics.load(signal, APPLYING); range - applying > MAX_AHEAD; applying = Atomics.load(signal, APPLYING)) {
        Atomics.wait(signal, APPLYING, applying, WAIT_MS);
      }
      batch = emptyBatch(range);
      const after = range === 0 ? '' : init.bounds[range - 1]!;
      const through = range < init.bounds.length ? init.bounds[range]! : null;
      for (const item of items.iterate({}, THREAD_CHUNK_ROWS, { after, through })) {
        batch.keys.push(item.key);
        runner.visitItem(item);
        if (batch.keys.length >= BATCH_ITEMS) send(false);
      }
      send(true);
    }
    post({ t: 'finished' });
  } finally {
    db.close();
  }
}

/** How deep into a fact `share` looks (facts are small: an item reference holds a person, a list holds keys). */
const SHARE_DEPTH = 3;

/** `value` with its strings replaced by equal ones already in `strings` (plain objects and arrays, `depth` levels). */
function share(value: unknown, strings: Map<string, string>, depth: number): unknown {
  if (typeof value === 'string') {
    const known = strings.get(value);
    if (known !== undefined) return known;
    strings.set(value, value);
    return value;
  }
  if (depth === 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = share(value[i], strings, depth - 1);
    return value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const record = value as Record<string, unknown>;
  for (const k in record) record[k] = share(record[k], strings, depth - 1);
  return value;
}

function emptyBatch(range: number): Batch {
  return { t: 'batch', range, last: false, keys: [], findings: [], facts: [], recheck: [], failures: [] };
}
