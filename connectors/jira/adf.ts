/**
 * Atlassian Document Format (https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/)
 * to plain text and back. Blocks become lines (never run together, so a rule can find an
 * "Acceptance criteria" heading), lists keep a bullet or number, table rows become `a | b` lines,
 * code blocks keep their text. Unknown nodes contribute their text leaves.
 */

interface AdfNode {
  type?: unknown;
  text?: unknown;
  content?: unknown;
  attrs?: unknown;
}

const INLINE_TEXT: Record<string, (attrs: Record<string, unknown>) => string> = {
  hardBreak: () => '\n',
  mention: (a) => String(a['text'] ?? a['displayName'] ?? ''),
  emoji: (a) => String(a['text'] ?? a['shortName'] ?? ''),
  date: (a) => (a['timestamp'] !== undefined ? new Date(Number(a['timestamp'])).toISOString().slice(0, 10) : ''),
  status: (a) => String(a['text'] ?? ''),
  inlineCard: (a) => String(a['url'] ?? ''),
};

/** Plain text of an ADF document, or the input itself when it is already a string (v2, wiki markup). */
export function adfToText(doc: unknown): string | null {
  if (doc === null || doc === undefined) return null;
  if (typeof doc === 'string') return doc;
  if (!isNode(doc)) return null;
  const lines = blocks(children(doc), '');
  const text = lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return text === '' ? null : text;
}

function isNode(v: unknown): v is AdfNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function children(node: AdfNode): AdfNode[] {
  return Array.isArray(node.content) ? node.content.filter(isNode) : [];
}

function attrsOf(node: AdfNode): Record<string, unknown> {
  return isNode(node.attrs) ? (node.attrs as Record<string, unknown>) : {};
}

function inline(nodes: AdfNode[]): string {
  let out = '';
  for (const n of nodes) {
    if (n.type === 'text' && typeof n.text === 'string') out += n.text;
    else if (typeof n.type === 'string' && INLINE_TEXT[n.type]) out += INLINE_TEXT[n.type]?.(attrsOf(n));
    else out += inline(children(n));
  }
  return out;
}

function blocks(nodes: AdfNode[], indent: string): string[] {
  const lines: string[] = [];
  for (const node of nodes) lines.push(...block(node, indent));
  return lines;
}

function block(node: AdfNode, indent: string): string[] {
  switch (node.type) {
    case 'paragraph':
    case 'heading':
      return [indent + inline(children(node))];
    case 'bulletList':
      return listItems(node, indent, () => '- ');
    case 'orderedList': {
      const start = Number(attrsOf(node)['order'] ?? 1) || 1;
      return listItems(node, indent, (i) => `${start + i}. `);
    }
    case 'taskList':
      return children(node).flatMap((item) => {
        const done = attrsOf(item)['state'] === 'DONE';
        return prefixFirst(item.type === 'taskItem' ? [inline(children(item))] : block(item, ''), indent + (done ? '[x] ' : '[ ] '), indent + '    ');
      });
    case 'codeBlock':
      return inline(children(node))
        .split('\n')
        .map((l) => indent + l);
    case 'blockquote':
    case 'panel':
    case 'expand':
    case 'nestedExpand':
    case 'layoutSection':
    case 'layoutColumn':
    case 'bodiedExtension':
      return blocks(children(node), indent);
    case 'table':
      return children(node).map((row) => indent + children(row).map((cell) => blocks(children(cell), '').join(' ').trim()).join(' | '));
    case 'rule':
      return [indent + '---'];
    case 'mediaSingle':
    case 'mediaGroup':
    case 'media':
      return [];
    default:
      if (node.type === 'text' || (typeof node.type === 'string' && INLINE_TEXT[node.type])) return [indent + inline([node])];
      return blocks(children(node), indent);
  }
}

function listItems(list: AdfNode, indent: string, marker: (i: number) => string): string[] {
  return children(list).flatMap((item, i) => prefixFirst(blocks(children(item), ''), indent + marker(i), indent + ' '.repeat(marker(i).length)));
}

function prefixFirst(lines: string[], first: string, rest: string): string[] {
  return lines.map((l, i) => (i === 0 ? first : rest) + l);
}

/** An ADF document from plain text: blank-line separated paragraphs, `- ` lines as a bullet list. */
export function textToAdf(text: string, heading?: string): AdfDoc {
  const content: AdfBlock[] = [];
  if (heading) content.push({ type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: heading }] });
  content.push(...textBlocks(text));
  return { version: 1, type: 'doc', content };
}

export interface AdfDoc {
  version: 1;
  type: 'doc';
  content: AdfBlock[];
}

interface AdfBlock {
  type: string;
  attrs?: Record<string, unknown>;
  content?: Array<AdfBlock | { type: 'text'; text: string } | { type: 'hardBreak' }>;
}

function textBlocks(text: string): AdfBlock[] {
  const out: AdfBlock[] = [];
  for (const chunk of text.replace(/\r\n/g, '\n').split(/\n{2,}/)) {
    const lines = chunk.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    if (lines.every((l) => /^\s*[-*]\s+/.test(l))) {
      out.push({
        type: 'bulletList',
        content: lines.map((l) => ({ type: 'listItem', content: [paragraph([l.replace(/^\s*[-*]\s+/, '')])] })),
      });
      continue;
    }
    out.push(paragraph(lines));
  }
  return out;
}

function paragraph(lines: string[]): AdfBlock {
  const content: Array<{ type: 'text'; text: string } | { type: 'hardBreak' }> = [];
  lines.forEach((line, i) => {
    if (i > 0) content.push({ type: 'hardBreak' });
    // ADF forbids empty text nodes.
    if (line !== '') content.push({ type: 'text', text: line });
  });
  return { type: 'paragraph', content };
}

/** Appends blocks to an existing ADF description (or starts one). */
export function appendAdf(existing: unknown, addition: AdfDoc): AdfDoc {
  const base = isNode(existing) && existing.type === 'doc' && Array.isArray(existing.content) ? (existing.content as AdfBlock[]) : [];
  return { version: 1, type: 'doc', content: [...base, ...addition.content] };
}
