import { fileURLToPath } from 'node:url';
import { ConfigError } from '../config/errors.ts';
import { loadConfig, resolveConfigPath } from '../config/load.ts';
import { ConfigSchema, type Config } from '../config/schema.ts';
import { createLogger, isLogLevel, isSecretKey, type Logger } from '../util/log.ts';
import { unmatchedObjectives } from '../alignment/service.ts';
import { createRuntime, type Runtime } from '../worker/runtime.ts';

export const BUNDLED_CONFIG = fileURLToPath(new URL('../../config/pmo-bot.example.yaml', import.meta.url));

export interface GlobalFlags {
  config?: string | undefined;
  json?: boolean | undefined;
}

export interface LoadedCli {
  config: Config;
  configPath: string;
  origin: 'flag' | 'env' | 'default' | 'bundled';
  log: Logger;
}

/** Loads and validates the config (exit 2 on problems, via ConfigError) and sets up logging. */
export function loadCliConfig(flags: GlobalFlags): LoadedCli {
  const env = process.env;
  const { path, origin } = resolveConfigPath({ flag: flags.config, env, cwd: process.cwd(), bundledDefault: BUNDLED_CONFIG });
  const loaded = loadConfig(path, { schema: ConfigSchema, env });
  const envLevel = env['LOG_LEVEL'];
  const log = createLogger({
    level: isLogLevel(envLevel) ? envLevel : loaded.value.log.level,
    secrets: [...loaded.interpolatedSecrets, ...secretValues(loaded.value)],
  });
  if (origin === 'bundled') log.info({ config: path }, 'No config found; running the bundled demo (config/pmo-bot.example.yaml)');
  return { config: loaded.value, configPath: path, origin, log };
}

export function openRuntime(cli: LoadedCli, options: { lock?: boolean } = {}): Runtime {
  return createRuntime({ config: cli.config, log: cli.log, lock: options.lock ?? false });
}

/** Token-like values in the config, so they are redacted even when typed literally. */
function secretValues(config: Config): string[] {
  const out: string[] = [];
  const visit = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      if (isSecretKey(key)) out.push(value);
      return;
    }
    if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  visit(config, '');
  return out;
}

export { ConfigError };

/** Warns (stderr) about objectives that select no stored work item, once per config load. */
export function warnUnmatchedObjectives(rt: Pick<Runtime, 'store' | 'config' | 'log'>): Array<{ id: string; title: string }> {
  const unmatched = unmatchedObjectives(rt.store, rt.config);
  for (const o of unmatched) rt.log.warn({ objective: o.id, title: o.title }, 'Objective matches no stored work item; check its match (epic keys, labels, area paths)');
  return unmatched;
}
