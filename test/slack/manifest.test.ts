import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** The bot scope each Web API method needs (https://api.slack.com/methods/<method>); views.* need none. */
const METHOD_SCOPES: Record<string, string[]> = {
  'chat.postMessage': ['chat:write', 'chat:write.public'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'users.lookupByEmail': ['users:read.email'],
  'users.info': ['users:read', 'users:read.email'],
  'views.open': [],
  'views.publish': [],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [readFileSync(path, 'utf8')] : [];
  });
}

/** Every Slack Web API method and slash command the code uses, found in the source itself. */
function usedByCode(): { methods: string[]; commands: string[]; events: string[] } {
  const code = [...sources(join(ROOT, 'src/notify')), ...sources(join(ROOT, 'src/slack'))].join('\n');
  const methods = new Set<string>();
  for (const m of code.matchAll(/api\('([a-zA-Z]+\.[a-zA-Z]+)'/g)) methods.add(m[1]!);
  for (const m of code.matchAll(/client\.([a-zA-Z]+)\.([a-zA-Z]+)\(/g)) methods.add(`${m[1]}.${m[2]}`);
  const commands = [...code.matchAll(/app\.command\('([^']+)'/g)].map((m) => m[1]!);
  const events = [...code.matchAll(/app\.event\('([^']+)'/g)].map((m) => m[1]!);
  return { methods: [...methods].sort(), commands, events };
}

interface Manifest {
  features: { slash_commands: Array<{ command: string }>; app_home: { home_tab_enabled: boolean } };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean }; socket_mode_enabled: boolean };
}

describe.each(['slack-app-manifest.yaml', 'slack-app-manifest.http.yaml'])('%s', (file) => {
  const manifest = parse(readFileSync(join(ROOT, 'config', file), 'utf8')) as Manifest;
  const used = usedByCode();

  it('asks for exactly the scopes the code uses', () => {
    const needed = new Set(used.methods.flatMap((m) => METHOD_SCOPES[m] ?? [`unknown scope for ${m}`]));
    needed.add('commands');

    expect(used.methods).toEqual(Object.keys(METHOD_SCOPES).sort());
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it('declares the slash command, events, interactivity and App Home the listeners rely on', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(used.commands);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(used.events);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(file === 'slack-app-manifest.yaml');
  });
});
