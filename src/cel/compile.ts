import type { ParseResult } from '@marcbachmann/cel-js';
import type { WorkItem } from '../model/work-item.ts';
import { ITEM_PRESENT, ITEM_VIEW, celItem, type CelDay } from './environment.ts';

/**
 * Compiles the common subset of custom-rule CEL to plain JS closures, so that evaluating a rule does
 * not walk cel-js's tree and resolve operator overloads on every item.
 *
 * The interpreter stays the reference: a compiled expression must give exactly its result. Where
 * the compiled code meets something it does not model exactly (a value type, an operator/type
 * combination), it throws BAIL and the interpreter evaluates the whole expression instead; where it
 * knows the interpreter fails too, it throws FAIL, which `&&`, `||`, `exists` and `all` absorb
 * exactly as the interpreter absorbs errors. Any throw reaching the top re-runs the interpreter,
 * so an error (and its message, which becomes a rule-error finding) is always the interpreter's.
 * Expressions with nodes outside the subset are not compiled at all.
 *
 * Semantics mirrored here are those of @marcbachmann/cel-js 8 (lib/operators.js, overloads.js,
 * functions.js, macros.js, registry.js) for an `item` declared `map<string, dyn>`.
 */

/** The interpreter fails here too (absorbable like any CEL error). */
const FAIL: unique symbol = Symbol('cel-fail');
/** Compiled code does not know: the interpreter redoes the whole evaluation (never absorbed). */
const BAIL: unique symbol = Symbol('cel-bail');
/** A memoised field the item does not have. */
const ABSENT: unique symbol = Symbol('absent');

/** One item as expressions see it; reused across the custom rules that judge the same item. */
export class CelScope {
  item!: WorkItem;
  classes: readonly string[] = [];
  readonly day: CelDay;
  #context: { item: Record<string, unknown> } | undefined;
  /** Converted fields (timestamps, sprint) by ITEM_VIEW index, so rules reading one share it. */
  memo: unknown[] | undefined;

  constructor(day: CelDay) {
    this.day = day;
  }

  reset(item: WorkItem, classes: readonly string[]): void {
    this.item = item;
    this.classes = classes;
    this.#context = undefined;
    this.memo = undefined;
  }

  /** The interpreter's context: the item as a CEL map, built on first use. */
  context(): { item: Record<string, unknown> } {
    return (this.#context ??= { item: celItem(this.item, this.classes, this.day) });
  }
}

export type CelEvaluator = (scope: CelScope) => unknown;

/** A compiled node: the value of its subexpression for the scope's item. */
type Fn = (s: CelScope) => unknown;

/** The runtime shape of cel-js's AST nodes (its typings leave out the checker's annotations). */
interface AstNode {
  op: string;
  args: unknown;
  checkedType?: TypeDecl;
  meta: { macro?: { macroHasProps?: AstNode[] }; alternate?: AstNode };
}
interface TypeDecl {
  kind: string;
  name: string;
}
interface Comprehension {
  kind?: string;
  errorsAreFatal: boolean;
  iterable: AstNode;
  iterVarName: string;
  iterCtx?: { iterType?: TypeDecl };
}

/** An iteration variable of `exists`/`all`, bound while its predicate runs. */
interface Cell {
  name: string;
  value: unknown;
}

const hasOwn = Object.hasOwn;
const MAX_INT = 9223372036854775807n;
const MIN_INT = -9223372036854775808n;
const VIEW_INDEX = new Map(ITEM_VIEW.map(([name], i) => [name, i]));
/** Fields whose CEL value is built (timestamps, maps): memoised per item, and has() does not build them. */
const BUILT = new Set(Object.keys(ITEM_PRESENT));

/**
 * The evaluator for a parsed expression: compiled when it can be, the interpreter otherwise.
 * `compiled` says which (for tests and diagnostics).
 */
export function compileExpression(parsed: ParseResult, functions: Readonly<Record<string, (t: Date) => bigint>>): CelEvaluator & { compiled: boolean } {
  const interpret = (s: CelScope): unknown => parsed(s.context());
  let fn: Fn | null = null;
  // The checker annotates the AST with the static types the compiler needs (and the interpreter would check on first use anyway).
  if (parsed.check().valid) {
    try {
      fn = compileNode(parsed.ast as unknown as AstNode, [], functions);
    } catch {
      fn = null;
    }
  }
  if (fn === null) return Object.assign(interpret, { compiled: false });
  const compiled = fn;
  const run = (s: CelScope): unknown => {
    try {
      return compiled(s);
    } catch {
      // FAIL, BAIL or anything unexpected: the interpreter gives the exact value or error.
      return interpret(s);
    }
  };
  return Object.assign(run, { compiled: true });
}

/** Throws BAIL unless `v` is a value the compiled code models: string, double, int, bool, null, map, list, timestamp. */
function known(v: unknown): void {
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'bigint':
    case 'boolean':
      return;
    case 'object': {
      if (v === null) return;
      // cel-js dispatches on `.constructor` (an own property can shadow it), so we do too.
      const c = (v as { constructor?: unknown }).constructor;
      if (c === Object || c === Array || c === Date || c === undefined) return;
    }
  }
  throw BAIL;
}

