#!/usr/bin/env -S node --max-semi-space-size=16
// --max-semi-space-size=16: V8's young generation capped at 16 MB (default 64) keeps a bulk sync's peak
// memory about 100 MB lower at no measurable CPU cost (docs/azure-devops.md). The Docker image sets the
// same in NODE_OPTIONS and `npm run bench` starts its cases with it (test/bench/run.ts NODE_FLAGS).
// Runs the TypeScript sources directly (Node's type stripping); Node 22.18+ is required.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`pmo-bot needs Node.js 22.18 or newer (this is ${process.version}); see README.md\n`);
  process.exit(1);
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
