import type { JiraSourceConfig } from './schema.ts';
import { relativeMinutes } from './time.ts';

/** JQL for the configured scope: projects, an admin's own JQL, or both (ANDed). */
export function scopeJql(config: Pick<JiraSourceConfig, 'projects' | 'jql'>, projects: readonly string[] = config.projects): string {
  const parts: string[] = [];
  if (projects.length > 0) parts.push(`project in (${projects.map(quote).join(', ')})`);
  if (config.jql) parts.push(`(${config.jql})`);
  // The enhanced search rejects unbounded JQL; a scope-less source is refused by the config schema.
  return parts.join(' AND ');
}

export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `since: 2025-01-01` or `since: 365d` as a JQL clause. */
export function sinceClause(since: string | undefined): string | null {
  if (!since) return null;
  const days = /^(\d+)d$/.exec(since);
  return days ? `updated >= -${days[1]}d` : `updated >= ${quote(since)}`;
}

export interface WindowOptions {
  /** Lower bound: the watermark (an `updated` instant); null for a full sync. */
  watermark: Date | null;
  now: Date;
  overlapMinutes: number;
  since: string | undefined;
}

/**
 * The search JQL: scope AND the `updated` window, oldest first, so every page advances the
 * watermark and a sync that stops midway resumes where it stopped.
 */
export function windowJql(scope: string, w: WindowOptions): string {
  const clauses = [`(${scope})`];
  if (w.watermark) clauses.push(`updated >= ${relativeMinutes(w.watermark, w.now, w.overlapMinutes)}`);
  else {
    const since = sinceClause(w.since);
    if (since) clauses.push(since);
  }
  return `${clauses.join(' AND ')} ORDER BY updated ASC, key ASC`;
}
