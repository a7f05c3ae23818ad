/** Azure DevOps service limits the connector works within. */

/** workitemsbatch takes at most 200 ids: https://learn.microsoft.com/en-us/rest/api/azure/devops/wit/work-items/get-work-items-batch */
export const BATCH_MAX_IDS = 200;

/** Work items refuse revisions past 10,000: https://devblogs.microsoft.com/devops/work-item-revision-limits/ */
export const REVISION_LIMIT = 10_000;
