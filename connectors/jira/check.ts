import type { DoctorCheck } from '../../src/model/connector.ts';
import type { Logger } from '../../src/util/log.ts';
import { describeJiraFailure, type JiraApi } from './client.ts';
import { describeFieldMap, discoverFields } from './fields.ts';
import { scopeJql } from './jql.ts';
import { JiraField, JiraMyself, JiraPermissions, JiraServerInfo, type JiraSourceConfig } from './schema.ts';

/**
 * `doctor` for a Jira source: reachability, auth (`/myself`), permission to browse each configured
 * project, whether Jira accepts the scope JQL (and how many issues it matches), the field discovery
 * result and rate-limit headroom. Each check stands alone: one
 * failure does not hide the others (except that nothing past auth can pass without it).
 */
export async function checkJira(deps: { config: JiraSourceConfig; api: JiraApi; log: Logger }): Promise<DoctorCheck[]> {
  const { config, api } = deps;
  api.policy.resetBudget();
  const checks: DoctorCheck[] = [];
  const fail = (name: string, err: unknown): DoctorCheck => {
    const f = describeJiraFailure(err, api.redact);
    return { name, ok: false, detail: `${f.status ? `HTTP ${f.status}: ` : ''}${f.reason}` };
  };

  try {
    const info = JiraServerInfo.parse(await api.serverInfo());
    const kind = info.deploymentType ?? 'unknown deployment';
    const mismatch = (config.deployment === 'cloud') !== (kind.toLowerCase() === 'cloud') && info.deploymentType !== undefined;
    checks.push({
      name: 'reachable',
      ok: !mismatch,
      detail: `${config.baseUrl} answers: Jira ${info.version ?? '?'} (${kind})${mismatch ? `; but the source says deployment: ${config.deployment}` : ''}`,
    });
  } catch (err) {
    checks.push(fail('reachable', err));
  }

  try {
    const me = JiraMyself.parse(await api.myself());
    checks.push({ name: 'auth', ok: true, detail: `authenticated as ${me.displayName ?? me.name ?? me.accountId ?? 'unknown'}${me.emailAddress ? ` <${me.emailAddress}>` : ''}` });
  } catch (err) {
    checks.push(fail('auth', err));
    return checks;
  }

  for (const project of config.projects) {
    try {
      const perms = JiraPermissions.parse(await api.permissions(project)).permissions;
      const browse = perms['BROWSE_PROJECTS']?.havePermission === true;
      const edit = perms['EDIT_ISSUES']?.havePermission === true;
      const comment = perms['ADD_COMMENTS']?.havePermission === true;
      checks.push({
        name: `project ${project}`,
        ok: browse,
        detail: browse ? `browse: yes; edit issues: ${edit ? 'yes' : 'no (write-back will be refused)'}; add comments: ${comment ? 'yes' : 'no'}` : 'no permission to browse this project',
      });
    } catch (err) {
      checks.push(fail(`project ${project}`, err));
    }
  }

  const scope = scopeJql(config);
  try {
    const n = await api.count(scope);
    checks.push({ name: 'scope', ok: true, detail: `${scope} matches ${n === null ? 'an unknown number of' : `${config.deployment === 'cloud' ? 'about ' : ''}${n.toLocaleString('en-US')}`} issues` });
  } catch (err) {
    checks.push(fail('scope', err));
  }

  try {
    const raw = await api.fields();
    const list = Array.isArray(raw) ? raw.flatMap((f) => (JiraField.safeParse(f).success ? [JiraField.parse(f)] : [])) : [];
    const map = discoverFields(list, config.fields, config.extraFields);
    const ok = map.missing.length === 0;
    checks.push({
      name: 'fields',
      ok,
      detail: `${list.length} fields; ${describeFieldMap(map)}${ok ? '' : `; not found: ${map.missing.join(', ')}`}`,
    });
  } catch (err) {
    checks.push(fail('fields', err));
  }

  const rl = api.rateLimit;
  checks.push(
    rl.seenAt === null
      ? { name: 'rate limit', ok: true, detail: `no rate-limit headers on ${api.policy.requests} requests (well under the limits)` }
      : {
          name: 'rate limit',
          ok: !rl.nearLimit,
          detail: `${rl.remaining ?? '?'} of ${rl.limit ?? '?'} left${rl.reset ? `, resets ${rl.reset}` : ''}${rl.nearLimit ? '; Jira says the limit is near (syncs slow down)' : ''}`,
        },
  );
  return checks;
}
