/**
 * The facts aggregate rules keep per item (`RuleVisitor.collect`), for every rule configuration: one
 * index of item keys shared by all configurations and a column of values per configuration.
 *
 * A map per configuration held each item key once per rule: at 1M items, eight maps of a million
 * entries cost ~300 MB and most of the main thread's time in a parallel run went into their inserts
 * (each a few cache misses). Here an item costs one index entry and a slot in each column.
 */
export class FactTable implements Iterable<[string, FactColumn]> {
  readonly #slots = new Map<string, number>();
  readonly #keys: string[] = [];
  readonly #columns = new Map<string, FactColumn>();
  #lastKey: string | undefined;
  #lastSlot = -1;

  /** The slot of an item, created on first use (a slot is kept when its item's facts are forgotten). */
  slot(key: string): number {
    if (key === this.#lastKey) return this.#lastSlot;
    let slot = this.#slots.get(key);
    if (slot === undefined) {
      slot = this.#keys.length;
      this.#slots.set(key, slot);
      this.#keys.push(key);
    }
    this.#lastKey = key;
    this.#lastSlot = slot;
    return slot;
  }

  /** The slot of an item, if it ever had one. */
  existing(key: string): number | undefined {
    return key === this.#lastKey ? this.#lastSlot : this.#slots.get(key);
  }

  keyAt(slot: number): string {
    return this.#keys[slot]!;
  }

  /** The column of one rule configuration (created empty on first use). */
  column(signature: string): FactColumn {
    let column = this.#columns.get(signature);
    if (!column) this.#columns.set(signature, (column = new FactColumn(this)));
    return column;
  }

  /** The column of one rule configuration, if it has one. */
  get(signature: string): FactColumn | undefined {
    return this.#columns.get(signature);
  }

  /** Drops every fact kept about `key`, after handing each to `before` (signature, old fact); returns its slot. */
  forget(key: string, before?: (signature: string, fact: unknown) => void): number | undefined {
    const slot = this.existing(key);
    if (slot === undefined) return undefined;
    for (const [signature, column] of this.#columns) {
      const old = column.at(slot);
      if (old === undefined) continue;
      before?.(signature, old);
      column.clear(slot);
    }
    return slot;
  }

  [Symbol.iterator](): IterableIterator<[string, FactColumn]> {
    return this.#columns.entries();
  }

  values(): IterableIterator<FactColumn> {
    return this.#columns.values();
  }
}

/** One configuration's facts, readable as a map from item key to fact (in the order items first got a slot). */
export class FactColumn implements ReadonlyMap<string, unknown> {
  readonly #table: FactTable;
  readonly #values: unknown[];
  #size = 0;

  constructor(table: FactTable) {
    this.#table = table;
    this.#values = [];
  }

  at(slot: number): unknown {
    return this.#values[slot];
  }

  setAt(slot: number, fact: unknown): void {
    const values = this.#values;
    // Grown up to the slot with undefined, never written past its end: a sparse array turns into a slow dictionary.
    while (values.length < slot) values.push(undefined);
    if (values[slot] === undefined) this.#size++;
    values[slot] = fact;
  }

  clear(slot: number): void {
    if (this.#values[slot] === undefined) return;
    this.#size--;
    this.#values[slot] = undefined;
  }

  set(key: string, fact: unknown): this {
    this.setAt(this.#table.slot(key), fact);
    return this;
  }

  get size(): number {
    return this.#size;
  }

  get(key: string): unknown {
    const slot = this.#table.existing(key);
    return slot === undefined ? undefined : this.#values[slot];
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  *entries(): MapIterator<[string, unknown]> {
    const values = this.#values;
    for (let slot = 0; slot < values.length; slot++) {
      const fact = values[slot];
      if (fact !== undefined) yield [this.#table.keyAt(slot), fact];
    }
  }

  *keys(): MapIterator<string> {
    const values = this.#values;
    for (let slot = 0; slot < values.length; slot++) if (values[slot] !== undefined) yield this.#table.keyAt(slot);
  }

  *values(): MapIterator<unknown> {
    const values = this.#values;
    for (let slot = 0; slot < values.length; slot++) {
      const fact = values[slot];
      if (fact !== undefined) yield fact;
    }
  }

  forEach(callback: (value: unknown, key: string, map: ReadonlyMap<string, unknown>) => void): void {
    const values = this.#values;
    for (let slot = 0; slot < values.length; slot++) {
      const fact = values[slot];
      if (fact !== undefined) callback(fact, this.#table.keyAt(slot), this);
    }
  }

  [Symbol.iterator](): MapIterator<[string, unknown]> {
    return this.entries();
  }
}

/**
 * Per item (by its slot in a `FactTable`): the earliest instant (epoch ms) its verdicts may change
 * although it does not. An array of numbers rather than a map of a million keys, for the same reasons.
 */
export class RecheckTimes implements Iterable<[string, number]> {
  readonly #table: FactTable;
  #at = new Float64Array(0);
  #from = Number.POSITIVE_INFINITY;

  constructor(table: FactTable) {
    this.#table = table;
  }

  /** No instant kept is earlier than this (a run before it has nothing to re-check). */
  get from(): number {
    return this.#from;
  }

  /** Keeps `at` for the item unless an earlier instant is kept already. */
  set(slot: number, at: number): void {
    if (slot >= this.#at.length) {
      const grown = new Float64Array(Math.max(1024, this.#at.length * 2, slot + 1)).fill(Number.POSITIVE_INFINITY);
      grown.set(this.#at);
      this.#at = grown;
    }
    if (at < this.#at[slot]!) this.#at[slot] = at;
    if (at < this.#from) this.#from = at;
  }

  clear(slot: number): void {
    if (slot < this.#at.length) this.#at[slot] = Number.POSITIVE_INFINITY;
  }

  /**
   * The keys of items whose instant has come (by `now`); the earliest instant after `now` becomes
   * `from` (the items yielded report their next instants when they are visited again).
   */
  *due(now: number): Generator<string> {
    if (this.#from > now) return;
    let earliest = Number.POSITIVE_INFINITY;
    const at = this.#at;
    for (let slot = 0; slot < at.length; slot++) {
      const instant = at[slot]!;
      if (instant > now) {
        if (instant < earliest) earliest = instant;
        continue;
      }
      yield this.#table.keyAt(slot);
    }
    this.#from = earliest;
  }

  /** Every item with an instant, in slot order. */
  *[Symbol.iterator](): Generator<[string, number]> {
    const at = this.#at;
    for (let slot = 0; slot < at.length; slot++) if (at[slot] !== Number.POSITIVE_INFINITY) yield [this.#table.keyAt(slot), at[slot]!];
  }

  get size(): number {
    let n = 0;
    for (const instant of this.#at) if (instant !== Number.POSITIVE_INFINITY) n++;
    return n;
  }
}
