import type { Config } from '../config/schema.ts';
import type { RuleSetting } from '../engine/rule-config.ts';

export const AT_RISK_RULE = 'objective-at-risk';

/**
 * Hands the config's objectives to the `objective-at-risk` rule as options, keeping the severity and
 * options the admin set; without objectives the config is returned unchanged.
 */
export function bindAlignmentRule(config: Config): Config {
  if (config.objectives.length === 0) return config;
  const setting: RuleSetting | undefined = config.rules[AT_RISK_RULE] as RuleSetting | undefined;
  if (setting === 'off' || (Array.isArray(setting) && setting[0] === 'off')) return config;
  const severity = setting === undefined ? undefined : Array.isArray(setting) ? setting[0] : setting;
  const own = Array.isArray(setting) && setting.length > 1 ? setting[1] : {};
  const options = { ...own, objectives: config.objectives, themes: config.themes, alignment: config.alignment };
  return { ...config, rules: { ...config.rules, [AT_RISK_RULE]: [severity ?? 'warning', options] } };
}