/** A table entry by name, never one inherited from Object.prototype (`toString`, `constructor`). */
function own<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return hasOwn(table, name) ? table[name] : undefined;
}

function isMap(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const c = (v as { constructor?: unknown }).constructor;
  return c === Object || c === undefined;
}

function isList(v: unknown): v is unknown[] {
  return typeof v === 'object' && v !== null && (v as { constructor?: unknown }).constructor === Array;
}

function isTime(v: unknown): v is Date {
  return typeof v === 'object' && v !== null && (v as { constructor?: unknown }).constructor === Date;
}

/** BAILs unless cel-js's deep runtime type of `v` (first element of lists, first entry of maps) is computable. */
function deepKnown(v: unknown): void {
  known(v);
  if (isList(v)) {
    if (v[0] !== undefined) deepKnown(v[0]);
  } else if (isMap(v)) {
    for (const key in v) {
      deepKnown(v[key]);
      return;
    }
  }
}

/**
 * `left.key` on a runtime value (cel-js `fieldAccess` / map `field`): only maps have fields; a null,
 * a list or a primitive has none, like an absent key.
 */
function select(left: unknown, key: string): unknown {
  const v = lazyField(left, key);
  if (v === undefined) throw FAIL;
  return v;
}

/** The value of a field of the item itself, read from the WorkItem (no CEL map built); undefined when absent. */
function rootReader(name: string): ((s: CelScope) => unknown) | null {
  const index = VIEW_INDEX.get(name);
  if (index === undefined) return null;
  const read = ITEM_VIEW[index]![1];
  if (!BUILT.has(name)) return (s) => read(s.item, s.classes, s.day);
  return (s) => {
    const memo = (s.memo ??= []);
    let v = memo[index];
    if (v === undefined) {
      v = read(s.item, s.classes, s.day);
      memo[index] = v === undefined ? ABSENT : v;
    }
    return v === ABSENT ? undefined : v;
  };
}

/** `item.<name>`: an absent field is an error. */
function rootField(name: string): Fn {
  const read = rootReader(name);
  return (s) => {
    const v = read === null ? undefined : read(s);
    if (v === undefined) throw FAIL;
    known(v);
    return v;
  };
}

/** `has(item.<name>)`. */
function rootHas(name: string): Fn {
  const present = own(ITEM_PRESENT, name);
  if (present !== undefined) return (s) => present(s.item);
  const read = rootReader(name);
  if (read === null) return () => false;
  return (s) => read(s) !== undefined;
}

