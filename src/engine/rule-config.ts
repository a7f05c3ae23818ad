import type { Severity } from '../model/finding.ts';
import type { TypeCategory, WorkItem } from '../model/work-item.ts';
import type { AnyRule } from './rule.ts';

/** `rules.<id>` in config: a severity word, or `[severity, options]` (ESLint style). */
export type RuleSetting = Severity | 'off' | [Severity | 'off'] | [Severity | 'off', Record<string, unknown>];

export interface OverrideMatch {
  source?: string | string[] | undefined;
  project?: string | string[] | undefined;
  team?: string | string[] | undefined;
  typeCategory?: TypeCategory | TypeCategory[] | undefined;
  labels?: string[] | undefined;
  components?: string[] | undefined;
}

export interface RuleOverride {
  match: OverrideMatch;
  rules: Record<string, RuleSetting>;
}

/** One rule as it applies to some items: its severity (or off) and parsed options. */
export interface EffectiveRule {
  rule: AnyRule;
  severity: Severity | 'off';
  options: unknown;
  /** Identifies this exact configuration, so items sharing it share one visitor. */
  signature: string;
}

function severityOf(setting: RuleSetting): Severity | 'off' {
  return Array.isArray(setting) ? setting[0] : setting;
}

function optionsOf(setting: RuleSetting): Record<string, unknown> | undefined {
  return Array.isArray(setting) && setting.length > 1 ? setting[1] : undefined;
}

/**
 * Resolves severity and options for every rule under the base `rules:` map plus the overrides that
 * apply, in order. A later setting that gives only a severity keeps the options set before it.
 */
export function resolveRules(
  library: readonly AnyRule[],
  base: Record<string, RuleSetting>,
  overrides: readonly RuleOverride[],
): EffectiveRule[] {
  return library.map((rule) => {
    let severity: Severity | 'off' = rule.meta.defaultSeverity;
    let rawOptions: Record<string, unknown> = {};
    for (const layer of [base, ...overrides.map((o) => o.rules)]) {
      const setting = layer[rule.meta.id];
      if (setting === undefined) continue;
      severity = severityOf(setting);
      rawOptions = optionsOf(setting) ?? rawOptions;
    }
    const options = rule.meta.options.parse(rawOptions);
    return { rule, severity, options, signature: `${rule.meta.id}|${severity}|${JSON.stringify(options)}` };
  });
}

function anyOf<T extends string>(want: T | T[] | undefined, have: T | null): boolean {
  if (want === undefined) return true;
  if (have === null) return false;
  return Array.isArray(want) ? want.includes(have) : want === have;
}

function intersects(want: string[] | undefined, have: readonly string[]): boolean {
  return want === undefined || want.some((w) => have.includes(w));
}

export function overrideMatches(match: OverrideMatch, item: WorkItem): boolean {
  return (
    anyOf(match.source, item.source) &&
    anyOf(match.project, item.project) &&
    anyOf(match.team, item.team) &&
    anyOf(match.typeCategory, item.typeCategory) &&
    intersects(match.labels, item.labels) &&
    intersects(match.components, item.components)
  );
}
