import { z } from 'zod';
import { TYPE_CATEGORIES } from '../../src/model/work-item.ts';

/**
 * The `kind: jira` source config (strict: a typo is an error) and the slices of Jira payloads the
 * connector reads (permissive: unknown keys pass, one malformed issue is quarantined, not the page).
 */

const FieldRef = z.string().min(1);
// jira.js's response schemas turn some instants into Date objects; raw v2 answers keep strings.
const Instant = z.union([z.string(), z.date()]);

const EmailTokenAuth = z
  .strictObject({
    email: z.string().min(1).describe('Atlassian account email (Cloud API token auth).'),
    apiToken: z.string().min(1).describe('API token from id.atlassian.com/manage-profile/security/api-tokens; sent as Basic auth.'),
  })
  .describe('Jira Cloud: email + API token.');
const BearerAuth = z
  .strictObject({
    token: z
      .string()
      .min(1)
      .describe('Sent as `Authorization: Bearer`: an OAuth 2.0 access token on Cloud (baseUrl https://api.atlassian.com/ex/jira/<cloudId>) or a personal access token on Data Center.'),
  })
  .describe('Bearer token: OAuth 2.0 (Cloud) or personal access token (Data Center 8.14+).');
const BasicAuth = z
  .strictObject({
    username: z.string().min(1).describe('Data Center user name.'),
    password: z.string().min(1).describe('Password (Jira 11 disables Basic auth by default; prefer a personal access token).'),
  })
  .describe('Data Center / Server: user name + password (Basic auth).');

export const JiraAuth = z.union([EmailTokenAuth, BearerAuth, BasicAuth]);
export type JiraAuth = z.infer<typeof JiraAuth>;

const Since = z
  .string()
  .regex(/^(\d{4}-\d{2}-\d{2}|\d+d)$/, 'must be a date (2025-01-01) or a number of days (365d)')
  .optional()
  .describe('How far back the first sync reaches: a date (2025-01-01) or days back (365d). Without it the first sync takes all history of the scope.');

export const JiraFieldPins = z
  .strictObject({
    storyPoints: FieldRef.optional().describe('Estimate field id or name; default: discovered (jsw-story-points "Story point estimate", legacy float "Story Points", boards\' estimation field).'),
    sprint: FieldRef.optional().describe('Sprint field id or name; default: the gh-sprint custom field.'),
    epicLink: FieldRef.optional().describe('Epic Link field (Data Center); default: the gh-epic-link custom field. Cloud uses `parent`.'),
    parentLink: FieldRef.optional().describe('Parent Link above epics (Advanced Roadmaps on Data Center); default: the jpo-custom-field-parent field.'),
    flagged: FieldRef.optional().describe('Flagged/impediment field; default: the multi-checkbox field named "Flagged".'),
    startDate: FieldRef.optional().describe('Start date field; default: the date field named "Start date".'),
    acceptanceCriteria: FieldRef.optional().describe('Acceptance criteria field; default: a text field named "Acceptance Criteria"; without one, write-back appends to the description.'),
    team: FieldRef.optional().describe('Field whose value becomes the item\'s team (e.g. the Atlassian Team field); default: none.'),
  })
  .prefault({})
  .describe('Pin field ids (customfield_10016) or names when discovery picks the wrong one.');
export type JiraFieldPins = z.infer<typeof JiraFieldPins>;