function isRoot(node: AstNode, scope: readonly Cell[]): boolean {
  return node.op === 'id' && node.args === 'item' && !scope.some((c) => c.name === 'item') && node.meta.alternate === undefined;
}

/** Static types compiled field access accepts on its left: dyn, or the item map. */
function selectable(node: AstNode): boolean {
  const t = node.checkedType;
  return t !== undefined && (t.kind === 'dyn' || (t.kind === 'map' && t.name === 'map<string, dyn>'));
}

class Unsupported extends Error {}

function unsupported(what: string): never {
  throw new Unsupported(what);
}

function compileNode(node: AstNode, scope: readonly Cell[], functions: Readonly<Record<string, (t: Date) => bigint>>): Fn {
  const c = (n: AstNode, inner: readonly Cell[] = scope): Fn => compileNode(n, inner, functions);
  const operands = (n: AstNode): [Fn, Fn] => (n.args as [AstNode, AstNode]).map((a) => c(a)) as [Fn, Fn];
  if (node.meta.macro !== undefined) return compileHas(node, scope);
  if (node.meta.alternate !== undefined) return compileQuantifier(node, scope, functions);
  switch (node.op) {
    case 'value': {
      const v = node.args;
      if (v !== null && typeof v === 'object') unsupported('bytes or uint literal');
      return () => v;
    }
    case 'id': {
      const name = node.args as string;
      for (let i = scope.length - 1; i >= 0; i--) {
        const cell = scope[i]!;
        if (cell.name === name) return () => cell.value;
      }
      if (name !== 'item') unsupported(`variable ${name}`);
      return (s) => s.context().item;
    }
    case '.': {
      const [left, key] = node.args as [AstNode, string];
      if (!selectable(left)) unsupported('field of a non-map');
      if (isRoot(left, scope)) return rootField(key);
      const l = c(left);
      return (s) => select(l(s), key);
    }
    case '[]': {
      const [left, index] = node.args as [AstNode, AstNode];
      if (!selectable(left)) unsupported('index of a non-map');
      if (isRoot(left, scope) && index.op === 'value' && typeof index.args === 'string') return rootField(index.args);
      const l = c(left);
      const r = c(index);
      return (s) => {
        const obj = l(s);
        const key = r(s);
        if (typeof key === 'string') return select(obj, key);
        if (typeof key === 'bigint' && isList(obj)) {
          const v = obj[Number(key)];
          if (v === undefined) throw FAIL;
          known(v);
          return v;
        }
        throw BAIL;
      };
    }
    case '&&':
    case '||': {
      const [left, right] = node.args as [AstNode, AstNode];
      return logical(node.op === '&&' ? false : true, c(left), c(right));
    }
    case '!_': {
      const a = c(node.args as AstNode);
      return (s) => {
        const v = a(s);
        if (typeof v === 'boolean') return !v;
        known(v);
        throw FAIL;
      };
    }
    case '-_': {
      const a = c(node.args as AstNode);
      return (s) => {
        const v = a(s);
        if (typeof v === 'bigint') return -v;
        if (typeof v === 'number') return -v;
        known(v);
        throw FAIL;
      };
    }
    case '?:': {
      const [cond, yes, no] = (node.args as AstNode[]).map((n) => c(n)) as [Fn, Fn, Fn];
      return (s) => {
        const v = cond(s);
        if (v === true) return yes(s);
        if (v === false) return no(s);
        throw FAIL;
      };
    }
    case '==':
    case '!=': {
      const [l, r] = operands(node);
      return node.op === '==' ? (s) => equal(l(s), r(s)) : (s) => !equal(l(s), r(s));
    }
    case '<':
    case '<=':
    case '>':
    case '>=':
      return relation(node.op, ...operands(node));
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return arithmetic(node.op, ...operands(node));
    case 'in': {
      const [left, right] = node.args as [AstNode, AstNode];
      return membership(c(left), right, c(right));
    }
    case 'list': {
      const elements = (node.args as AstNode[]).map((n) => c(n));
      return (s) => elements.map((e) => e(s));
    }
    case 'call': {
      const [name, args] = node.args as [string, AstNode[]];
      return compileCall(name, null, args.map((n) => c(n)), functions);
    }
    case 'rcall': {
      const [name, receiver, args] = node.args as [string, AstNode, AstNode[]];
      return compileCall(name, c(receiver), args.map((n) => c(n)), functions);
    }
    default:
      return unsupported(`operator ${node.op}`);
  }
}

