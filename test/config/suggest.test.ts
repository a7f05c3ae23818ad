import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from '../../src/config/suggest.ts';

describe('suggest', () => {
  it.each([
    { word: 'chanels', candidates: ['channels', 'mode', 'routes'], expected: 'channels' },
    { word: 'timezon', candidates: ['timezone', 'storage'], expected: 'timezone' },
    { word: 'baseurl', candidates: ['baseUrl', 'auth'], expected: 'baseUrl' },
    { word: 'apiTokne', candidates: ['email', 'apiToken'], expected: 'apiToken' },
    { word: 'stale-in-progres', candidates: ['estimate-required', 'stale-in-progress', 'wip-limit'], expected: 'stale-in-progress' },
    { word: 'warn', candidates: ['off', 'info', 'warning', 'critical'], expected: 'warning' },
    { word: 'sockets', candidates: ['socket', 'http', 'console'], expected: 'socket' },
    { word: 'jirra', candidates: ['jira', 'azure-devops', 'sample'], expected: 'jira' },
  ])('suggests $expected for $word', ({ word, candidates, expected }) => {
    expect(suggest(word, candidates)).toBe(expected);
  });

  it.each([
    { word: 'colour', candidates: ['id', 'kind', 'since'] },
    { word: 'xy', candidates: ['id'] },
    { word: 'kind', candidates: ['id'] },
    { word: 'channels', candidates: ['channels'] },
    { word: 'anything', candidates: [] },
    // an abbreviation of two candidates is ambiguous
    { word: 'stal', candidates: ['stale-a', 'stale-b'] },
  ])('suggests nothing for $word', ({ word, candidates }) => {
    expect(suggest(word, candidates)).toBeUndefined();
  });

  it('prefers the closest candidate, then the earliest', () => {
    expect(suggest('chanel', ['channels', 'channel'])).toBe('channel');
    expect(suggest('ab-x', ['ab-y', 'ab-z'])).toBe('ab-y');
  });

  it('accepts any iterable', () => {
    expect(suggest('chanels', new Set(['channels']))).toBe('channels');
  });

  it.each([
    { a: 'kitten', b: 'sitting', distance: 3 },
    { a: 'ab', b: 'ba', distance: 1 },
    { a: '', b: 'abc', distance: 3 },
    { a: 'same', b: 'same', distance: 0 },
  ])('measures $a -> $b as $distance', ({ a, b, distance }) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});