export const JiraSourceConfig = z.strictObject({
  id: z.string().min(1).describe('Source id; item keys are `<id>:<issue key>`, e.g. `acme-jira:PAY-12`.'),
  kind: z.literal('jira').describe('Jira Cloud (REST v3) or Data Center / Server (REST v2) through jira.js.'),
  since: Since,
  deployment: z.enum(['cloud', 'datacenter']).default('cloud').describe('cloud: REST v3 + enhanced JQL search; datacenter: REST v2 (also Jira Server).'),
  baseUrl: z.url().describe('Site URL, e.g. https://acme.atlassian.net or https://jira.example.com (any URL: proxies and tests use loopback).'),
  auth: JiraAuth.describe('Email + API token (Cloud), bearer token (OAuth 2.0 on Cloud, PAT on Data Center) or user name + password (Data Center).'),
  projects: z.array(z.string().min(1)).default([]).describe('Project keys to sync; combined with `jql` when both are set.'),
  jql: z.string().min(1).optional().describe('An admin\'s own JQL scope (no ORDER BY); pmo-bot adds the `updated` window and ordering.'),
  fields: JiraFieldPins,
  extraFields: z.array(FieldRef).default([]).describe('Further field ids or names to fetch and keep in `item.fields` for custom rules.'),
  typeCategories: z
    .record(z.string(), z.enum(TYPE_CATEGORIES))
    .default({})
    .describe('Issue type name → category (epic, feature, story, task, bug, subtask, risk, other) where the default guess is wrong.'),
  pageSize: z.int().min(1).max(1000).default(100).describe('Issues asked per search page (Jira may return fewer; Data Center pages by the maxResults it echoes).'),
  overlapMinutes: z.int().min(1).max(1440).default(5).describe('Each incremental window re-reads this many minutes before the watermark (JQL has minute resolution; covers clock skew).'),
  reconcileEveryHours: z.number().min(0).default(24).describe('How often an ids-only search finds items that were deleted or left the scope (0: every sync).'),
  sprintRefreshMinutes: z.number().min(0).default(60).describe('How often boards and sprints are re-read from the agile API (0: every sync).'),
  maxRequests: z.int().min(1).default(50_000).describe('Request budget per sync; past it the sync stops cleanly and resumes next time.'),
  concurrency: z.int().min(1).max(16).default(4).describe('Requests in flight at once.'),
  maxAttempts: z.int().min(1).max(10).default(5).describe('Attempts per request (429, 503, 5xx, network errors), the first included.'),
}).refine((s) => s.projects.length > 0 || s.jql !== undefined, {
  message: 'set `projects` or `jql`: Jira refuses unbounded searches',
  path: ['projects'],
});
export type JiraSourceConfig = z.infer<typeof JiraSourceConfig>;

// ----------------------------------------------------------------------------------------------
// Payload slices (only what we read). Shapes from the Jira Cloud v3 OpenAPI spec
// (reference/jira/swagger-v3.v3.json) and the Data Center v2 search.

export const JiraFieldSchema = z.looseObject({
  type: z.string().optional(),
  items: z.string().optional(),
  system: z.string().optional(),
  custom: z.string().optional(),
  customId: z.number().optional(),
});

/** `GET /rest/api/{2,3}/field` entry (FieldDetails). */
export const JiraField = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  custom: z.boolean().optional(),
  schema: JiraFieldSchema.optional(),
  clauseNames: z.array(z.string()).optional(),
});
export type JiraField = z.infer<typeof JiraField>;

export const JiraChangeItem = z.looseObject({
  field: z.string(),
  fieldId: z.string().optional(),
  fieldtype: z.string().optional(),
  from: z.string().nullable().optional(),
  fromString: z.string().nullable().optional(),
  to: z.string().nullable().optional(),
  toString: z.string().nullable().optional(),
});
export type JiraChangeItem = z.infer<typeof JiraChangeItem>;

export const JiraUserRef = z.looseObject({
  accountId: z.string().optional(),
  name: z.string().optional(),
  key: z.string().optional(),
  displayName: z.string().optional(),
  emailAddress: z.string().optional(),
});

export const JiraHistory = z.looseObject({
  id: z.string().optional(),
  created: Instant,
  author: JiraUserRef.nullable().optional(),
  items: z.array(JiraChangeItem),
});
export type JiraHistory = z.infer<typeof JiraHistory>;

export const JiraEmbeddedChangelog = z.looseObject({
  startAt: z.number().optional(),
  maxResults: z.number().optional(),
  total: z.number().optional(),
  histories: z.array(JiraHistory),
});

/** One issue of a search page: the envelope only; fields are read one by one in map.ts. */
export const JiraIssue = z.looseObject({
  id: z.string().min(1),
  key: z.string().min(1),
  fields: z.record(z.string(), z.unknown()),
  changelog: JiraEmbeddedChangelog.optional(),
});
export type JiraIssue = z.infer<typeof JiraIssue>;

/** Cloud `POST /rest/api/3/search/jql` (SearchAndReconcileResults): no total, token paging. */
export const CloudSearchPage = z.looseObject({
  issues: z.array(z.unknown()),
  nextPageToken: z.string().nullable().optional(),
  isLast: z.boolean().optional(),
});

/** Data Center `POST /rest/api/2/search` (SearchResults): offset paging with total. */
export const DcSearchPage = z.looseObject({
  issues: z.array(z.unknown()),
  startAt: z.number(),
  maxResults: z.number(),
  total: z.number(),
});