/** `f(s)`, or FAIL where the interpreter fails too (an error CEL may absorb); BAIL and anything unexpected go on up. */
function attempt(f: Fn, s: CelScope): unknown {
  try {
    return f(s);
  } catch (e) {
    if (e !== FAIL) throw e;
    return FAIL;
  }
}

/**
 * `&&` (absorbing = false) and `||` (absorbing = true). Like cel-js: an error or non-bool on the
 * left is remembered, the right decides; `false && <error>` and `<error> && false` are both false.
 */
function logical(absorbing: boolean, l: Fn, r: Fn): Fn {
  return (s) => {
    const lv = attempt(l, s);
    if (lv === absorbing) return absorbing;
    if (lv === !absorbing) {
      const rv = r(s);
      if (typeof rv === 'boolean') return rv;
      throw FAIL;
    }
    if (lv !== FAIL) known(lv);
    if (r(s) === absorbing) return absorbing;
    throw FAIL;
  };
}

/** `==` for dyn operands (cel-js overloads, else its strict-equality fallback). */
function equal(a: unknown, b: unknown): boolean {
  const ta = typeof a;
  const tb = typeof b;
  if (ta !== 'object' && tb !== 'object') {
    if (ta === tb) return a === b;
    // int == double compares numerically; other mixed primitives are simply unequal.
    // eslint-disable-next-line eqeqeq
    if ((ta === 'bigint' && tb === 'number') || (ta === 'number' && tb === 'bigint')) return (a as number) == (b as number);
    known(a);
    known(b);
    return false;
  }
  known(a);
  known(b);
  if (a === null) return b === null || !(isList(b) || isMap(b)) ? a === b : bail();
  if (b === null) return isList(a) || isMap(a) ? bail() : false;
  if (isTime(a)) {
    if (isTime(b)) return a.getTime() === b.getTime();
    if (typeof b !== 'object') return false;
  } else if (isTime(b) && typeof a !== 'object') return false;
  // Lists and maps compare deeply, with their own typing rules: the interpreter does that.
  return bail();
}

function bail(): never {
  throw BAIL;
}

function isNumeric(t: string): boolean {
  return t === 'number' || t === 'bigint';
}

const RELATIONS: Record<string, (a: never, b: never) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/** `<`, `<=`, `>`, `>=`: cel-js has overloads for same-type strings and bools, numbers (int and double mixed) and timestamps. */
function relation(op: string, l: Fn, r: Fn): Fn {
  const test = RELATIONS[op] as (a: unknown, b: unknown) => boolean;
  return (s) => {
    const a = l(s);
    const b = r(s);
    const ta = typeof a;
    const tb = typeof b;
    if (ta === tb ? ta === 'string' || ta === 'boolean' || isNumeric(ta) : isNumeric(ta) && isNumeric(tb)) return test(a, b);
    known(a);
    known(b);
    if (isTime(a) && isTime(b)) return test(a.getTime(), b.getTime());
    throw FAIL;
  };
}

function checkInt(v: bigint): bigint {
  if (v <= MAX_INT && v >= MIN_INT) return v;
  throw FAIL;
}

