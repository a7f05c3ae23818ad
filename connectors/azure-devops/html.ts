/**
 * Azure DevOps rich-text fields (Description, Acceptance Criteria, Repro Steps) are HTML. Rules and
 * Slack want plain text: block elements become line breaks, list items get a bullet, entities are
 * decoded, everything else is dropped. Not a sanitiser: the output is never rendered as HTML.
 */

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  bull: '•',
  middot: '·',
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  times: '×',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}

const BLOCK = /^(p|div|h[1-6]|ul|ol|table|tr|blockquote|pre|section|article|header|footer)$/;

/** HTML → plain text; null and empty (or whitespace-only) HTML give null. */
export function htmlToText(html: unknown): string | null {
  if (typeof html !== 'string') return null;
  let out = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, '')
    // Source line breaks are not text; tags and entities say where the breaks are.
    .replace(/\r?\n/g, ' ');
  out = out.replace(/<\s*(\/?)\s*([a-z0-9]+)\b[^>]*>/gi, (_, closing: string, tag: string) => {
    const name = tag.toLowerCase();
    if (name === 'br') return '\n';
    if (name === 'li') return closing ? '' : '\n- ';
    if (name === 'td' || name === 'th') return closing ? '\t' : '';
    if (BLOCK.test(name)) return '\n';
    return '';
  });
  out = decodeEntities(out.replace(/<[^>]*>/g, ''));
  const lines = out
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''));
  const text = lines.join('\n').trim();
  return text === '' ? null : text;
}
