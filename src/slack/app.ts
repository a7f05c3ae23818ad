import { App, LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/schema.ts';
import { PmoError } from '../util/errors.ts';
import type { Logger } from '../util/log.ts';
import { slackMode } from '../worker/runtime.ts';
import { createSlackContext, type SlackAppDeps, type SlackContext } from './context.ts';
import { register as registerActions } from './listeners/actions.ts';
import { register as registerCommands } from './listeners/commands.ts';
import { register as registerHome } from './listeners/home.ts';
import { register as registerViews } from './listeners/views.ts';

type BoltApp = App;

export interface SlackAppOptions {
  /** HTTP mode: the port for /slack/events (0 picks a free one); default `slack.port`. */
  port?: number;
  /** Tests: answer only after the listener finished, so a response means the work is done. */
  processBeforeResponse?: boolean;
  /** Retries of Bolt's own Web API client (modals, App Home); default 2. */
  retries?: number;
}

export interface SlackAppHandle {
  app: BoltApp;
  mode: 'socket' | 'http';
  context: SlackContext;
  /** Starts listening; in HTTP mode resolves to the bound port. */
  start(): Promise<{ port: number | null }>;
  stop(): Promise<void>;
}

/** Bolt logs through ours, so tokens are redacted like everywhere else. */
function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'slack' });
  const join = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  let level = LogLevel.INFO;
  return {
    debug: (...m) => child.debug(join(m)),
    info: (...m) => child.info(join(m)),
    warn: (...m) => child.warn(join(m)),
    error: (...m) => child.error(join(m)),
    setLevel: (l) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}

/**
 * The Bolt app: Socket Mode when an app token is configured (no public URL needed), else HTTP mode on
 * `/slack/events` with signature and timestamp checks. Listeners live in `listeners/`, one file each.
 */
export function createSlackApp(config: Config, deps: SlackAppDeps, options: SlackAppOptions = {}): SlackAppHandle {
  const mode = slackMode(config);
  const { botToken, appToken, signingSecret } = config.slack;
  if (mode === 'console') throw new PmoError('USAGE', 'slack.mode is console: there is no Slack app to start');
  if (!botToken) throw new PmoError('USAGE', 'slack.botToken is required for the Slack app (xoxb-…)');
  const common = {
    token: botToken,
    ...(config.slack.botId ? { botId: config.slack.botId } : {}),
    ...(config.slack.botUserId ? { botUserId: config.slack.botUserId } : {}),
    logger: boltLogger(deps.log),
    clientOptions: { slackApiUrl: config.slack.apiUrl, retryConfig: { retries: options.retries ?? 2 } },
  };
  let app: BoltApp;
  if (mode === 'socket') {
    if (!appToken) throw new PmoError('USAGE', 'Socket Mode needs slack.appToken (xapp-…, scope connections:write)');
    // The Socket Mode client has a Web API client of its own (apps.connections.open): same base URL.
    app = new App({ ...common, appToken, socketMode: true, installerOptions: { clientOptions: { slackApiUrl: config.slack.apiUrl } } });
  } else {
    if (!signingSecret) throw new PmoError('USAGE', 'HTTP mode needs slack.signingSecret (Basic Information → App Credentials)');
    app = new App({ ...common, signingSecret, processBeforeResponse: options.processBeforeResponse ?? false });
  }
  const context = createSlackContext(deps);
  registerActions(app, context);
  registerViews(app, context);
  registerCommands(app, context);
  registerHome(app, context);
  app.error(async (err) => {
    deps.log.error({ error: err.message, code: err.code }, 'Slack listener failed');
  });

  return {
    app,
    mode,
    context,
    async start() {
      if (mode === 'socket') {
        await app.start();
        deps.log.info('Slack app connected (Socket Mode)');
        return { port: null };
      }
      const server = (await app.start(options.port ?? config.slack.port)) as Server;
      const port = (server.address() as AddressInfo).port;
      deps.log.info({ port, endpoint: '/slack/events' }, 'Slack app listening (HTTP mode)');
      return { port };
    },
    async stop() {
      await app.stop();
    },
  };
}
