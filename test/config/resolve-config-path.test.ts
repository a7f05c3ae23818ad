import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveConfigPath } from '../../src/config/load.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/config/', import.meta.url));
/** Has config/pmo-bot.yaml. */
const PROJECT = join(FIXTURES, 'project');
/** Has no config/ folder. */
const BARE = join(FIXTURES, 'valid');
const BUNDLED = '/opt/pmo-bot/config/pmo-bot.example.yaml';

describe('resolveConfigPath', () => {
  it('takes --config first, relative to the working directory', () => {
    const env = { PMO_BOT_CONFIG: '/etc/pmo-bot.yaml' };

    const resolved = resolveConfigPath({ flag: 'custom.yaml', env, cwd: PROJECT, bundledDefault: BUNDLED });

    expect(resolved).toEqual({ path: join(PROJECT, 'custom.yaml'), origin: 'flag' });
  });

  it('takes $PMO_BOT_CONFIG without a flag', () => {
    const resolved = resolveConfigPath({ flag: undefined, env: { PMO_BOT_CONFIG: '/etc/pmo-bot.yaml' }, cwd: PROJECT, bundledDefault: BUNDLED });

    expect(resolved).toEqual({ path: '/etc/pmo-bot.yaml', origin: 'env' });
  });

  it('takes config/pmo-bot.yaml in the working directory when it exists', () => {
    const resolved = resolveConfigPath({ env: { PMO_BOT_CONFIG: '' }, cwd: PROJECT, bundledDefault: BUNDLED });

    expect(resolved).toEqual({ path: join(PROJECT, 'config', 'pmo-bot.yaml'), origin: 'default' });
  });

  it('falls back to the bundled example', () => {
    const resolved = resolveConfigPath({ flag: '', env: {}, cwd: BARE, bundledDefault: BUNDLED });

    expect(resolved).toEqual({ path: BUNDLED, origin: 'bundled' });
  });
});