/** `POST /rest/api/3/changelog/bulkfetch` (BulkChangelogResponseBean). */
export const BulkChangelogPage = z.looseObject({
  issueChangeLogs: z.array(z.looseObject({ issueId: z.string(), changeHistories: z.array(JiraHistory).optional() })).optional(),
  nextPageToken: z.string().nullable().optional(),
});

/** `GET /rest/api/2/issue/{key}/changelog` (PageBeanChangelog). */
export const ChangelogPage = z.looseObject({
  values: z.array(JiraHistory),
  startAt: z.number().optional(),
  maxResults: z.number().optional(),
  total: z.number().optional(),
  isLast: z.boolean().optional(),
});

/** `GET /rest/api/{2,3}/status` entry. */
export const JiraStatus = z.looseObject({
  id: z.string(),
  name: z.string(),
  statusCategory: z.looseObject({ key: z.string() }).optional(),
});

export const AgileBoard = z.looseObject({
  id: z.number(),
  name: z.string(),
  type: z.string().optional(),
  location: z.looseObject({ projectKey: z.string().optional() }).optional(),
});
export type AgileBoard = z.infer<typeof AgileBoard>;

export const AgileSprint = z.looseObject({
  id: z.number(),
  name: z.string(),
  state: z.string(),
  startDate: Instant.nullable().optional(),
  endDate: Instant.nullable().optional(),
  completeDate: Instant.nullable().optional(),
  goal: z.string().nullable().optional(),
  originBoardId: z.number().optional(),
});
export type AgileSprint = z.infer<typeof AgileSprint>;

/** Offset pages of the agile API (`values`, `isLast`). */
export const AgilePage = z.looseObject({
  values: z.array(z.unknown()),
  startAt: z.number().optional(),
  maxResults: z.number().optional(),
  isLast: z.boolean().optional(),
  total: z.number().optional(),
});

export const BoardConfiguration = z.looseObject({
  estimation: z
    .looseObject({ type: z.string().optional(), field: z.looseObject({ fieldId: z.string(), displayName: z.string().optional() }).optional() })
    .optional(),
});

export const JiraMyself = z.looseObject({
  accountId: z.string().optional(),
  name: z.string().optional(),
  displayName: z.string().optional(),
  emailAddress: z.string().optional(),
});

export const JiraServerInfo = z.looseObject({
  baseUrl: z.string().optional(),
  version: z.string().optional(),
  deploymentType: z.string().optional(),
});

export const JiraPermissions = z.looseObject({
  permissions: z.record(z.string(), z.looseObject({ havePermission: z.boolean().optional() })),
});

// Structural guards that accept exactly what JiraIssue accepts, so well-formed issues are read in
// place (zod would copy each ~9 KB issue); zod runs only to word the error of a malformed one.
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const optStr = (v: unknown): boolean => v === undefined || typeof v === 'string';
const optNullStr = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';
const optNum = (v: unknown): boolean => v === undefined || typeof v === 'number';

function isChangeItem(v: unknown): boolean {
  return isObj(v) && typeof v['field'] === 'string' && optStr(v['fieldId']) && optStr(v['fieldtype']) && optNullStr(v['from']) && optNullStr(v['fromString']) && optNullStr(v['to']) && optNullStr(v['toString']);
}

function isHistory(v: unknown): boolean {
  if (!isObj(v) || !optStr(v['id']) || !(typeof v['created'] === 'string' || v['created'] instanceof Date) || !Array.isArray(v['items'])) return false;
  const a = v['author'];
  if (a !== undefined && a !== null && !(isObj(a) && optStr(a['accountId']) && optStr(a['name']) && optStr(a['key']) && optStr(a['displayName']) && optStr(a['emailAddress']))) return false;
  return v['items'].every(isChangeItem);
}

export function isJiraIssue(v: unknown): v is JiraIssue {
  if (!isObj(v) || typeof v['id'] !== 'string' || v['id'] === '' || typeof v['key'] !== 'string' || v['key'] === '' || !isObj(v['fields'])) return false;
  const cl = v['changelog'];
  if (cl === undefined) return true;
  return isObj(cl) && optNum(cl['startAt']) && optNum(cl['maxResults']) && optNum(cl['total']) && Array.isArray(cl['histories']) && cl['histories'].every(isHistory);
}
