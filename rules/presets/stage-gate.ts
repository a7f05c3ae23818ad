import type { Preset } from '../../src/engine/rule-config.ts';

/** Stage-gate (waterfall, phase-gated): dated milestones, recorded gate approvals, a maintained risk register. */
export const preset: Preset = {
  id: 'stage-gate',
  title: 'Stage-gate',
  description:
    'For phase-gated programmes (ERP roll-outs, regulated or contract work). Epics and features carry due dates; work past a gate must carry the recorded gate approval; every open risk needs an owner, a mitigation and a review date that has not lapsed; work is described, prioritised and sits in the hierarchy. A PMO wants it because gate reviews, milestone dates and the risk register are what steering committees and auditors look at.',
  extends: ['recommended'],
  rules: {
    'due-date-required': ['warning', { types: ['epic', 'feature'] }],
    'stage-gate-approval': 'critical',
    'risk-register-hygiene': ['critical', { requireReviewDate: true }],
    'priority-required': 'info',
    'description-required': 'info',
    'parent-required': 'info',
  },
};
