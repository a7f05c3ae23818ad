import { FakeAdo, identity, serve } from '../../connectors/azure-devops/fake-ado.ts';
import { project } from '../../connectors/azure-devops/helpers.ts';

/**
 * The benchmark's Azure DevOps: a loopback fake with N work items (two revisions each: created,
 * then started) over two projects on two process templates. Runs in its own process so its memory
 * never counts against the connector's peak RSS. Prints `READY <orgUrl> <pat>` when listening.
 */
export const BENCH_PAT = 'benchpat0000000000000000000000000000000000000000000';
export const BENCH_PROJECTS = ['Fabrikam', 'ERP'] as const;

const i = process.argv.indexOf('--n');
const n = Number(i >= 0 ? process.argv[i + 1] : 100_000);
const people = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Edsger Dijkstra', 'Barbara Liskov'].map((p) => identity(p, `${p.split(' ')[0]!.toLowerCase()}@fabrikam.example`));

const server = await serve(
  (origin) =>
    new FakeAdo({
      orgUrl: `${origin}/contoso`,
      auth: { pat: BENCH_PAT },
      projects: [project('Fabrikam', 'agile', ['Checkout', 'Mobile']), project('ERP', 'scrum', ['Ledger'])],
      maxPageSize: 1000,
    }),
);
const fake = server.fake;
for (let k = 0; k < n; k++) {
  const agile = k % 2 === 0;
  const name = agile ? 'Fabrikam' : 'ERP';
  const team = agile ? (k % 4 === 0 ? 'Checkout' : 'Mobile') : 'Ledger';
  const by = people[k % people.length]!;
  const id = fake.create(
    name,
    {
      'System.WorkItemType': agile ? 'User Story' : 'Product Backlog Item',
      'System.Title': `Work item ${k}`,
      'System.AreaPath': `${name}\\${team}`,
      'System.IterationPath': `${name}\\${team}\\Sprint ${1 + (k % 3)}`,
      'System.AssignedTo': by,
      'System.Tags': k % 5 === 0 ? 'growth; Blocked' : 'growth',
      'System.Description': `<div>Story <b>${k}</b>: as a user I want things.</div>`,
      'Microsoft.VSTS.Common.Priority': 1 + (k % 4),
      [agile ? 'Microsoft.VSTS.Scheduling.StoryPoints' : 'Microsoft.VSTS.Scheduling.Effort']: 1 + (k % 8),
    },
    { by, at: new Date(Date.UTC(2026, 0, 1) + k * 60_000).toISOString() },
  );
  fake.update(id, { 'System.State': agile ? 'Active' : 'Committed' }, { by, at: new Date(Date.UTC(2026, 0, 1) + k * 60_000 + 30_000).toISOString() });
}
process.stdout.write(`READY ${server.url} ${BENCH_PAT}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
