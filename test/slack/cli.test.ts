import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/pmo-bot.js');

/** The real CLI in a child process (async, so the fake Slack in this process can answer it). */
function cli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env['PATH'] ?? '', HOME: cwd, TZ: 'UTC', NO_COLOR: '1', SLACK_BOT_TOKEN: 'xoxb-e2e-secret-token' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

let fake: FakeSlack | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('pmo-bot with a Slack app (CLI against a fake Slack Web API via slack.apiUrl)', () => {
  it('run --once posts grouped alerts and batched DMs once; digest --post posts each audience once', async () => {
    fake = await startFakeSlack();
    fake.users.set('emma.johansson@contoso.example', 'UEMMA');
    const dir = mkdtempSync(join(tmpdir(), 'pmo-slack-e2e-'));
    const config = join(dir, 'pmo-bot.yaml');
    writeFileSync(
      config,
      [
        'timezone: Europe/Berlin',
        'storage: { path: ./data/pmo.db }',
        'sources: [ { id: demo, kind: sample } ]',
        'slack:',
        '  mode: http',
        '  botToken: ${SLACK_BOT_TOKEN}',
        '  signingSecret: not-used-by-run-once',
        `  apiUrl: ${fake.url}`,
        '  routes:',
        '    - { match: { project: PAY }, channel: "#payments-delivery" }',
        '    - { match: { project: [Fabrikam, ERP] }, channel: "#contoso-delivery" }',
      ].join('\n'),
    );

    const first = await cli(['run', '--once', '--config', config], dir);
    const posted = fake.callsTo('chat.postMessage').map((c) => String(c.args['channel']));
    const again = await cli(['run', '--once', '--config', config], dir);
    const postedAgain = fake.callsTo('chat.postMessage').length - posted.length;
    const digest = await cli(['digest', '--post', '--config', config], dir);
    const digests = fake.callsTo('chat.postMessage').slice(posted.length).map((c) => String(c.args['channel']));
    const digestAgain = await cli(['digest', '--post', '--config', config], dir);

    expect(first.code, first.stderr).toBe(0);
    expect(posted.filter((c) => c.startsWith('#')).sort()).toEqual(['#contoso-delivery', '#payments-delivery', '#pmo-alerts']);
    expect(posted.filter((c) => c === 'UEMMA')).toHaveLength(1);
    expect(first.stdout).toMatch(/notify {2}4 messages queued \(3 alerts, 1 prompt DM\), 4 delivered via http/);
    expect(fake.callsTo('users.lookupByEmail').length).toBeGreaterThan(1);
    expect(new Set(fake.calls.map((c) => c.auth))).toEqual(new Set(['Bearer xoxb-e2e-secret-token']));
    expect(again.code).toBe(0);
    expect(postedAgain).toBe(0);
    expect(digest.code, digest.stderr).toBe(0);
    expect(digests.sort()).toEqual(['#contoso-delivery', '#payments-delivery', '#pmo-leads']);
    expect(digestAgain.stdout).toMatch(/digest: 0 queued/);
    for (const out of [first, again, digest, digestAgain]) expect(out.stdout + out.stderr).not.toContain('xoxb-e2e-secret-token');
  });
});
