import type { Preset } from '../../src/engine/rule-config.ts';

/** Kanban: continuous flow, limited work in progress, and age measured against the team's own history. */
export const preset: Preset = {
  id: 'kanban',
  title: 'Kanban',
  description:
    "For flow teams without sprints (operations, support, platform). Estimates are not required; instead work in progress is limited, items older than the team's own 85th-percentile cycle time are flagged (aging WIP), blockers get escalated after two days, and spikes in incoming bugs or re-opened work show quality problems early. A PMO wants it because flow teams are judged on predictability of lead time, not on sprint commitments.",
  extends: ['recommended'],
  rules: {
    'estimate-required': 'off',
    'aging-wip': 'warning',
    'blocked-too-long': ['warning', { days: 2 }],
    'bug-inflow-spike': 'warning',
    'reopened-work': 'info',
  },
};
