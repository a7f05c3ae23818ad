import type { SlackConfig } from '../config/schema.ts';
import type { Store } from '../store/index.ts';
import type { Clock } from '../util/clock.ts';
import { errorMessage } from '../util/errors.ts';
import type { Logger } from '../util/log.ts';
import { SlackApiError, type SlackApiCall } from './slack-api.ts';
import { parseDuration } from './time.ts';

/**
 * E-mail → Slack user id, from the config map first (`false` means "never"), then the store's cache,
 * then `users.lookupByEmail` (Tier 3, https://api.slack.com/methods/users.lookupByEmail), at most
 * `budget` lookups per call so a cold cache of thousands of people cannot stall a cycle.
 */
export interface MentionResolver {
  /** Known now, without asking Slack: a user id, `null` (no such Slack user / opted out), or undefined (unknown yet). */
  known(email: string): string | null | undefined;
  /** Looks up what is not known yet, within the budget; returns how many lookups were made. */
  resolve(emails: Iterable<string>): Promise<number>;
}

export interface MentionDeps {
  store: Store;
  slack: SlackConfig;
  clock: Clock;
  log: Logger;
  /** Absent in console mode: only the config map is used. */
  api?: SlackApiCall | undefined;
  /** Overrides `slack.mentions.lookupsPerCycle`. */
  budget?: number;
}

export function createMentionResolver(deps: MentionDeps): MentionResolver {
  const { store, slack, clock, log } = deps;
  const map = new Map(Object.entries(slack.mentions.users).map(([k, v]) => [k.toLowerCase(), v]));
  const ttl = parseDuration(slack.mentions.cacheFor);
  const known = (email: string): string | null | undefined => {
    const key = email.toLowerCase();
    const mapped = map.get(key);
    if (mapped !== undefined) return mapped === false ? null : mapped;
    if (!deps.api || !slack.mentions.lookup) return null;
    const cached = store.slack.cachedUser(key);
    if (cached && clock.now().getTime() - new Date(cached.checkedAt).getTime() < ttl) return cached.userId;
    return undefined;
  };
  return {
    known,
    async resolve(emails) {
      if (!deps.api || !slack.mentions.lookup) return 0;
      let budget = deps.budget ?? slack.mentions.lookupsPerCycle;
      let looked = 0;
      for (const email of new Set([...emails].map((e) => e.toLowerCase()))) {
        if (known(email) !== undefined) continue;
        if (budget-- <= 0) break;
        looked++;
        try {
          const body = await deps.api('users.lookupByEmail', { email });
          const user = body['user'] as { id?: unknown } | undefined;
          store.slack.cacheUser(email, typeof user?.id === 'string' ? user.id : null, clock.now().toISOString());
        } catch (err) {
          if (err instanceof SlackApiError && err.error === 'users_not_found') {
            store.slack.cacheUser(email, null, clock.now().toISOString());
            continue;
          }
          log.warn({ error: errorMessage(err) }, 'Slack user lookup failed; owners are named without a mention this time');
          break;
        }
      }
      return looked;
    },
  };
}
