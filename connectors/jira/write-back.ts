import type { WriteBackChange, WriteBackResult } from '../../src/model/connector.ts';
import type { Logger } from '../../src/util/log.ts';
import { appendAdf, textToAdf } from './adf.ts';
import { describeJiraFailure, type JiraApi } from './client.ts';
import { discoverFields, FIELD_TYPES, type FieldMap } from './fields.ts';
import { JiraField, JiraUserRef, type JiraSourceConfig } from './schema.ts';

/**
 * Write-back for Slack prompts: estimate, due date, assignee, labels, priority, description,
 * acceptance criteria (its own field, else appended to the description) and comments. Jira's
 * refusals come back as a clear message (permission, workflow, field not on the edit screen).
 */

export interface WriteBackDeps {
  config: JiraSourceConfig;
  api: JiraApi;
  log: Logger;
}

interface SiteFields {
  map: FieldMap;
  list: JiraField[];
}

const HINT: Record<string, string> = {
  forbidden: 'the pmo-bot account lacks permission to edit this issue',
  'bad-request': 'the field may not be on the issue\'s edit screen, or the value is not allowed',
  'not-found': 'the issue does not exist or is not visible to the pmo-bot account',
  auth: 'Jira rejected the credentials',
};

const ACCOUNT_ID = /^([0-9a-f]{24}|\d+:[0-9a-f-]{36})$/i;

class Refused extends Error {}

// A burst of Slack answers reuses one field discovery; a field added on the site shows up within this.
const FIELDS_TTL_MS = 10 * 60_000;

/** The connector's `writeBack`: one field-discovery cache shared by its calls. */
export function createJiraWriteBack(deps: WriteBackDeps & { now?: () => number }): (key: string, change: WriteBackChange) => Promise<WriteBackResult> {
  const now = deps.now ?? Date.now;
  let cache: { at: number; site: Promise<SiteFields> } | null = null;
  const fields = (): Promise<SiteFields> => {
    if (cache && now() - cache.at < FIELDS_TTL_MS) return cache.site;
    const site = deps.api.fields().then((raw) => {
      const list = Array.isArray(raw) ? raw.flatMap((f) => (JiraField.safeParse(f).success ? [JiraField.parse(f)] : [])) : [];
      return { list, map: discoverFields(list, deps.config.fields, deps.config.extraFields) };
    });
    cache = { at: now(), site };
    // A failed discovery is not cached: the next answer tries again.
    site.catch(() => {
      if (cache?.site === site) cache = null;
    });
    return site;
  };
  return (key, change) => writeBackJira(deps, fields, key, change);
}

