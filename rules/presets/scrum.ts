import type { Preset } from '../../src/engine/rule-config.ts';

/** Scrum: time-boxed sprints with a goal, a commitment the team can size, and a steady pace. */
export const preset: Preset = {
  id: 'scrum',
  title: 'Scrum',
  description:
    'For teams working in sprints. On top of the baseline: stories have acceptance criteria and sit under an epic; every active sprint has a goal and dates, lasts no longer than the agreed cadence and starts from an estimated, assigned commitment; scope added after the start, work rolling from sprint to sprint and a sudden drop in velocity are flagged. A PMO wants it because sprint commitments are what stakeholders plan against: these rules keep them honest and comparable across teams.',
  extends: ['recommended'],
  rules: {
    'acceptance-criteria-required': 'warning',
    'parent-required': 'info',
    'sprint-goal-set': 'warning',
    'sprint-dates-set': 'warning',
    'sprint-commitment-estimated': 'warning',
    'max-sprint-length': 'info',
    'scope-creep': 'warning',
    'sprint-carry-over': 'warning',
    'velocity-drop': 'info',
  },
};
