import { withObjectives } from '../../rules/objective-at-risk.ts';
import type { Config } from '../config/schema.ts';
import type { AnyRule } from '../engine/rule.ts';

/**
 * The rule library with `objective-at-risk` bound to the config's objectives (as option defaults),
 * so the rule forecasts what `pmo-bot alignment` shows without the admin repeating anything.
 */
export function bindAlignmentRules(library: readonly AnyRule[], config: Pick<Config, 'objectives' | 'themes' | 'alignment'>): readonly AnyRule[] {
  if (config.objectives.length === 0) return library;
  const bound = withObjectives(config) as unknown as AnyRule;
  return library.map((r) => (r.meta.id === bound.meta.id ? bound : r));
}