/** Arithmetic on ints (with cel-js's overflow and zero checks), doubles and string `+`; lists and timestamps go to the interpreter. */
function arithmetic(op: string, l: Fn, r: Fn): Fn {
  return (s) => {
    const a = l(s);
    const b = r(s);
    if (typeof a === 'bigint' && typeof b === 'bigint') {
      switch (op) {
        case '+':
          return checkInt(a + b);
        case '-':
          return checkInt(a - b);
        case '*':
          return checkInt(a * b);
        case '/':
          if (b === 0n) throw FAIL;
          return a / b;
        default:
          if (b === 0n) throw FAIL;
          return a % b;
      }
    }
    if (typeof a === 'number' && typeof b === 'number') {
      switch (op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return a / b;
        default:
          throw FAIL;
      }
    }
    if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
    known(a);
    known(b);
    if (isList(a) || isList(b) || isTime(a) || isTime(b)) throw BAIL;
    throw FAIL;
  };
}

/** `x in list` (cel-js equality per element, no error on mixed types) and `key in map`. */
function membership(l: Fn, rightNode: AstNode, r: Fn): Fn {
  const literals = rightNode.op === 'list' && (rightNode.args as AstNode[]).every((n) => n.op === 'value' && typeof n.args === 'string');
  if (literals) {
    const set = new Set((rightNode.args as AstNode[]).map((n) => n.args as string));
    return (s) => {
      const a = l(s);
      if (typeof a === 'string') return set.has(a);
      // A number or bool never equals a string element.
      if (typeof a === 'number' || typeof a === 'bigint' || typeof a === 'boolean') return false;
      throw BAIL;
    };
  }
  return (s) => {
    const a = l(s);
    const b = r(s);
    if (isList(b)) {
      deepKnown(b);
      switch (typeof a) {
        case 'string':
        case 'boolean':
          return b.includes(a);
        case 'number':
        case 'bigint':
          for (const v of b) {
            // eslint-disable-next-line eqeqeq
            if (v === a || ((typeof v === 'number' || typeof v === 'bigint') && typeof v !== typeof a && v == a)) return true;
          }
          return false;
        default:
          throw BAIL;
      }
    }
    if (isMap(b)) {
      deepKnown(b);
      if (typeof a !== 'string') throw BAIL;
      return hasOwn(b, a) ? b[a] !== undefined : false;
    }
    known(a);
    known(b);
    throw FAIL;
  };
}

/** `has(item.a.b)`: absent last field is false; an absent field before it is an error (cel-js). */
function compileHas(node: AstNode, scope: readonly Cell[]): Fn {
  const props = node.meta.macro?.macroHasProps;
  if (node.op !== 'call' || (node.args as [string])[0] !== 'has' || props === undefined) return unsupported('macro');
  // props: outermost selection first, the variable last.
  const rootNode = props[props.length - 1]!;
  const chain = props.slice(0, -1).reverse();
  if (chain.some((n) => n.op !== '.')) unsupported('optional selection in has()');
  const keys = chain.map((n) => (n.args as [AstNode, string])[1]);
  let start: Fn;
  let rest = keys;
  if (isRoot(rootNode, scope)) {
    if (keys.length === 1) return rootHas(keys[0]!);
    start = rootField(keys[0]!);
    rest = keys.slice(1);
    // An absent first field is an error when more follow.
  } else {
    start = compileNode(rootNode, scope, {});
  }
  return (s) => {
    let obj = start(s);
    for (let i = 0; i < rest.length; i++) {
      obj = lazyField(obj, rest[i]!);
      if (obj === undefined) {
        if (i < rest.length - 1) throw FAIL;
        return false;
      }
    }
    return true;
  };
}

/** cel-js `fieldLazy` for the runtime type of `obj`: undefined when absent. */
function lazyField(obj: unknown, key: string): unknown {
  if (isMap(obj)) {
    const v = hasOwn(obj, key) ? obj[key] : undefined;
    if (v !== undefined) known(v);
    return v;
  }
  if (obj === null || isList(obj)) return undefined;
  switch (typeof obj) {
    case 'string':
    case 'number':
    case 'bigint':
    case 'boolean':
      return undefined;
  }
  throw BAIL;
}

