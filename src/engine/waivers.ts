import type { RuleScope } from '../model/finding.ts';
import type { Store } from '../store/index.ts';
import { findingId } from '../store/findings.ts';

/** `waivers[]` in config: an accepted exception, kept in git with who agreed, why and until when. */
export interface ConfigWaiver {
  rule: string;
  /** The finding's subject key: an item key as stored (`demo:PAY-12`), a person's email, a sprint or project key. */
  subject: string;
  kind: RuleScope;
  reason: string;
  by: string;
  /** Last day the waiver holds (`YYYY-MM-DD`); the finding returns the day after. */
  until?: string | undefined;
}

export interface WaiverTally {
  waived: number;
  lifted: number;
}

/**
 * Applies the config's waivers to live findings (audited with the waiver's `by` and `reason`), and
 * lifts config waivers whose entry was removed. Expiry and a changed condition are handled by the
 * findings lifecycle itself. Call inside a transaction, after the run's findings are recorded.
 */
export function applyConfigWaivers(store: Store, waivers: readonly ConfigWaiver[], now: string): WaiverTally {
  const tally: WaiverTally = { waived: 0, lifted: 0 };
  const today = now.slice(0, 10);
  const wanted = new Map<string, ConfigWaiver>();
  for (const w of waivers) {
    if (w.until !== undefined && w.until < today) continue;
    wanted.set(findingId(w.rule, { kind: w.kind, key: w.subject }), w);
  }
  for (const id of store.findings.configWaived()) {
    if (wanted.has(id)) continue;
    if (store.findings.setState(id, { state: 'open', actor: 'pmo-bot', reason: 'waiver removed from the configuration' }, now)) tally.lifted++;
  }
  for (const [id, w] of wanted) {
    const finding = store.findings.get(id);
    if (!finding || finding.state === 'resolved' || finding.state === 'waived') continue;
    // The finding came back after this waiver expired or its condition changed: the waiver has done its job.
    if (store.findings.events(id).some((e) => e.type === 'unwaived' && e.actor === 'pmo-bot' && e.reason !== 'waiver removed from the configuration')) continue;
    const until = w.until === undefined ? null : `${w.until}T23:59:59.999Z`;
    if (store.findings.setState(id, { state: 'waived', actor: w.by, reason: w.reason, until, origin: 'config' }, now)) tally.waived++;
  }
  return tally;
}
