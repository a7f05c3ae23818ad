import type { Preset } from '../../src/engine/rule-config.ts';

/**
 * The baseline every project gets unless `extends:` says otherwise: the checks that hold whatever the
 * methodology, tuned to stay quiet on a healthy portfolio.
 */
export const preset: Preset = {
  id: 'recommended',
  title: 'Recommended baseline',
  description:
    'Hygiene and risk checks that apply to any way of working: work in progress has an owner, is estimated, moves, and is not overdue or stuck behind a blocker; urgent work is picked up; nobody carries more than they can; risks are owned and mitigated; done means done; no project quietly stops delivering; and no objective drifts out of reach of its target date unnoticed. A PMO wants this as the common floor before any methodology-specific rule.',
  extends: [],
  rules: {
    'estimate-required': 'warning',
    'assignee-when-in-progress': 'warning',
    'stale-in-progress': 'warning',
    overdue: 'critical',
    'due-soon-not-started': 'info',
    'wip-limit': 'warning',
    'blocked-too-long': 'warning',
    'blocked-by-open-dependency': 'warning',
    'high-priority-unassigned': 'critical',
    'person-overallocated': 'warning',
    'risk-register-hygiene': 'warning',
    'definition-of-done': 'warning',
    'zombie-project': 'warning',
    'objective-link-required': 'info',
    // Quiet until objectives with target dates are configured; then it is the PMO's early warning.
    'objective-at-risk': 'warning',
  },
};
