import { SEVERITY_RANK, type Finding } from '../model/finding.ts';
import type { SlackConfig } from '../config/schema.ts';

type Route = SlackConfig['routes'][number];

function matchOne(want: string | string[] | undefined, have: string | null): boolean {
  if (want === undefined) return true;
  if (have === null) return false;
  return Array.isArray(want) ? want.includes(have) : want === have;
}

function routeMatches(route: Route, f: Finding): boolean {
  const m = route.match;
  return (
    matchOne(m.project, f.project) &&
    matchOne(m.source, f.source) &&
    matchOne(m.team, f.team) &&
    matchOne(m.rule, f.ruleId) &&
    (m.severity === undefined || SEVERITY_RANK[f.severity] >= SEVERITY_RANK[m.severity])
  );
}

/** The channel a finding is announced in: the first matching route, else the alerts channel. */
export function channelFor(finding: Finding, slack: SlackConfig): string {
  for (const route of slack.routes) if (routeMatches(route, finding)) return route.channel;
  return slack.channels.alerts;
}
