import { ownGroup, type RuleVisitor } from './rule.ts';
import type { LiveVisitor } from './rule-runner.ts';

/**
 * Incremental judgement of grouped aggregate rules (`RuleVisitor.groups`). A run that re-read a few
 * items judges again only the groups those items counted in (before and after the change) and the
 * groups of facts that use one of them, directly or through a chain; every other group's findings
 * stand as they are.
 */

/** Per visitor configuration with `uses`: used item key → keys of the facts that use it. */
export type UsersIndex = Map<string, Map<string, string[]>>;

/** Indexes who uses whom among one configuration's facts (after a full run's item pass). */
export function indexUsers(visitor: RuleVisitor<unknown>, facts: ReadonlyMap<string, unknown>): Map<string, string[]> {
  const users = new Map<string, string[]>();
  // forEach: a fact column walks its slots without an iterator object and a pair per fact. Each key
  // comes once here, so no list is searched for it (an epic's list holds thousands of children).
  facts.forEach((fact, key) => addUses(users, visitor, key, fact, false));
  return users;
}

function addUses(users: Map<string, string[]>, visitor: RuleVisitor<unknown>, key: string, fact: unknown, dedupe: boolean): void {
  for (const used of visitor.uses!(fact)) {
    const list = users.get(used);
    if (!list) users.set(used, [key]);
    // A fact that changes keeps its entry (a stale one only makes a group be judged once more).
    else if (!dedupe || (list[list.length - 1] !== key && !list.includes(key))) list.push(key);
  }
}

/**
 * Marks (through `touch`) the groups of the re-read items' new facts, and those of every fact that
 * uses a re-read item, directly or through other users. The groups of their old facts were marked
 * when the facts were forgotten. Adds the new facts' uses to `index`.
 */
export function touchGroups(
  visitors: ReadonlyMap<string, LiveVisitor>,
  facts: { get(signature: string): ReadonlyMap<string, unknown> | undefined },
  index: UsersIndex,
  evaluated: readonly string[],
  touch: (live: LiveVisitor, key: string, fact: unknown) => void,
): void {
  for (const [signature, live] of visitors) {
    const { groups, uses } = live.visitor;
    const kept = facts.get(signature);
    if (!groups || !kept) continue;
    for (const key of evaluated) {
      const fact = kept.get(key);
      if (fact !== undefined) touch(live, key, fact);
    }
    if (!uses) continue;
    let users = index.get(signature);
    if (!users) index.set(signature, (users = indexUsers(live.visitor, kept)));
    const reached = new Set(evaluated);
    const queue = [...evaluated];
    for (let i = 0; i < queue.length; i++) {
      for (const user of users.get(queue[i]!) ?? []) {
        const fact = kept.get(user);
        if (fact === undefined) continue;
        touch(live, user, fact);
        if (reached.has(user)) continue;
        reached.add(user);
        queue.push(user);
      }
    }
    for (const key of evaluated) {
      const fact = kept.get(key);
      if (fact !== undefined) addUses(users, live.visitor, key, fact, true);
    }
  }
}

/** The facts that count in at least one of `groups` (every fact of each of those groups). */
export function factsInGroups(visitor: RuleVisitor<unknown>, facts: ReadonlyMap<string, unknown>, groups: ReadonlySet<string>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const groupsOf = visitor.groups!;
  if (groupsOf === ownGroup) {
    for (const key of groups) {
      const fact = facts.get(key);
      if (fact !== undefined) out.set(key, fact);
    }
    return out;
  }
  facts.forEach((fact, key) => {
    const g = groupsOf(key, fact);
    if (typeof g === 'string' ? groups.has(g) : g.some((one) => groups.has(one))) out.set(key, fact);
  });
  return out;
}
