import { SEVERITY_RANK, type Finding, type Severity } from '../model/finding.ts';
import type { SlackConfig } from '../config/schema.ts';
import { matchesValue } from '../util/match.ts';

type Route = SlackConfig['routes'][number];
type RouteMatch = Route['match'];

/** Where a finding goes and how that audience wants it. */
export interface Destination {
  channel: string;
  minSeverity: Severity | undefined;
  quietHours: SlackConfig['alerts']['quietHours'];
}


/** Whether a route's `match` claims a finding (severity there is "at least"). */
export function routeMatches(m: RouteMatch, f: Pick<Finding, 'project' | 'source' | 'team' | 'ruleId' | 'severity'>): boolean {
  return (
    matchesValue(m.project, f.project) &&
    matchesValue(m.source, f.source) &&
    matchesValue(m.team, f.team) &&
    matchesValue(m.rule, f.ruleId) &&
    (m.severity === undefined || SEVERITY_RANK[f.severity] >= SEVERITY_RANK[m.severity])
  );
}

/** The first matching route, else the alerts channel with the global quiet hours. */
export function destinationFor(finding: Finding, slack: SlackConfig): Destination {
  for (const route of slack.routes) {
    if (routeMatches(route.match, finding)) {
      return { channel: route.channel, minSeverity: route.minSeverity, quietHours: route.quietHours ?? slack.alerts.quietHours };
    }
  }
  return { channel: slack.channels.alerts, minSeverity: undefined, quietHours: slack.alerts.quietHours };
}

/** The channel a finding is announced in: the first matching route, else the alerts channel. */
export function channelFor(finding: Finding, slack: SlackConfig): string {
  return destinationFor(finding, slack).channel;
}

/** Channels that get a digest of their own: every distinct routed channel with `digest` on. */
export function digestChannels(slack: SlackConfig): Array<{ channel: string; matches: RouteMatch[] }> {
  const out = new Map<string, RouteMatch[]>();
  for (const r of slack.routes) {
    if (!r.digest || r.channel === slack.channels.digest) continue;
    out.set(r.channel, [...(out.get(r.channel) ?? []), r.match]);
  }
  return [...out].map(([channel, matches]) => ({ channel, matches }));
}
