import { z } from 'zod';
import { TYPE_CATEGORIES } from '../../src/model/work-item.ts';

/**
 * The `kind: azure-devops` source config (strict: a typo is an error) and the slices of Azure DevOps
 * REST payloads the connector reads (permissive: unknown keys pass, a malformed item is quarantined).
 * Payload shapes follow the 7.1 specs in MicrosoftDocs/vsts-rest-api-specs (wit and work).
 */

const SINCE = /^(\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?|\d+d)$/;

/** `2025-01-01`, an ISO instant, or `365d` (days before now). */
export function sinceInstant(since: string | undefined, now: Date): Date | null {
  if (!since) return null;
  const days = /^(\d+)d$/.exec(since);
  if (days) return new Date(now.getTime() - Number(days[1]) * 86_400_000);
  const at = new Date(since.length === 10 ? `${since}T00:00:00Z` : since);
  return Number.isNaN(at.getTime()) ? null : at;
}

const EstimateOverride = z.union([
  z.string().min(1),
  z.record(z.string().min(1), z.string().min(1)),
]);

export const AzureDevOpsSourceConfig = z.strictObject({
  id: z.string().min(1).describe('Source id; item keys are `<id>:<work item id>`, e.g. `contoso-ado:4711`.'),
  kind: z.literal('azure-devops').describe('Azure DevOps Services (dev.azure.com) or Azure DevOps Server (on-premises collection).'),
  since: z
    .string()
    .regex(SINCE, 'a date (2025-01-01), an ISO instant, or a number of days (365d)')
    .optional()
    .describe('How far back the first sync reaches: a date, an instant or `365d`. Without it, all history of the projects.'),
  orgUrl: z
    .url()
    .transform((u) => u.replace(/\/+$/, ''))
    .describe('Organization URL (https://dev.azure.com/contoso, https://contoso.visualstudio.com) or Server collection URL (https://ado.example.com/tfs/DefaultCollection).'),
  auth: z
    .union([
      z.strictObject({ pat: z.string().min(1).describe('Personal access token with Work Items (Read; Read & write for write-back) and Project and Team (Read).') }),
      z.strictObject({ token: z.string().min(1).describe('Bearer token (Microsoft Entra ID access token or OAuth).') }),
    ])
    .describe('`{ pat: "${ADO_PAT}" }` or `{ token: "${ADO_TOKEN}" }`; keep the secret in the environment.'),
  projects: z.array(z.string().min(1)).min(1).describe('Project names to sync, e.g. [Fabrikam, ERP].'),
  areaPaths: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('Only items under these area paths (with their children), e.g. ["Fabrikam\\\\Checkout"]. Items moved out are marked removed.'),
  wiql: z
    .string()
    .min(1)
    .max(30_000)
    .optional()
    .describe('An extra WIQL condition every synced item must meet, e.g. "[System.WorkItemType] <> \'Test Case\'". Checked with WIQL for each changed batch.'),
  estimateField: EstimateOverride.optional().describe(
    'Estimate field reference name for every type ("Custom.Points"), or per type ({ "User Story": "Custom.Points" }). Default per type: Story Points, Effort or Size, whichever the type has.',
  ),
  typeCategories: z
    .record(z.string().min(1), z.enum(TYPE_CATEGORIES))
    .optional()
    .describe('Type name → category for types the process metadata does not place (e.g. { Risk: risk, Impediment: risk }).'),
  blockedTag: z.string().min(1).default('Blocked').describe('A tag that marks an item blocked (besides the CMMI Blocked field).'),
  pageSize: z.int().min(1).max(10_000).default(1000).describe('Revisions asked for per reporting-feed page ($maxPageSize); the service may send fewer.'),
  maxRequests: z.int().min(1).default(20_000).describe('Request budget of one sync; past it the sync stops cleanly and resumes from its watermark.'),
  concurrency: z.int().min(1).max(16).default(4).describe('Requests in flight at once.'),
  timeoutSeconds: z.int().min(5).max(600).default(120).describe('Socket timeout of one request.'),
});
export type AzureDevOpsSourceConfig = z.infer<typeof AzureDevOpsSourceConfig>;

// ---------------------------------------------------------------------------------------------
// Payload slices (permissive)

/** `IdentityRef` (includeIdentityRef / workitemsbatch) or the legacy `"Name <email>"` string. */
export const AdoIdentity = z.union([
  z.looseObject({
    id: z.string().optional(),
    displayName: z.string().optional(),
    uniqueName: z.string().optional(),
    descriptor: z.string().optional(),
  }),
  z.string(),
]);
export type AdoIdentity = z.infer<typeof AdoIdentity>;

