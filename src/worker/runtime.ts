import { dirname, join, resolve } from 'node:path';
import { connectorFor } from '../../connectors/api.ts';
import { builtInRules } from '../../rules/api.ts';
import { alignmentDigestExtensions } from '../alignment/digest.ts';
import { bindAlignmentRules } from '../alignment/rule-binding.ts';
import type { Config } from '../config/schema.ts';
import type { Connector } from '../model/connector.ts';
import type { AnyRule } from '../engine/rule.ts';
import { createEvaluatorState, type EvaluatorState } from '../engine/evaluate.ts';
import { boundRuleSetup, type RuleSetup } from '../engine/setup.ts';
import { createConsoleTransport } from '../notify/transports/console.ts';
import { createChannelPacer, type ChannelPacer } from '../notify/deliver.ts';
import type { DigestExtensions } from '../notify/digest.ts';
import { createMentionResolver, type MentionResolver } from '../notify/mentions.ts';
import { createSlackApi, type SlackApiCall } from '../notify/slack-api.ts';
import { createSlackWebTransport } from '../notify/transports/slack-web.ts';
import type { Transport } from '../notify/transports/transport.ts';
import { openStore, type OpenedStore } from '../store/index.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import { PmoError } from '../util/errors.ts';
import type { Logger } from '../util/log.ts';

/** Everything a command needs, assembled once from the validated config. */
export interface Runtime {
  config: Config;
  store: OpenedStore;
  connectors: Connector[];
  rules: readonly AnyRule[];
  /** The compiled rule configuration (presets, methodology, overrides, custom rules). */
  ruleSetup: RuleSetup;
  /** What incremental evaluation remembers between cycles of this process. */
  evaluatorState: EvaluatorState;
  transport: Transport;
  clock: Clock;
  log: Logger;
  dataDir: string;
  /** The Slack Web API with the bot token; absent in console mode. */
  slackApi: (SlackApiCall & { calls: () => number }) | undefined;
  /** True when messages reach a real Slack app (buttons work); false in console mode. */
  interactive: boolean;
  mentions: MentionResolver;
  /** One message per second per channel, across cycles. */
  pacer: ChannelPacer;
  /**
   * Digest sections provided by other modules (alignment %, effort by objective, forecasts); a
   * section is shown when its provider is set and returns data. src/alignment plugs in here.
   */
  extensions: DigestExtensions;
}

export interface RuntimeOptions {
  config: Config;
  log: Logger;
  clock?: Clock;
  /** Take the single-writer lock on the store (worker, sync, check). */
  lock?: boolean;
  transport?: Transport;
  /** Overrides the Slack Web API caller (tests, bench). */
  slackApi?: SlackApiCall & { calls: () => number };
  cwd?: string;
}

export function storagePath(config: Config, cwd: string): string {
  return config.storage.path === ':memory:' ? ':memory:' : resolve(cwd, config.storage.path);
}

export function createRuntime(options: RuntimeOptions): Runtime {
  const { config, log } = options;
  const clock = options.clock ?? systemClock;
  const dbPath = storagePath(config, options.cwd ?? process.cwd());
  const dataDir = dbPath === ':memory:' ? resolve(options.cwd ?? process.cwd(), 'data') : dirname(dbPath);
  const connectors = config.sources.map((source) => {
    const def = connectorFor(source.kind);
    if (!def) throw new PmoError('UNKNOWN_SOURCE', `no connector for kind "${source.kind}"`);
    return def.create(source, { clock, log: log.child({ source: source.id }) });
  });
  const store = openStore(dbPath, { lock: options.lock ?? false });
  // objective-at-risk takes the config's objectives as its option defaults.
  const rules = bindAlignmentRules(builtInRules, config);
  const interactive = slackMode(config) !== 'console' && Boolean(config.slack.botToken);
  const slackApi = options.slackApi ?? (interactive ? createSlackApi({ apiUrl: config.slack.apiUrl, botToken: config.slack.botToken! }) : undefined);
  return {
    config,
    store,
    connectors,
    rules,
    ruleSetup: boundRuleSetup(config),
    evaluatorState: createEvaluatorState(),
    transport: options.transport ?? createTransport(config, dataDir, slackApi),
    clock,
    log,
    dataDir,
    slackApi,
    interactive,
    mentions: createMentionResolver({ store, slack: config.slack, clock, log, api: slackApi }),
    pacer: createChannelPacer(),
    extensions: alignmentDigestExtensions(store, config, clock),
  };
}

/** `slack.mode`, defaulting to the console when no bot token is configured. */
export function slackMode(config: Config): 'socket' | 'http' | 'console' {
  if (config.slack.mode) return config.slack.mode;
  if (!config.slack.botToken) return 'console';
  return config.slack.appToken ? 'socket' : 'http';
}

function createTransport(config: Config, dataDir: string, api: SlackApiCall | undefined): Transport {
  const mode = slackMode(config);
  if (mode === 'console' || !config.slack.botToken) return createConsoleTransport({ outDir: join(dataDir, 'outbox') });
  return createSlackWebTransport({ apiUrl: config.slack.apiUrl, botToken: config.slack.botToken, ...(api ? { api } : {}) });
}
