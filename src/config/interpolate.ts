import { formatPath, type ConfigProblem } from './errors.ts';
import type { LocatedNode, PathSegment } from './located.ts';

export type Env = Record<string, string | undefined>;

export interface StringInterpolation {
  value: string;
  /** Environment values put into the string (not defaults written in the config). */
  secrets: string[];
  /** Lower-case, specific messages; the string is unusable when there are any. */
  errors: string[];
}

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/**
 * Expands `${VAR}` and `${VAR:-default}` (the default when VAR is unset or empty); `$${` is a
 * literal `${`. A `$` not followed by `{` is kept as is.
 */
export function interpolateString(text: string, env: Env): StringInterpolation {
  const secrets: string[] = [];
  const errors: string[] = [];
  let value = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      value += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      value += text[i];
      i++;
      continue;
    }
    const close = text.indexOf('}', i + 2);
    if (close === -1) {
      errors.push('unterminated "${" (write "$${" for a literal "${")');
      value += text.slice(i);
      break;
    }
    const inner = text.slice(i + 2, close);
    i = close + 1;
    const match = REFERENCE.exec(inner);
    if (match === null) {
      errors.push(`invalid reference "\${${inner}}" (expected \${NAME} or \${NAME:-default})`);
      continue;
    }
    const name = match[1] ?? '';
    const fallback = match[2];
    const set = env[name];
    if (set !== undefined && set !== '') {
      value += set;
      secrets.push(set);
    } else if (fallback !== undefined) {
      value += fallback;
    } else {
      const state = set === undefined ? 'is not set' : 'is empty';
      errors.push(`environment variable ${name} ${state} (use \${${name}:-default} for a fallback)`);
    }
  }
  return { value, secrets, errors };
}

export interface TreeInterpolation {
  problems: ConfigProblem[];
  secrets: string[];
  /** Paths of strings that could not be expanded, so later checks do not report them again. */
  failed: PathSegment[][];
}

/**
 * Expands references in every string scalar of the tree, in place. Runs after parsing, so a value
 * can never change the YAML structure. Map keys are left alone.
 */
export function interpolateTree(root: LocatedNode | undefined, env: Env): TreeInterpolation {
  const result: TreeInterpolation = { problems: [], secrets: [], failed: [] };
  if (root !== undefined) visit(root, [], env, result);
  result.secrets = [...new Set(result.secrets)];
  return result;
}

function visit(node: LocatedNode, path: PathSegment[], env: Env, result: TreeInterpolation): void {
  if (node.kind === 'map') {
    for (const [key, entry] of node.entries) visit(entry.node, [...path, key], env, result);
    return;
  }
  if (node.kind === 'seq') {
    for (const [i, item] of node.items.entries()) visit(item, [...path, i], env, result);
    return;
  }
  if (typeof node.value !== 'string' || !node.value.includes('${')) return;
  const expanded = interpolateString(node.value, env);
  for (const message of expanded.errors) result.problems.push({ ...node.pos, path: formatPath(path), message });
  if (expanded.errors.length > 0) result.failed.push(path);
  if (expanded.secrets.length > 0) node.interpolated = true;
  result.secrets.push(...expanded.secrets);
  node.value = expanded.value;
}
