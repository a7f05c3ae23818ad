/**
 * The one rule for a `match:` key in config (overrides, routes, type mapping): unset matches
 * everything; a value or a list of values matches when the subject's value is among them; a subject
 * without that value never matches a key that is set.
 */
export function matchesValue(want: string | readonly string[] | undefined, have: string | null | undefined): boolean {
  if (want === undefined) return true;
  if (have === null || have === undefined) return false;
  return typeof want === 'string' ? want === have : want.includes(have);
}