export const AdoRelation = z.looseObject({
  rel: z.string(),
  url: z.string(),
  attributes: z.record(z.string(), z.unknown()).optional(),
});
export type AdoRelation = z.infer<typeof AdoRelation>;

const isFieldMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A work item (workitemsbatch) or a work item revision (reporting feed). `fields` is checked as a
 * map without walking every value: this runs for every revision of a full sync, and each value is
 * read (and checked) where it is used.
 */
export const AdoWorkItem = z.looseObject({
  id: z.int().positive(),
  rev: z.int().nonnegative().optional(),
  fields: z.custom<Record<string, unknown>>(isFieldMap, { message: 'fields must be an object' }),
  relations: z.array(AdoRelation).nullish(),
  url: z.string().optional(),
});
export type AdoWorkItem = z.infer<typeof AdoWorkItem>;

function isRelation(r: unknown): boolean {
  return typeof r === 'object' && r !== null && typeof (r as { rel?: unknown }).rel === 'string' && typeof (r as { url?: unknown }).url === 'string';
}

/**
 * `AdoWorkItem.safeParse` with a fast path: a payload that plainly has the shape is taken as is
 * (this runs for every revision of a full sync); anything else goes through the schema, which says
 * what is wrong.
 */
export function parseAdoWorkItem(raw: unknown): z.ZodSafeParseResult<AdoWorkItem> {
  const o = raw as { id?: unknown; rev?: unknown; fields?: unknown; relations?: unknown } | null;
  if (
    typeof o === 'object' &&
    o !== null &&
    Number.isInteger(o.id) &&
    (o.id as number) > 0 &&
    isFieldMap(o.fields) &&
    (o.rev === undefined || (Number.isInteger(o.rev) && (o.rev as number) >= 0)) &&
    (o.relations === undefined || o.relations === null || (Array.isArray(o.relations) && o.relations.every(isRelation)))
  ) {
    return { success: true, data: o as AdoWorkItem };
  }
  return AdoWorkItem.safeParse(raw);
}

/** `ReportingWorkItemRevisionsBatch`: values may be absent on an empty batch. */
export const AdoRevisionBatch = z.looseObject({
  values: z.array(z.unknown()).nullish(),
  continuationToken: z.string().nullish(),
  nextLink: z.string().nullish(),
  isLastBatch: z.boolean().nullish(),
});
export type AdoRevisionBatch = z.infer<typeof AdoRevisionBatch>;

export const AdoStateColor = z.looseObject({ name: z.string(), category: z.string().nullish(), color: z.string().nullish() });

export const AdoWorkItemType = z.looseObject({
  name: z.string(),
  referenceName: z.string().nullish(),
  isDisabled: z.boolean().nullish(),
  states: z.array(AdoStateColor).nullish(),
  fields: z.array(z.looseObject({ referenceName: z.string(), name: z.string().nullish() })).nullish(),
});
export type AdoWorkItemType = z.infer<typeof AdoWorkItemType>;

export const AdoTypeCategory = z.looseObject({
  name: z.string().nullish(),
  referenceName: z.string(),
  workItemTypes: z.array(z.looseObject({ name: z.string() })).nullish(),
});
export type AdoTypeCategory = z.infer<typeof AdoTypeCategory>;

export const AdoTeam = z.looseObject({ id: z.string(), name: z.string() });
export type AdoTeam = z.infer<typeof AdoTeam>;

/** `TeamSettingsIteration`; the SDK turns the attribute dates into Date objects. */
export const AdoIteration = z.looseObject({
  id: z.string(),
  name: z.string(),
  path: z.string().nullish(),
  attributes: z
    .looseObject({
      startDate: z.union([z.date(), z.string()]).nullish(),
      finishDate: z.union([z.date(), z.string()]).nullish(),
      timeFrame: z.union([z.number(), z.string()]).nullish(),
    })
    .nullish(),
});
export type AdoIteration = z.infer<typeof AdoIteration>;

export const AdoTeamFieldValues = z.looseObject({
  defaultValue: z.string().nullish(),
  values: z.array(z.looseObject({ value: z.string(), includeChildren: z.boolean().nullish() })).nullish(),
});
export type AdoTeamFieldValues = z.infer<typeof AdoTeamFieldValues>;

export const AdoWiqlResult = z.looseObject({
  workItems: z.array(z.looseObject({ id: z.int() })).nullish(),
});

export const AdoProject = z.looseObject({
  id: z.string(),
  name: z.string(),
  capabilities: z
    .looseObject({
      processTemplate: z.looseObject({ templateName: z.string().nullish(), templateTypeId: z.string().nullish() }).nullish(),
    })
    .nullish(),
});
export type AdoProject = z.infer<typeof AdoProject>;
