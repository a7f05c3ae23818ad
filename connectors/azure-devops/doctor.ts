import type { DoctorCheck } from '../../src/model/connector.ts';
import { errorMessage } from '../../src/util/errors.ts';
import type { AdoApi } from './client.ts';
import { F } from './map.ts';
import { loadProcess } from './meta.ts';
import { ADO_STATE_CATEGORIES } from './process.ts';
import { AdoProject, AdoRevisionBatch, type AzureDevOpsSourceConfig } from './schema.ts';

const SYSTEM_PROCESSES: readonly string[] = ['Agile', 'Scrum', 'CMMI', 'Basic'];

/**
 * `pmo-bot doctor` for one Azure DevOps source: the server answers, the token is accepted, each
 * project is readable (and its revisions feed too), which process it runs, and which of the fields
 * the rules use its types carry.
 */
export async function checkAzureDevOps(deps: { api: AdoApi; config: AzureDevOpsSourceConfig }): Promise<DoctorCheck[]> {
  const { api, config } = deps;
  const checks: DoctorCheck[] = [];
  try {
    const data = (await api.connectionData()) as { authenticatedUser?: { providerDisplayName?: string; id?: string } };
    const who = data.authenticatedUser?.providerDisplayName;
    // Anonymous connection data comes back with the anonymous identity rather than a 401.
    const anonymous = !who || data.authenticatedUser?.id === 'aa44d1b0-5c1e-4a66-ba1a-fe7d7ca8ac48';
    checks.push({ name: 'reachable', ok: true, detail: config.orgUrl });
    checks.push(anonymous ? { name: 'auth', ok: false, detail: 'the token was not accepted (anonymous connection)' } : { name: 'auth', ok: true, detail: `signed in as ${who}` });
    if (anonymous) return checks;
  } catch (err) {
    checks.push({ name: 'reachable', ok: false, detail: errorMessage(err) });
    return checks;
  }
  for (const project of config.projects) {
    try {
      const parsed = AdoProject.safeParse(await api.project(project));
      if (!parsed.success) throw new Error('unexpected project reply');
      const templateName = parsed.data.capabilities?.processTemplate?.templateName ?? null;
      const process = await loadProcess(api, project, config, templateName);
      const inherited = templateName !== null && !SYSTEM_PROCESSES.includes(templateName);
      const base = process.template === 'custom' ? 'a system process' : process.template;
      checks.push({ name: `project ${project}`, ok: true, detail: `readable; process ${templateName ?? process.template}${inherited ? ` (inherited from ${base})` : ''}` });
      const backlog = [...process.types.values()].filter((t) => t.category !== 'other');
      const noEstimate = backlog.filter((t) => (t.category === 'story' || t.category === 'feature' || t.category === 'epic') && !t.estimateField);
      const withoutStates = backlog.filter((t) => t.states.size === 0);
      const missingEstimate = backlog.filter((t) => t.estimateField && t.fields.size > 0 && !t.fields.has(t.estimateField));
      checks.push({
        name: `fields ${project}`,
        ok: noEstimate.length === 0 && withoutStates.length === 0 && missingEstimate.length === 0,
        detail: [
          backlog.map((t) => `${t.name} → ${t.category}${t.estimateField ? ` (estimate ${t.estimateField})` : ''}`).join(', '),
          missingEstimate.length ? `estimate field not on the type: ${missingEstimate.map((t) => `${t.name} (${t.estimateField})`).join(', ')}` : '',
          noEstimate.length ? `no estimate field on ${noEstimate.map((t) => t.name).join(', ')}: set estimateField` : '',
          withoutStates.length ? `no state categories (${ADO_STATE_CATEGORIES.join('/')}) on ${withoutStates.map((t) => t.name).join(', ')}` : '',
          [...process.types.values()].some((t) => t.fields.has(F.blocked)) ? 'Blocked field present' : `blocked from the "${config.blockedTag}" tag`,
        ]
          .filter(Boolean)
          .join('; '),
      });
      const feed = AdoRevisionBatch.safeParse(await api.revisions({ project, continuationToken: null, startDateTime: new Date(), fields: [F.id], pageSize: 1 }));
      checks.push({ name: `revisions ${project}`, ok: feed.success, detail: feed.success ? 'reporting revisions feed readable' : 'unexpected reply from the reporting revisions feed' });
    } catch (err) {
      checks.push({ name: `project ${project}`, ok: false, detail: errorMessage(err) });
    }
  }
  return checks;
}
