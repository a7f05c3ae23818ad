import type { WriteBackChange, WriteBackResult } from '../../src/model/connector.ts';
import { ExternalHostError } from '../../src/http/policy.ts';
import { errorMessage } from '../../src/util/errors.ts';
import type { Logger } from '../../src/util/log.ts';
import { AdoRequestError, type AdoApi, type JsonPatchOp } from './client.ts';
import { REVISION_LIMIT } from './limits.ts';
import { F, str } from './map.ts';
import { loadProcess } from './meta.ts';
import { ESTIMATE_FIELDS, type ProcessModel } from './process.ts';
import { AdoWorkItem, type AzureDevOpsSourceConfig } from './schema.ts';

/**
 * Write-back through JSON Patch (`PATCH _apis/wit/workitems/{id}`, `application/json-patch+json`),
 * guarded by a `test` of the revision read just before, so a concurrent edit is refused rather than
 * overwritten. Comments go to the Comments API. Rule and permission refusals come back as clear
 * messages, never as thrown errors.
 */

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Plain text → the HTML rich-text fields hold: paragraphs kept as line breaks. */
export function textToHtml(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => escapeHtml(line))
    .join('<br>');
}

function explain(err: unknown, id: number): string {
  const status = err instanceof ExternalHostError ? err.status : err instanceof AdoRequestError ? err.status : null;
  const message = errorMessage(err);
  if (status === 401) return `Azure DevOps refused the credentials while updating ${id}; check the token`;
  if (status === 403) return `No permission to edit work item ${id} (the token needs Work Items: Read & write, and edit rights on its area path): ${message}`;
  if (status === 404) return `Work item ${id} does not exist or is not visible to this token`;
  if (status === 412 || (status === 400 && /TF26071|TF401289|updated by someone else|test operation/i.test(message))) {
    return `Work item ${id} changed while we were updating it; nothing was written, try again`;
  }
  if (/TF401320|TF401326|Rule Error|VS402625|TF51535/i.test(message)) return `Azure DevOps rules refused the change to ${id}: ${message}`;
  return `Updating work item ${id} failed: ${message}`;
}

interface Deps {
  api: AdoApi;
  config: AzureDevOpsSourceConfig;
  log: Logger;
}

function dateField(fields: Record<string, unknown>, typeFields: ReadonlySet<string>): string | null {
  if (fields[F.dueDate] !== undefined) return F.dueDate;
  if (fields[F.targetDate] !== undefined) return F.targetDate;
  if (typeFields.has(F.dueDate)) return F.dueDate;
  if (typeFields.has(F.targetDate)) return F.targetDate;
  return typeFields.size === 0 ? F.dueDate : null;
}

function patchFor(change: WriteBackChange, fields: Record<string, unknown>, process: ProcessModel, typeName: string): JsonPatchOp[] | string {
  const type = process.types.get(typeName);
  const typeFields = type?.fields ?? new Set<string>();
  const set = (field: string, value: unknown): JsonPatchOp[] =>
    value === null ? (fields[field] === undefined ? [] : [{ op: 'remove', path: `/fields/${field}` }]) : [{ op: 'add', path: `/fields/${field}`, value }];
  const v = change.value;
  switch (change.field) {
    case 'estimate': {
      const field = type?.estimateField ?? ESTIMATE_FIELDS.find((f) => fields[f] !== undefined) ?? null;
      if (!field) return `Type "${typeName}" has no estimate field (Story Points, Effort or Size); set estimateField in the source config`;
      if (v !== null && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) return 'The estimate must be a number of at least 0';
      return set(field, v);
    }
    case 'dueDate': {
      const field = dateField(fields, typeFields);
      if (!field) return `Type "${typeName}" has no Due Date or Target Date field`;
      if (v !== null && (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v))) return 'The date must look like 2026-12-31';
      return set(field, v === null ? null : `${v}T00:00:00Z`);
    }
    case 'assignee':
      if (v !== null && typeof v !== 'string') return 'The assignee must be an email or unique name';
      return set(F.assignedTo, v);
    case 'labels': {
      if (v !== null && !Array.isArray(v)) return 'Labels must be a list of tags';
      const tags = (v ?? []).map((t) => String(t).trim()).filter((t) => t !== '' && !t.includes(';'));
      return set(F.tags, tags.length ? tags.join('; ') : null);
    }
    case 'acceptanceCriteria':
      return set(F.acceptance, v === null ? null : textToHtml(String(v)));
    case 'description':
      return set(F.description, v === null ? null : textToHtml(String(v)));
    case 'priority': {
      const p = v === null ? null : Number(v);
      if (p !== null && (!Number.isInteger(p) || p < 1 || p > 4)) return 'Priority is 1 (highest) to 4';
      return set(F.priority, p);
    }
    default:
      return `The field "${change.field}" cannot be written back to Azure DevOps`;
  }
}

export async function writeBackAzureDevOps(deps: Deps, nativeKey: string, change: WriteBackChange): Promise<WriteBackResult> {
  const { api, config, log } = deps;
  const id = Number(nativeKey);
  if (!Number.isInteger(id) || id <= 0) return { ok: false, message: `"${nativeKey}" is not an Azure DevOps work item id` };
  try {
    const [raw] = await api.workItemsBatch(null, [id]);
    const parsed = AdoWorkItem.safeParse(raw);
    if (!parsed.success) return { ok: false, message: `Work item ${id} does not exist or is not visible to this token` };
    const item = parsed.data;
    const project = str(item.fields[F.project]) ?? config.projects[0] ?? '';
    const rev = item.rev ?? Number(item.fields[F.rev] ?? 0);
    if (rev >= REVISION_LIMIT) return { ok: false, message: `Work item ${id} has ${rev} revisions; Azure DevOps accepts no edits past 10,000 (copy it to a new item)` };
    if (change.field === 'comment') {
      const text = typeof change.value === 'string' ? change.value.trim() : '';
      if (!text) return { ok: false, message: 'A comment needs some text' };
      const by = change.actor ? `<br><em>via pmo-bot for ${escapeHtml(change.actor)}</em>` : '';
      await api.addComment(project, id, textToHtml(text) + by);
      log.info({ item: id, field: 'comment' }, 'Comment added');
      return { ok: true, message: `Comment added to ${id}` };
    }
    const process = await loadProcess(api, project, config);
    const ops = patchFor(change, item.fields, process, str(item.fields[F.type]) ?? '');
    if (typeof ops === 'string') return { ok: false, message: ops };
    if (ops.length === 0) return { ok: true, message: `Nothing to change on ${id}` };
    const history = change.actor ? [{ op: 'add' as const, path: `/fields/${F.history}`, value: `Updated by pmo-bot for ${escapeHtml(change.actor)}` }] : [];
    await api.updateWorkItem(project, id, [{ op: 'test', path: '/rev', value: rev }, ...ops, ...history]);
    log.info({ item: id, field: change.field }, 'Work item updated');
    return { ok: true, message: `Updated ${change.field} of ${id}` };
  } catch (err) {
    const message = explain(err, id);
    log.warn({ item: id, field: change.field, error: message }, 'Write-back refused');
    return { ok: false, message };
  }
}
