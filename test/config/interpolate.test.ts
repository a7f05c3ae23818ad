import { describe, expect, it } from 'vitest';
import { interpolateString } from '../../src/config/interpolate.ts';

const ENV = { TOKEN: 'xoxb-1', HOST: 'acme.example', EMPTY: '' };

describe('interpolateString', () => {
  it.each([
    { text: '${TOKEN}', value: 'xoxb-1', secrets: ['xoxb-1'] },
    { text: 'https://${HOST}/api', value: 'https://acme.example/api', secrets: ['acme.example'] },
    { text: '${MISSING:-fallback}', value: 'fallback', secrets: [] },
    { text: '${EMPTY:-fallback}', value: 'fallback', secrets: [] },
    { text: '${TOKEN:-unused}', value: 'xoxb-1', secrets: ['xoxb-1'] },
    { text: '${MISSING:-}', value: '', secrets: [] },
    { text: '$${TOKEN}', value: '${TOKEN}', secrets: [] },
    { text: 'costs $5, $HOME stays', value: 'costs $5, $HOME stays', secrets: [] },
    { text: '${TOKEN}${HOST}', value: 'xoxb-1acme.example', secrets: ['xoxb-1', 'acme.example'] },
  ])('expands $text', ({ text, value, secrets }) => {
    const result = interpolateString(text, ENV);

    expect(result).toEqual({ value, secrets, errors: [] });
  });

  it('names every missing variable', () => {
    const result = interpolateString('${A}-${EMPTY}-${B}', ENV);

    expect(result.errors).toEqual([
      'environment variable A is not set (use ${A:-default} for a fallback)',
      'environment variable EMPTY is empty (use ${EMPTY:-default} for a fallback)',
      'environment variable B is not set (use ${B:-default} for a fallback)',
    ]);
  });

  it.each([
    { text: 'x ${TOKEN', error: 'unterminated "${" (write "$${" for a literal "${")' },
    { text: '${not valid}', error: 'invalid reference "${not valid}" (expected ${NAME} or ${NAME:-default})' },
    { text: '${}', error: 'invalid reference "${}" (expected ${NAME} or ${NAME:-default})' },
  ])('rejects $text', ({ text, error }) => {
    expect(interpolateString(text, ENV).errors).toEqual([error]);
  });
});
