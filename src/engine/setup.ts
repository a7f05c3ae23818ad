import { builtInRules } from '../../rules/api.ts';
import { builtInPresets } from '../../rules/presets/api.ts';
import { bindAlignmentRules } from '../alignment/rule-binding.ts';
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
  /**
   * How another thread compiles the same setup (the item-pass threads of a parallel evaluation);
   * absent when the library is not the built-in one (tests, `rules test` fixtures): such a setup
   * is evaluated on one thread.
   */
  recipe?: SetupRecipe;
}

/** The config parts a setup is compiled from (plain data, so it can be handed to a thread). */
export type RecipeConfig = RuleConfigPart & Partial<Pick<Config, 'themes' | 'alignment'>>;

export interface SetupRecipe {
  config: RecipeConfig;
  /** `objective-at-risk` bound to the config's objectives (the runtime's library, `boundRuleSetup`). */
  alignment: boolean;
}

type RuleConfigPart = Pick<Config, 'rules' | 'overrides' | 'typeMapping' | 'custom' | 'objectives' | 'waivers'> & Partial<Pick<Config, 'extends' | 'methodology'>>;

const RECIPE_KEYS = ['rules', 'overrides', 'typeMapping', 'custom', 'objectives', 'waivers', 'extends', 'methodology', 'themes', 'alignment'] as const;

function recipeConfig(config: RecipeConfig): RecipeConfig {
  const out: Record<string, unknown> = {};
  for (const key of RECIPE_KEYS) if (config[key] !== undefined) out[key] = config[key];
  return out as RecipeConfig;
}

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
  const recipe = library === builtInRules ? { config: recipeConfig(config), alignment: false } : undefined;
  return { plan, typeMapping: config.typeMapping, objectives: config.objectives, waivers: config.waivers, ...(recipe ? { recipe } : {}) };
}

/** The runtime's setup: the built-in rules with `objective-at-risk` bound to the config's objectives. */
export function boundRuleSetup(config: RuleConfigPart & Pick<Config, 'themes' | 'alignment'>): RuleSetup {
  const setup = ruleSetup(config, bindAlignmentRules(builtInRules, config));
  return { ...setup, recipe: { config: recipeConfig(config), alignment: true } };
}

/** The setup a recipe describes, compiled again (on an item-pass thread). */
export function setupFromRecipe(recipe: SetupRecipe): RuleSetup {
  const { config } = recipe;
  if (!recipe.alignment) return ruleSetup(config);
  if (!config.themes || !config.alignment) throw new Error('an alignment recipe needs themes and alignment settings');
  return boundRuleSetup({ ...config, themes: config.themes, alignment: config.alignment });
}
