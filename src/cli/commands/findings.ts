import { FINDING_STATES, type FindingState } from '../../model/finding.ts';
import { PmoError } from '../../util/errors.ts';
import { COMMON_OPTIONS, JSON_OPTION, flag, str, type Command } from '../command.ts';
import { loadCliConfig, openRuntime } from '../context.ts';
import { printJson, print } from '../output.ts';
import { renderFindings } from './check.ts';

export const findingsCommand: Command = {
  name: 'findings',
  summary: 'list stored findings',
  usage: 'pmo-bot findings [--state open|snoozed|waived|resolved] [--rule ID] [--json]',
  details: '--json prints an array of Finding. Without --state every finding is listed.',
  options: { ...COMMON_OPTIONS, ...JSON_OPTION, state: { type: 'string' }, rule: { type: 'string' } },
  async run(args) {
    const state = str(args, 'state');
    if (state !== undefined && !(FINDING_STATES as readonly string[]).includes(state)) {
      throw new PmoError('USAGE', `--state must be one of: ${FINDING_STATES.join(', ')}`);
    }
    const cli = loadCliConfig({ config: str(args, 'config') });
    const rt = openRuntime(cli);
    try {
      const list = rt.store.findings.list({ state: state as FindingState | undefined, ruleId: str(args, 'rule') });
      if (flag(args, 'json')) printJson(list);
      else print(renderFindings(list) + (list.length ? `${list.length} findings` : ''));
      return 0;
    } finally {
      rt.store.close();
    }
  },
};
