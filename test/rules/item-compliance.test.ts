import { describe, expect, it } from 'vitest';
import { rule as acceptanceCriteriaRequired } from '../../rules/acceptance-criteria-required.ts';
import { rule as descriptionRequired } from '../../rules/description-required.ts';
import { rule as dueDateRequired } from '../../rules/due-date-required.ts';
import { rule as parentRequired } from '../../rules/parent-required.ts';
import { rule as priorityRequired } from '../../rules/priority-required.ts';
import { rule as riskRegisterHygiene } from '../../rules/risk-register-hygiene.ts';
import { rule as stageGateApproval } from '../../rules/stage-gate-approval.ts';
import { inProgress, makeWorkItem } from '../helpers/builders.ts';
import { checkRule, runRule } from '../helpers/rule-tester.ts';

describe('acceptance-criteria-required', () => {
  it('recognises headings, Given/When/Then and the Azure DevOps field', () => {
    checkRule(acceptanceCriteriaRequired, {
      valid: [
        { name: 'heading with text', items: [makeWorkItem({ description: 'As a payer I want receipts.\n\nAcceptance criteria\n- a receipt is emailed within a minute' })] },
        { name: 'markdown heading', items: [makeWorkItem({ description: 'Intro\n## Acceptance Criteria:\n* the total matches the basket' })] },
        { name: 'gherkin', items: [makeWorkItem({ description: 'Given a paid order\nWhen the payer opens it\nThen a receipt link shows' })] },
        { name: 'ADO field with HTML', items: [makeWorkItem({ description: null, fields: { 'Microsoft.VSTS.Common.AcceptanceCriteria': '<div>Receipt is emailed</div>' } })] },
        { name: 'done stories skipped', items: [makeWorkItem({ description: null, statusCategory: 'done' })] },
        { name: 'bugs not checked by default', items: [makeWorkItem({ description: null, typeCategory: 'bug' })] },
      ],
      invalid: [
        { name: 'no description', items: [makeWorkItem({ nativeKey: 'PAY-1', description: null })], errors: [{ messageId: 'missing', subject: 'test:PAY-1', data: { key: 'PAY-1' } }] },
        { name: 'empty heading', items: [makeWorkItem({ nativeKey: 'PAY-2', description: 'Story\nAcceptance criteria:\nTBD' })], errors: [{ messageId: 'missing', subject: 'test:PAY-2' }] },
        { name: 'placeholder field', items: [makeWorkItem({ nativeKey: 'PAY-3', description: null, fields: { 'Microsoft.VSTS.Common.AcceptanceCriteria': '<p>n/a</p>' } })], errors: [{ messageId: 'missing', subject: 'test:PAY-3' }] },
        { name: 'custom field name', options: { fields: ['customfield_10042'] }, items: [makeWorkItem({ nativeKey: 'PAY-4', description: null, fields: { 'Microsoft.VSTS.Common.AcceptanceCriteria': 'ok per ADO' } })], errors: [{ messageId: 'missing', subject: 'test:PAY-4' }] },
      ],
    });
  });
});

describe('description-required', () => {
  it('flags missing and too-short descriptions at the configured length', () => {
    checkRule(descriptionRequired, {
      valid: [
        { name: 'long enough', items: [makeWorkItem({ description: 'x'.repeat(20) })] },
        { name: 'tasks not checked', items: [makeWorkItem({ typeCategory: 'task', description: null })] },
        { name: 'shorter limit', options: { minLength: 5 }, items: [makeWorkItem({ description: 'short' })] },
      ],
      invalid: [
        { name: 'none', items: [makeWorkItem({ nativeKey: 'PAY-1', description: null })], errors: [{ messageId: 'missing', subject: 'test:PAY-1' }] },
        { name: 'one short of the limit', items: [makeWorkItem({ nativeKey: 'PAY-2', description: '<p>' + 'x'.repeat(19) + '</p>' })], errors: [{ messageId: 'short', subject: 'test:PAY-2', data: { length: 19, minLength: 20 } }] },
      ],
    });
  });
});

describe('parent-required', () => {
  it('wants stories and bugs under an epic or feature', () => {
    checkRule(parentRequired, {
      valid: [
        { name: 'parent', items: [makeWorkItem({ parentKey: 'test:PAY-100' })] },
        { name: 'epic link only', items: [makeWorkItem({ epicKey: 'test:PAY-100' })] },
        { name: 'tasks free by default', items: [makeWorkItem({ typeCategory: 'task' })] },
        { name: 'done orphan', items: [makeWorkItem({ statusCategory: 'done' })] },
      ],
      invalid: [
        { name: 'orphan story', items: [makeWorkItem({ nativeKey: 'PAY-1' })], errors: [{ messageId: 'orphan', subject: 'test:PAY-1' }] },
        { name: 'orphan task when configured', options: { types: ['task'] }, items: [makeWorkItem({ nativeKey: 'PAY-2', typeCategory: 'task' })], errors: [{ messageId: 'orphan', subject: 'test:PAY-2' }] },
      ],
    });
    expect(parentRequired.meta.fix).toEqual({ field: 'parent', input: 'select' });
  });
});

