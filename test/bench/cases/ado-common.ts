import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Starts the fake Azure DevOps server process with N items; resolves with its org URL and PAT. */
export function startFakeAdo(n: number): Promise<{ url: string; pat: string; child: ChildProcess; stop: () => void }> {
  const file = fileURLToPath(new URL('ado-fake-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--max-old-space-size=4096', file, '--n', String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`fake Azure DevOps exited ${code}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+) (\S+)/.exec(out);
      if (m) resolve({ url: m[1]!, pat: m[2]!, child, stop: () => child.kill('SIGTERM') });
    });
  });
}
