#!/usr/bin/env node
// Runs the TypeScript sources directly (Node's type stripping); Node 22.18+ is required.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`pmo-bot needs Node.js 22.18 or newer (this is ${process.version}); see README.md\n`);
  process.exit(1);
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