describe('priority-required', () => {
  it('treats blank and placeholder priorities as unset', () => {
    checkRule(priorityRequired, {
      valid: [
        { name: 'set', items: [makeWorkItem({ priority: 'High' })] },
        { name: 'ADO numbers', items: [makeWorkItem({ priority: '2' })] },
        { name: 'done', items: [makeWorkItem({ priority: null, statusCategory: 'done' })] },
        { name: 'epics not checked', items: [makeWorkItem({ priority: null, typeCategory: 'epic' })] },
      ],
      invalid: [
        { name: 'null', items: [makeWorkItem({ nativeKey: 'PAY-1', priority: null })], errors: [{ messageId: 'missing', subject: 'test:PAY-1' }] },
        { name: 'placeholder, any case', items: [makeWorkItem({ nativeKey: 'PAY-2', priority: 'none' })], errors: [{ messageId: 'placeholder', subject: 'test:PAY-2', data: { priority: 'none' } }] },
        { name: 'site placeholder', options: { unset: ['Triage'] }, items: [makeWorkItem({ nativeKey: 'PAY-3', priority: 'Triage' })], errors: [{ messageId: 'placeholder', subject: 'test:PAY-3' }] },
      ],
    });
  });
});

describe('due-date-required', () => {
  it('wants dates on the configured types', () => {
    checkRule(dueDateRequired, {
      valid: [
        { name: 'epic with date', items: [makeWorkItem({ typeCategory: 'epic', dueDate: '2027-01-31' })] },
        { name: 'stories free by default', items: [makeWorkItem()] },
        { name: 'done epic', items: [makeWorkItem({ typeCategory: 'epic', statusCategory: 'done' })] },
      ],
      invalid: [
        { name: 'epic', items: [makeWorkItem({ nativeKey: 'E-1', type: 'Epic', typeCategory: 'epic' })], errors: [{ messageId: 'missing', subject: 'test:E-1', data: { type: 'Epic' } }] },
        { name: 'features in stage-gate', options: { types: ['epic', 'feature'] }, items: [makeWorkItem({ nativeKey: 'F-1', typeCategory: 'feature' })], errors: [{ messageId: 'missing', subject: 'test:F-1' }] },
      ],
    });
  });
});

describe('risk-register-hygiene', () => {
  const risk = (over: Parameters<typeof makeWorkItem>[0] = {}) =>
    makeWorkItem({ type: 'Risk', typeCategory: 'risk', fields: { Mitigation: 'Second payment provider on standby' }, dueDate: '2026-12-01', ...over });

  it('lists every gap of an open risk in one finding', () => {
    checkRule(riskRegisterHygiene, {
      valid: [
        { name: 'healthy risk', items: [risk()] },
        { name: 'review today is not lapsed', items: [risk({ dueDate: '2026-11-21' })] },
        { name: 'mitigation line in the description', items: [risk({ fields: {}, description: 'Risk: x\nMitigation: dual-run the ledger for a month' })] },
        { name: 'closed risk', items: [risk({ assignee: null, fields: {}, statusCategory: 'done' })] },
        { name: 'not a risk', items: [makeWorkItem({ assignee: null })] },
      ],
      invalid: [
        {
          name: 'no owner, placeholder mitigation, lapsed review',
          items: [risk({ nativeKey: 'R-1', assignee: null, fields: {}, description: 'Mitigation: not yet defined', dueDate: '2026-11-20' })],
          errors: [{ messageId: 'gaps', subject: 'test:R-1', data: { gaps: 'no owner, no mitigation, review date 2026-11-20 has passed' } }],
        },
        { name: 'review date field wins over due date', items: [risk({ nativeKey: 'R-2', fields: { Mitigation: 'ok plan here', 'Custom.ReviewDate': '2026-11-01T00:00:00Z' } })], errors: [{ messageId: 'gaps', subject: 'test:R-2', data: { gaps: 'review date 2026-11-01 has passed' } }] },
        { name: 'required review date', options: { requireReviewDate: true }, items: [risk({ nativeKey: 'R-3', dueDate: null })], errors: [{ messageId: 'gaps', subject: 'test:R-3', data: { gaps: 'no review date' } }] },
      ],
    });
  });
});

describe('stage-gate-approval', () => {
  const epic = (over: Parameters<typeof makeWorkItem>[0] = {}) => inProgress({ type: 'Epic', typeCategory: 'epic', fields: { 'Custom.Gate': 'G3 Build' }, ...over });

  it('wants the approval label or field once work is past a gate', () => {
    checkRule(stageGateApproval, {
      valid: [
        { name: 'label', items: [epic({ labels: ['gate-approved'] })] },
        { name: 'field', items: [epic({ fields: { 'Custom.Gate': 'G3 Build', 'Custom.GateApproval': 'Steering board 2026-10-02' } })] },
        { name: 'not started', items: [makeWorkItem({ typeCategory: 'epic' })] },
        { name: 'stories not gated', items: [inProgress()] },
      ],
      invalid: [
        { name: 'active without approval', items: [epic({ nativeKey: '4701' })], errors: [{ messageId: 'unapproved', subject: 'test:4701', data: { gate: 'G3 Build', status: 'In Progress' } }] },
        { name: 'named status past a gate', options: { statuses: ['Approved for build'] }, items: [makeWorkItem({ nativeKey: '4702', typeCategory: 'epic', status: 'Approved for build' })], errors: [{ messageId: 'unapproved', subject: 'test:4702', data: { gate: 'Approved for build' } }] },
        { name: 'custom label', options: { approvalLabels: ['g3-signed'] }, items: [epic({ nativeKey: '4703', labels: ['gate-approved'] })], errors: [{ messageId: 'unapproved', subject: 'test:4703' }] },
      ],
    });
    expect(runRule(stageGateApproval, { name: 'done', items: [epic({ statusCategory: 'done' })] })).toEqual([]);
  });
});