async function writeBackJira(deps: WriteBackDeps, fields: () => Promise<SiteFields>, key: string, change: WriteBackChange): Promise<WriteBackResult> {
  const { api, log } = deps;
  const cloud = api.deployment === 'cloud';
  try {
    const message = await apply(change);
    log.info({ item: key, field: change.field, actor: change.actor ?? null }, 'Wrote back to Jira');
    return { ok: true, message };
  } catch (err) {
    if (err instanceof Refused) return { ok: false, message: err.message };
    const f = describeJiraFailure(err, api.redact);
    const hint = HINT[f.kind];
    const message = `Jira refused to ${change.field === 'comment' ? 'add the comment to' : `set ${change.field} on`} ${key}${f.status ? ` (HTTP ${f.status})` : ''}: ${f.reason}${hint ? ` — ${hint}` : ''}`;
    log.warn({ item: key, field: change.field, status: f.status }, 'Jira write-back refused');
    return { ok: false, message };
  }

  async function apply(c: WriteBackChange): Promise<string> {
    switch (c.field) {
      case 'estimate': {
        const n = typeof c.value === 'number' ? c.value : typeof c.value === 'string' ? Number(c.value) : Number.NaN;
        if (c.value !== null && (!Number.isFinite(n) || n < 0)) throw new Refused(`estimate must be a non-negative number, got ${JSON.stringify(c.value)}`);
        const candidates = (await fields()).map.storyPoints;
        if (candidates.length === 0) throw new Refused('this Jira site has no story points field (pin one with fields.storyPoints)');
        // Sites carry several estimate fields; the first one on the issue's screen takes it.
        let lastErr: unknown;
        for (const id of candidates) {
          try {
            await api.editIssue(key, { [id]: c.value === null ? null : n });
            return `Set the estimate of ${key} to ${c.value === null ? 'none' : n}`;
          } catch (err) {
            if (describeJiraFailure(err).kind !== 'bad-request') throw err;
            lastErr = err;
          }
        }
        throw lastErr;
      }
      case 'dueDate': {
        if (c.value !== null && (typeof c.value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(c.value) || Number.isNaN(Date.parse(c.value)))) {
          throw new Refused(`dueDate must be a date YYYY-MM-DD, got ${JSON.stringify(c.value)}`);
        }
        await api.editIssue(key, { duedate: c.value });
        return `Set the due date of ${key} to ${c.value ?? 'none'}`;
      }
      case 'assignee': {
        if (c.value !== null && typeof c.value !== 'string') throw new Refused('assignee must be an email, account id or user name');
        const user = c.value === null ? null : await resolveUser(c.value);
        await api.editIssue(key, { assignee: cloud ? { accountId: user?.id ?? null } : { name: user?.id ?? null } });
        return user ? `Assigned ${key} to ${user.name}` : `Unassigned ${key}`;
      }
      case 'labels': {
        const labels = Array.isArray(c.value) ? c.value : typeof c.value === 'string' ? c.value.split(/[\s,]+/).filter(Boolean) : [];
        const bad = labels.find((l) => /\s/.test(l) || l === '');
        if (bad !== undefined) throw new Refused(`Jira labels cannot contain spaces: ${JSON.stringify(bad)}`);
        await api.editIssue(key, { labels });
        return `Set the labels of ${key} to ${labels.join(', ') || 'none'}`;
      }
      case 'priority': {
        if (typeof c.value !== 'string' || c.value === '') throw new Refused('priority must be a priority name');
        await api.editIssue(key, { priority: { name: c.value } });
        return `Set the priority of ${key} to ${c.value}`;
      }
      case 'description': {
        const text = textValue(c.value, 'description');
        await api.editIssue(key, { description: cloud ? textToAdf(text) : text });
        return `Replaced the description of ${key}`;
      }
      case 'acceptanceCriteria':
        return acceptanceCriteria(textValue(c.value, 'acceptance criteria'));
      case 'comment': {
        const text = textValue(c.value, 'comment');
        const body = c.actor ? `${text}\n\n(via pmo-bot, asked by ${c.actor})` : text;
        await api.addComment(key, cloud ? textToAdf(body) : body);
        return `Commented on ${key}`;
      }
    }
  }

  async function acceptanceCriteria(text: string): Promise<string> {
    const { map, list } = await fields();
    const id = map.acceptanceCriteria;
    if (id !== null) {
      const def = list.find((f) => f.id === id);
      // Multi-line text fields are ADF in REST v3; single-line ones and everything in v2 are strings.
      const rich = cloud && def?.schema?.custom === FIELD_TYPES.textArea;
      await api.editIssue(key, { [id]: rich ? textToAdf(text) : text });
      return `Set the acceptance criteria of ${key}`;
    }
    const current = (await api.getIssueFields(key, ['description'])) as { fields?: { description?: unknown } } | null;
    const existing = current?.fields?.description ?? null;
    const description = cloud
      ? appendAdf(existing, textToAdf(text, 'Acceptance criteria'))
      : `${typeof existing === 'string' && existing !== '' ? `${existing}\n\n` : ''}h3. Acceptance criteria\n${text}`;
    await api.editIssue(key, { description });
    return `Added acceptance criteria to the description of ${key}`;
  }

  async function resolveUser(query: string): Promise<{ id: string; name: string }> {
    if (cloud && ACCOUNT_ID.test(query)) return { id: query, name: query };
    const raw = await api.findUsers(query);
    const users = Array.isArray(raw) ? raw.flatMap((u) => (JiraUserRef.safeParse(u).success ? [JiraUserRef.parse(u)] : [])) : [];
    const exact = users.find((u) => u.emailAddress?.toLowerCase() === query.toLowerCase() || u.name === query) ?? (users.length === 1 ? users[0] : undefined);
    const id = exact ? (cloud ? exact.accountId : exact.name) : undefined;
    if (!exact || !id) throw new Refused(users.length === 0 ? `no Jira user matches "${query}"` : `"${query}" matches several Jira users; use the email address or account id`);
    return { id, name: exact.displayName ?? id };
  }
}

function textValue(value: WriteBackChange['value'], what: string): string {
  const text = Array.isArray(value) ? value.join('\n') : value === null ? '' : String(value);
  if (text.trim() === '') throw new Refused(`${what} is empty`);
  return text;
}
