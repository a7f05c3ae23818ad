import type { Severity } from '../model/finding.ts';
import type { TypeCategory, WorkItem } from '../model/work-item.ts';
import type { AnyRule } from './rule.ts';
import { matchesValue } from '../util/match.ts';

/** `rules.<id>` in config: a severity word, or `[severity, options]` (ESLint style). */
export type RuleSetting = Severity | 'off' | [Severity | 'off'] | [Severity | 'off', Record<string, unknown>];
export type RuleSettings = Record<string, RuleSetting>;

/** A named, documented set of rule settings (`rules/presets/<id>.ts`). */
export interface Preset {
  id: string;
  title: string;
  /** What it checks and why a PMO would want it. */
  description: string;
  /** Presets applied first; this preset's own rules win over theirs. */
  extends: string[];
  rules: RuleSettings;
}

export interface OverrideMatch {
  source?: string | string[] | undefined;
  project?: string | string[] | undefined;
  team?: string | string[] | undefined;
  /** The tool's own type name (`Bug`, `User Story`). */
  type?: string | string[] | undefined;
  typeCategory?: TypeCategory | TypeCategory[] | undefined;
  /** A class given by `typeMapping` (e.g. `incident`). */
  class?: string | string[] | undefined;
  labels?: string[] | undefined;
  components?: string[] | undefined;
}

export interface RuleOverride {
  match: OverrideMatch;
  rules: RuleSettings;
}

/** `methodology:` a preset per project or team, else the default. */
export interface MethodologyConfig {
  default?: string | undefined;
  projects?: Record<string, string> | undefined;
  teams?: Record<string, string> | undefined;
}

/** The parts of the config the engine reads to decide which rule applies where. */
export interface RuleConfig {
  /** Presets every item starts from; `[recommended]` when absent. */
  extends?: string[] | undefined;
  methodology?: MethodologyConfig | undefined;
  rules?: RuleSettings | undefined;
  overrides?: readonly RuleOverride[] | undefined;
}

/** What overrides and methodology match on: an item, or a sprint/person subject's known parts. */
export interface MatchSubject {
  source: string | null;
  project: string | null;
  team: string | null;
  type?: string | undefined;
  typeCategory?: TypeCategory | undefined;
  classes?: readonly string[] | undefined;
  labels?: readonly string[] | undefined;
  components?: readonly string[] | undefined;
}

/** One rule as it applies to some items: its severity (or off) and parsed options. */
export interface EffectiveRule {
  rule: AnyRule;
  severity: Severity | 'off';
  options: unknown;
  /** Identifies this exact configuration, so items sharing it share one visitor. */
  signature: string;
}

export const DEFAULT_EXTENDS = ['recommended'];

function severityOf(setting: RuleSetting): Severity | 'off' {
  return Array.isArray(setting) ? setting[0] : setting;
}

function optionsOf(setting: RuleSetting): Record<string, unknown> | undefined {
  return Array.isArray(setting) && setting.length > 1 ? setting[1] : undefined;
}

/** A preset with its `extends` chain flattened into layers, the base first. */
export function presetLayers(id: string, presets: ReadonlyMap<string, Preset>, seen: string[] = []): RuleSettings[] {
  const preset = presets.get(id);
  if (!preset) throw new Error(`unknown preset "${id}"`);
  if (seen.includes(id)) throw new Error(`preset cycle: ${[...seen, id].join(' → ')}`);
  return [...preset.extends.flatMap((p) => presetLayers(p, presets, [...seen, id])), preset.rules];
}

/**
 * Resolves severity and options for every rule from layers, lowest first. A rule no layer mentions is
 * off. A setting that gives only a severity keeps the options set by an earlier layer; a setting with
 * options replaces them (ESLint semantics). Options always pass through the rule's schema.
 */
export function resolveLayers(library: readonly AnyRule[], layers: readonly RuleSettings[]): EffectiveRule[] {
  return library.map((rule) => {
    let severity: Severity | 'off' = 'off';
    let rawOptions: Record<string, unknown> = {};
    for (const layer of layers) {
      const setting = layer[rule.meta.id];
      if (setting === undefined) continue;
      severity = severityOf(setting);
      rawOptions = optionsOf(setting) ?? rawOptions;
    }
    const options = rule.meta.options.parse(rawOptions);
    return { rule, severity, options, signature: `${rule.meta.id}|${severity}|${JSON.stringify(options)}` };
  });
}