/** `list.exists(x, p)` and `list.all(x, p)`: errors are absorbed when another element decides. */
function compileQuantifier(node: AstNode, scope: readonly Cell[], functions: Readonly<Record<string, (t: Date) => bigint>>): Fn {
  const alt = node.meta.alternate!;
  if (node.op !== 'rcall' || alt.op !== 'comprehension') return unsupported('macro');
  const [name, receiver, args] = node.args as [string, AstNode, AstNode[]];
  const comp = alt.args as Comprehension;
  if ((name !== 'exists' && name !== 'all') || comp.kind !== 'quantifier' || comp.errorsAreFatal || args.length !== 2) return unsupported(`macro ${name}`);
  const iterType = comp.iterCtx?.iterType;
  const expect = iterType?.kind === 'dyn' ? null : iterType?.kind === 'primitive' ? own(PRIMITIVE_TYPEOF, iterType.name) : undefined;
  if (expect === undefined) return unsupported('iteration variable type');
  const iterable = compileNode(receiver, scope, functions);
  const cell: Cell = { name: comp.iterVarName, value: undefined };
  const predicate = compileNode(args[1]!, [...scope, cell], functions);
  const exists = name === 'exists';
  return (s) => {
    const coll = iterable(s);
    let items: unknown[];
    if (isList(coll)) items = coll;
    else if (isMap(coll)) items = Object.keys(coll);
    else {
      known(coll);
      if (isTime(coll)) throw BAIL;
      throw FAIL;
    }
    // exists: decided by the first true; all: by the first false. Errors only count when undecided.
    let accu = !exists;
    let failed = false;
    for (let i = 0; i < items.length; i++) {
      if (accu === exists) return accu;
      const v = items[i];
      known(v);
      if (expect !== null && typeof v !== expect) throw FAIL;
      cell.value = v;
      const p = attempt(predicate, s);
      if (typeof p !== 'boolean') {
        if (p !== FAIL) known(p);
        failed = true;
        continue;
      }
      accu = p;
    }
    if (failed && accu !== exists) throw FAIL;
    return accu;
  };
}

const PRIMITIVE_TYPEOF: Record<string, string> = { string: 'string', int: 'bigint', double: 'number', bool: 'boolean' };

const HIGH_SURROGATE = /[\ud800-\udbff]/;

