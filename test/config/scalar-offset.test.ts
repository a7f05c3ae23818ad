import { describe, expect, it } from 'vitest';
import { lookup, type LocatedScalar } from '../../src/config/located.ts';
import { positionInScalar } from '../../src/config/scalar-offset.ts';
import { parseYaml } from '../../src/config/yaml-source.ts';

function scalar(text: string, key = 'x'): LocatedScalar {
  const node = lookup(parseYaml('f.yaml', text).root, [key]).node;
  if (node?.kind !== 'scalar') throw new Error('not a scalar');
  return node;
}

/** The text at a reported position, for readable expectations. */
function at(text: string, line: number, column: number): string {
  return (text.split('\n')[line - 1] ?? '').slice(column - 1);
}

describe('positionInScalar', () => {
  it.each([
    ['plain', 'x: item.a + item.bad\n'],
    ['single-quoted with a doubled quote', "x: 'it''s item.a + item.bad'\n"],
    ['double-quoted with an escape', 'x: "\\"q\\" + item.a + item.bad"\n'],
    ['literal block', 'x: |\n  item.a &&\n    item.a + item.bad\n'],
    ['folded block', 'x: >\n  item.a &&\n  item.a + item.bad\n'],
    ['plain over two lines', 'x: item.a &&\n  item.a + item.bad\n'],
  ])('follows %s scalars to the character', (_name, text) => {
    const node = scalar(text);
    const value = node.value as string;

    const pos = positionInScalar(node, value.indexOf('item.bad'));

    expect(at(text, pos.line, pos.column)).toMatch(/^item\.bad/);
  });

  it('falls back to the start of a value that came from the environment', () => {
    const node = { ...scalar('x: item.a\n'), interpolated: true };
    expect(positionInScalar(node, 4)).toEqual(node.pos);
  });
});
