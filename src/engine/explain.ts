import { generatePages } from '../../connectors/sample/generate.ts';
import { builtInPresets } from '../../rules/presets/api.ts';
import { configJsonSchema } from '../config/json-schema.ts';
import { WorkItem, type Sprint } from '../model/work-item.ts';
import { renderMessage } from './message.ts';
import type { ObjectiveSpec } from './objective-match.ts';
import type { AnyRule, RuleReport } from './rule.ts';
import { presetLayers, resolveLayers, type Preset } from './rule-config.ts';
import { runRule } from './run-rule.ts';

/** The presets that turn a rule on, with the severity each gives it. */
export function presetsOf(rule: AnyRule, presets: ReadonlyMap<string, Preset> = builtInPresets): Array<{ id: string; severity: string }> {
  const out: Array<{ id: string; severity: string }> = [];
  for (const id of presets.keys()) {
    const [eff] = resolveLayers([rule], presetLayers(id, presets));
    if (eff && eff.severity !== 'off') out.push({ id, severity: eff.severity });
  }
  return out;
}

export interface OptionDoc {
  name: string;
  default: unknown;
  description: string;
}

export function optionDocs(rule: AnyRule): OptionDoc[] {
  const schema = configJsonSchema(rule.meta.options) as { properties?: Record<string, { default?: unknown; description?: string }> };
  return Object.entries(schema.properties ?? {}).map(([name, p]) => ({ name, default: p.default, description: p.description ?? '' }));
}

/**
 * A real finding of the rule on the embedded demo portfolio (360 items, seed 42) at `now`, or
 * undefined when the demo happens to satisfy it.
 */
export function exampleFinding(rule: AnyRule, now: Date, objectives: readonly ObjectiveSpec[] = []): { message: string; report: RuleReport } | undefined {
  const items: WorkItem[] = [];
  const sprints = new Map<string, Sprint>();
  for (const page of generatePages({ source: 'demo', size: 360, seed: 42, now }, 0, 360)) {
    for (const raw of page.items) {
      const parsed = WorkItem.safeParse(raw);
      if (parsed.success) items.push(parsed.data);
    }
    for (const s of page.sprints) sprints.set(s.key, s);
  }
  const reports = runRule(rule, { items, sprints: [...sprints.values()], objectives, now, timezone: 'UTC' });
  const report = reports[0];
  if (!report) return undefined;
  return { message: renderMessage(rule.meta.messages[report.messageId] ?? '', report.data), report };
}

/** `rules explain ID`: what the rule checks, why, its options, presets and an example. */
export function explainRule(rule: AnyRule, now: Date, objectives: readonly ObjectiveSpec[] = []): string {
  const m = rule.meta;
  const options = optionDocs(rule).map((o) => `  ${o.name} (default ${JSON.stringify(o.default)})${o.description ? `: ${o.description}` : ''}`);
  const presets = presetsOf(rule).map((p) => `${p.id} (${p.severity})`);
  const example = exampleFinding(rule, now, objectives);
  return [
    `${m.id}  [${m.category}, ${m.scope}, default ${m.defaultSeverity}]`,
    '',
    m.description + '.',
    '',
    `Why: ${m.rationale}`,
    '',
    `Presets: ${presets.length > 0 ? presets.join(', ') : 'none (turn it on in `rules:`)'}`,
    '',
    'Options:',
    ...(options.length ? options : ['  (none)']),
    '',
    'Messages:',
    ...Object.entries(m.messages).map(([k, v]) => `  ${k}: ${v}`),
    ...(m.fix ? ['', `Fix in chat: asks for ${m.fix.field} (${m.fix.input})`] : []),
    '',
    'Example (on the demo portfolio):',
    example
      ? `  ${example.message}\n  evidence: ${JSON.stringify(example.report.evidence ?? {})}`
      : '  (the demo portfolio meets this rule; see the messages above)',
    '',
    'Configure:',
    `  rules:\n    ${m.id}: ${m.defaultSeverity}            # or off, info, warning, critical`,
    `    ${m.id}: [${m.defaultSeverity}, { ... }]  # with options`,
  ].join('\n');
}
