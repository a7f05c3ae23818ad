import type { LocatedScalar, Position } from './located.ts';

/**
 * Where character `offset` of a string scalar's value was written: follows the raw text (quotes,
 * escapes, folded lines, block indentation) character by character, so an error inside an
 * embedded expression (a CEL rule) points at its exact line and column. Falls back to the scalar's
 * start when the value came from the environment or cannot be followed.
 */
export function positionInScalar(node: LocatedScalar, offset: number): Position {
  const raw = node.raw;
  if (!raw || node.interpolated || typeof node.value !== 'string') return node.pos;
  const value = node.value;
  const text = raw.text;
  let j = 0;
  if (raw.style === 'BLOCK_LITERAL' || raw.style === 'BLOCK_FOLDED') {
    const nl = text.indexOf('\n');
    j = nl === -1 ? text.length : nl + 1;
  } else if (raw.style === 'QUOTE_DOUBLE' || raw.style === 'QUOTE_SINGLE') {
    j = 1;
  }
  const target = Math.max(0, Math.min(offset, value.length));
  for (let i = 0; i < target && j < text.length; i++) {
    const c = value[i]!;
    const space = /\s/.test(c);
    // Skip what the value does not show: indentation, line folds, escape backslashes, doubled quotes.
    while (j < text.length && (space ? !/\s/.test(text[j]!) : text[j] !== c)) j++;
    if (space) while (j + 1 < text.length && /\s/.test(text[j + 1]!) && !/\s/.test(value[i + 1] ?? 'x')) j++;
    j++;
  }
  while (j < text.length && /[\s]/.test(text[j]!) && !/\s/.test(value[target] ?? 'x')) j++;
  let line = node.pos.line;
  let column = node.pos.column;
  for (let k = 0; k < j && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
  return { file: node.pos.file, line, column };
}