/** The methodology preset that governs a subject: its team's, else its project's, else the default. */
export function methodologyFor(m: MethodologyConfig | undefined, subject: MatchSubject): string | undefined {
  if (!m) return undefined;
  if (subject.team !== null && m.teams && Object.hasOwn(m.teams, subject.team)) return m.teams[subject.team];
  if (subject.project !== null && m.projects && Object.hasOwn(m.projects, subject.project)) return m.projects[subject.project];
  return m.default;
}

/**
 * The compiled rule configuration. Precedence, lowest first:
 * 1. each custom rule's own `severity`,
 * 2. the presets in `extends` (default `[recommended]`), each after the presets it extends,
 * 3. the subject's methodology preset (team, else project, else `methodology.default`),
 * 4. the top-level `rules:`,
 * 5. every matching `overrides[]` entry, in file order (later wins).
 */
export interface RulePlan {
  library: readonly AnyRule[];
  /** The rules as they apply to a subject; equal configurations share one array. */
  forSubject(subject: MatchSubject): EffectiveRule[];
  /** Every distinct configuration handed out so far. */
  variants(): EffectiveRule[][];
}

export function compileRulePlan(
  library: readonly AnyRule[],
  config: RuleConfig,
  presets: ReadonlyMap<string, Preset>,
  customDefaults: RuleSettings = {},
): RulePlan {
  const baseLayers = [customDefaults, ...(config.extends ?? DEFAULT_EXTENDS).flatMap((p) => presetLayers(p, presets))];
  const overrides = config.overrides ?? [];
  const cache = new Map<string, EffectiveRule[]>();
  const bySignature = new Map<string, EffectiveRule[]>();
  return {
    library,
    forSubject(subject) {
      const methodology = methodologyFor(config.methodology, subject);
      let mask = methodology ?? '';
      const matching: RuleOverride[] = [];
      for (const o of overrides) {
        const hit = overrideMatches(o.match, subject);
        mask += hit ? '1' : '0';
        if (hit) matching.push(o);
      }
      const cached = cache.get(mask);
      if (cached) return cached;
      const layers = [
        ...baseLayers,
        ...(methodology ? presetLayers(methodology, presets) : []),
        config.rules ?? {},
        ...matching.map((o) => o.rules),
      ];
      const resolved = resolveLayers(library, layers);
      // Two masks can resolve to the same settings (an override that changes nothing): share them.
      const key = resolved.map((e) => e.signature).join('\n');
      const shared = bySignature.get(key) ?? resolved;
      bySignature.set(key, shared);
      cache.set(mask, shared);
      return shared;
    },
    variants() {
      return [...bySignature.values()];
    },
  };
}


function intersects(want: readonly string[] | string | undefined, have: readonly string[] | undefined): boolean {
  if (want === undefined) return true;
  if (!have) return false;
  return typeof want === 'string' ? have.includes(want) : want.some((w) => have.includes(w));
}

/** Every given key must match; list values match any of their entries. */
export function overrideMatches(match: OverrideMatch, subject: MatchSubject): boolean {
  return (
    matchesValue(match.source, subject.source) &&
    matchesValue(match.project, subject.project) &&
    matchesValue(match.team, subject.team) &&
    matchesValue(match.type, subject.type) &&
    matchesValue(match.typeCategory, subject.typeCategory) &&
    intersects(match.class, subject.classes) &&
    intersects(match.labels, subject.labels) &&
    intersects(match.components, subject.components)
  );
}

/** The match subject of an item (after type mapping). */
export function itemSubject(item: WorkItem, classes: readonly string[]): MatchSubject {
  return {
    source: item.source,
    project: item.project,
    team: item.team,
    type: item.type,
    typeCategory: item.typeCategory,
    classes,
    labels: item.labels,
    components: item.components,
  };
}
