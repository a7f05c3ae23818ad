import { builtInRules } from '../../rules/api.ts';
import { builtInPresets } from '../../rules/presets/api.ts';
import { compileCustomRules } from '../cel/custom-rule.ts';
import type { Config } from '../config/schema.ts';
import type { ObjectiveSpec } from './objective-match.ts';
import type { AnyRule } from './rule.ts';
import { compileRulePlan, type RulePlan, type RuleSettings } from './rule-config.ts';
import type { TypeMappingEntry } from './type-mapping.ts';
import type { ConfigWaiver } from './waivers.ts';

/** What `evaluate` needs from the config, compiled once per loaded config. */
export interface RuleSetup {
  plan: RulePlan;
  typeMapping: readonly TypeMappingEntry[];
  objectives: readonly ObjectiveSpec[];
  waivers: readonly ConfigWaiver[];
}

type RuleConfigPart = Pick<Config, 'rules' | 'overrides' | 'typeMapping' | 'custom' | 'objectives' | 'waivers'> & Partial<Pick<Config, 'extends' | 'methodology'>>;

/** Compiles presets, methodology, rules, overrides and custom CEL rules into one plan. */
export function ruleSetup(config: RuleConfigPart, library: readonly AnyRule[] = builtInRules): RuleSetup {
  const custom = compileCustomRules(config.custom);
  const customDefaults: RuleSettings = {};
  for (const c of config.custom) customDefaults[c.id] = c.severity;
  const plan = compileRulePlan(
    [...library, ...custom],
    { extends: config.extends, methodology: config.methodology, rules: config.rules, overrides: config.overrides },
    builtInPresets,
    customDefaults,
  );
  return { plan, typeMapping: config.typeMapping, objectives: config.objectives, waivers: config.waivers };
}