/** Code points, as cel-js counts a string's size (`for (const c of str)`). */
function codePoints(str: string): number {
  if (!HIGH_SURROGATE.test(str)) return str.length;
  let n = str.length;
  for (let i = 0; i < str.length; i++) {
    const code = str.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < str.length) {
      const next = str.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

const STRING_METHODS: Record<string, (a: string, b: string) => boolean> = {
  contains: (a, b) => a.includes(b),
  startsWith: (a, b) => a.startsWith(b),
  endsWith: (a, b) => a.endsWith(b),
};

const STRING_TRANSFORMS: Record<string, (a: string) => string> = {
  lowerAscii: (a) => a.toLowerCase(),
  upperAscii: (a) => a.toUpperCase(),
  trim: (a) => a.trim(),
};

/** Functions and methods with exactly the overloads cel-js registers for them; anything else is not compiled. */
function compileCall(name: string, receiver: Fn | null, args: Fn[], functions: Readonly<Record<string, (t: Date) => bigint>>): Fn {
  if (receiver !== null) {
    if (name === 'size' && args.length === 0) return (s) => size(receiver(s));
    const test = own(STRING_METHODS, name);
    if (test !== undefined && args.length === 1) {
      const arg = args[0]!;
      return (s) => {
        const a = receiver(s);
        const b = arg(s);
        if (typeof a === 'string' && typeof b === 'string') return test(a, b);
        known(a);
        known(b);
        throw FAIL;
      };
    }
    if (name === 'matches' && args.length === 1) {
      const arg = args[0]!;
      const patterns = new Map<string, RegExp | null>();
      return (s) => {
        const a = receiver(s);
        const b = arg(s);
        if (typeof a === 'string' && typeof b === 'string') {
          let re = patterns.get(b);
          if (re === undefined) {
            try {
              re = new RegExp(b);
            } catch {
              re = null;
            }
            if (patterns.size < 100) patterns.set(b, re);
          }
          if (re === null) throw FAIL;
          return re.test(a);
        }
        known(a);
        known(b);
        throw FAIL;
      };
    }
    const transform = own(STRING_TRANSFORMS, name);
    if (transform !== undefined && args.length === 0) {
      return (s) => {
        const a = receiver(s);
        if (typeof a === 'string') return transform(a);
        known(a);
        throw FAIL;
      };
    }
    return unsupported(`method ${name}`);
  }
  if (args.length !== 1) return unsupported(`function ${name}`);
  const arg = args[0]!;
  const helper = own(functions, name);
  if (helper !== undefined) {
    return (s) => {
      const v = arg(s);
      if (isTime(v)) {
        try {
          return helper(v);
        } catch {
          throw BAIL;
        }
      }
      known(v);
      throw FAIL;
    };
  }
  const convert = own(CONVERSIONS, name);
  if (convert === undefined) return unsupported(`function ${name}`);
  return (s) => {
    const v = arg(s);
    known(v);
    return convert(v);
  };
}

/** One-argument functions by name: the value, or FAIL where cel-js has no overload for its type. */
const CONVERSIONS: Record<string, (v: unknown) => unknown> = {
  size: (v) => size(v),
  dyn: (v) => {
    // Calls type their dyn arguments deeply (first element of lists, first entry of maps).
    deepKnown(v);
    return v;
  },
  string: (v) => {
    switch (typeof v) {
      case 'string':
        return v;
      case 'boolean':
      case 'bigint':
        return `${v}`;
      case 'number':
        return v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : `${v}`;
    }
    throw FAIL;
  },
  int: (v) => {
    if (typeof v === 'bigint') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
    if (typeof v === 'string') return parseInt64(v);
    throw FAIL;
  },
  double: (v) => {
    if (typeof v === 'number') return v;
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'string') return parseDouble(v);
    throw FAIL;
  },
  timestamp: (v) => {
    // cel-js: an ISO 8601 string of 20 to 30 characters, or epoch seconds, within years 1 to 9999.
    let d: Date | undefined;
    if (typeof v === 'string' && v.length >= 20 && v.length <= 30) d = new Date(v);
    else if (typeof v === 'bigint') d = new Date(Number(v) * 1000);
    if (d !== undefined && d.getTime() <= 253402300799999 && d.getTime() >= -62135596800000) return d;
    throw FAIL;
  },
};

function size(v: unknown): bigint {
  if (typeof v === 'string') return BigInt(codePoints(v));
  if (isList(v)) {
    deepKnown(v);
    return BigInt(v.length);
  }
  if (isMap(v)) {
    deepKnown(v);
    return BigInt(Object.keys(v).length);
  }
  known(v);
  throw FAIL;
}

/** cel-js `int(string)`. */
function parseInt64(v: string): bigint {
  if (v !== v.trim() || v.length > 20 || v.includes('0x')) throw FAIL;
  let num: bigint;
  try {
    num = BigInt(v);
  } catch {
    throw FAIL;
  }
  if (num <= MAX_INT && num >= MIN_INT) return num;
  throw FAIL;
}

/** cel-js `double(string)`. */
function parseDouble(v: string): number {
  if (!v || v !== v.trim()) throw FAIL;
  switch (v.toLowerCase()) {
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Number.POSITIVE_INFINITY;
    case '-inf':
    case '-infinity':
      return Number.NEGATIVE_INFINITY;
    case 'nan':
      return Number.NaN;
  }
  const parsed = Number(v);
  if (!Number.isNaN(parsed)) return parsed;
  throw FAIL;
}
