// Model output as a list of top-level blocks, each parsed once: CommonMark + GFM + math through micromark
// into mdast. While an answer streams only its last block grows, so each update re-parses from the start
// of the previous last block and keeps every block before it (same objects, so a memoized view of a
// finished block never renders again).
import type { RootContent, Nodes } from 'mdast';
import type { InlineMath } from 'mdast-util-math';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { mathFromMarkdown } from 'mdast-util-math';
import { gfm } from 'micromark-extension-gfm';
import { math } from 'micromark-extension-math';
import { MAX_NESTING, MAX_TABLE_COLUMNS, prepareProse, splitSegments, type PreparedProse } from './markdownSource.ts';

export type MarkdownBlock =
  | { kind: 'node'; node: RootContent; note?: string }
  | { kind: 'code'; lang: string; value: string; closed: boolean }
  | { kind: 'plain'; text: string; note: string };

/** One prose segment's parse, kept so that a longer version of it re-parses only from its last block. */
interface ProseParse {
  source: string;
  prepared: string;
  blocks: MarkdownBlock[];
  /** Offset in `prepared` where the last block starts. */
  lastStart: number;
  /** Offset in `prepared` where the last block's last item starts, when that block is a list. */
  lastItemStart: number | null;
  /** Whether nesting was cut (the last block is then the plain rest, not a parsed block). */
  deep: boolean;
}

export interface MarkdownDocument {
  text: string;
  blocks: MarkdownBlock[];
  /** Per segment start: the parse kept for the next, longer version of the text. */
  parses: Map<number, ProseParse | MarkdownBlock>;
}

const options = {
  extensions: [gfm(), math()],
  mdastExtensions: [gfmFromMarkdown(), mathFromMarkdown()],
};

/** What the renderer needs beyond mdast for inline math: `$$x$$` inside a line is meant as a display
 * formula, and `$5 and $10` is prices, not math (Pandoc's rule: no space just inside a single dollar, no
 * digit just after the closing one), shown as the text it was. */
export interface InlineMathData {
  display: boolean;
  literal?: string;
}

function markInlineMath(node: Nodes, prepared: string, base: number): void {
  if (node.type === 'inlineMath') {
    const start = (node.position?.start.offset ?? 0) + base;
    const end = (node.position?.end.offset ?? 0) + base;
    const source = prepared.slice(start, end);
    const display = source.startsWith('$$');
    const prices = !display && (/^\$\s|\s\$$/.test(source) || /\d/.test(prepared[end] ?? ''));
    (node as InlineMath & { data: InlineMathData }).data = prices ? { display, literal: source } : { display };
  } else if ('children' in node) for (const child of node.children) markInlineMath(child, prepared, base);
}

/** Where the next parse may start: the last block, or the last item of a top-level list that is last. */
interface Resume {
  /** Offset in the prepared text where the last block starts. */
  lastStart: number;
  /** Offset where the last item of the last block starts, when that block is a list of two items or more. */
  lastItemStart: number | null;
}

function toBlocks(prepared: PreparedProse, from: number): { blocks: MarkdownBlock[] } & Resume {
  const text = prepared.text.slice(from);
  const root = fromMarkdown(text, options);
  // Line numbers only matter for tables whose rows were cut; counting them costs a pass over the text.
  const lineBase = prepared.cutRows.size ? prepared.text.slice(0, from).split('\n').length - 1 : 0;
  const hasMath = text.includes('$');
  const blocks: MarkdownBlock[] = [];
  let lastStart = from;
  for (const node of root.children) {
    if (hasMath) markInlineMath(node, prepared.text, from);
    let note: string | undefined;
    if (node.type === 'table' && prepared.cutRows.size)
      for (
        let line = (node.position?.start.line ?? 1) + lineBase;
        line <= (node.position?.end.line ?? 1) + lineBase;
        line++
      ) {
        const columns = prepared.cutRows.get(line);
        if (columns) {
          note = `This table has ${columns.toLocaleString('en-US')} columns; the first ${MAX_TABLE_COLUMNS} are shown.`;
          break;
        }
      }
    blocks.push(note ? { kind: 'node', node, note } : { kind: 'node', node });
    lastStart = from + (node.position?.start.offset ?? 0);
  }
  const lastNode = root.children.at(-1);
  const lastItem = lastNode?.type === 'list' && lastNode.children.length > 1 ? lastNode.children.at(-1) : undefined;
  return { blocks, lastStart, lastItemStart: lastItem ? from + (lastItem.position?.start.offset ?? 0) : null };
}

/** The marker of the list item starting at `offset` ("-", "*", "+", or the delimiter of "1." / "1)"). */
function markerAt(text: string, offset: number): string {
  return (
    /^ {0,3}(?:[-*+]|\d{1,9}[.)])/
      .exec(text.slice(offset, offset + 16))?.[0]
      .trim()
      .slice(-1) ?? ''
  );
}

const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;

/**
 * A growing list is one block that can grow long (a 300-item list is tens of KB): parse it again only from
 * its last item, and join the items. Its first items are final for the same reason earlier blocks are; the
 * items render the same whether the list is tight or loose (see MarkdownNode), so joining loses nothing.
 */
function resumeList(prepared: PreparedProse, previous: ProseParse) {
  const list = previous.blocks.at(-1);
  if (previous.lastItemStart === null || list?.kind !== 'node' || list.node.type !== 'list') return null;
  if (!prepared.text.startsWith(previous.prepared.slice(0, previous.lastItemStart))) return null;
  const tail = toBlocks(prepared, lineStart(prepared.text, previous.lastItemStart));
  const first = tail.blocks[0];
  if (
    first?.kind !== 'node' ||
    first.node.type !== 'list' ||
    first.node.ordered !== list.node.ordered ||
    markerAt(prepared.text, previous.lastItemStart) !== markerAt(prepared.text, previous.lastStart)
  )
    return null;
  const joined: MarkdownBlock = {
    kind: 'node',
    node: {
      ...list.node,
      spread: list.node.spread || first.node.spread,
      children: list.node.children.slice(0, -1).concat(first.node.children),
    },
  };
  const rest = tail.blocks.slice(1);
  return {
    blocks: previous.blocks.slice(0, -1).concat(joined, rest),
    lastStart: rest.length ? tail.lastStart : previous.lastStart,
    // The joined list's last item (when the list is still last), found through the tail's own parse.
    lastItemStart: rest.length ? tail.lastItemStart : (tail.lastItemStart ?? previous.lastItemStart),
  };
}

function parseProse(source: string, previous: ProseParse | undefined): ProseParse {
  const prepared = prepareProse(source);
  let parsed: { blocks: MarkdownBlock[] } & Resume;
  const list = previous && !previous.deep ? resumeList(prepared, previous) : null;
  if (list) parsed = list;
  // Growing text: everything before the previous last block is final, as long as that part is unchanged.
  else if (
    previous &&
    !previous.deep &&
    previous.blocks.length > 1 &&
    prepared.text.startsWith(previous.prepared.slice(0, previous.lastStart))
  ) {
    // From the start of the last block's line, so its indentation is read again.
    const tail = toBlocks(prepared, lineStart(previous.prepared, previous.lastStart));
    parsed = { ...tail, blocks: previous.blocks.slice(0, -1).concat(tail.blocks) };
  } else parsed = toBlocks(prepared, 0);
  const blocks = parsed.blocks;
  if (prepared.deepLine !== null) {
    const rest = source.split('\n').slice(prepared.deepLine).join('\n');
    blocks.push({
      kind: 'plain',
      text: rest,
      note: `Nested more than ${MAX_NESTING} levels deep: the rest is shown as plain text.`,
    });
  }
  return {
    source,
    prepared: prepared.text,
    blocks,
    lastStart: parsed.lastStart,
    lastItemStart: parsed.lastItemStart,
    deep: prepared.deepLine !== null,
  };
}

/** Parses `text`, reusing what `previous` (an earlier version of the same answer) already parsed. */
export function parseMarkdownDocument(text: string, previous?: MarkdownDocument): MarkdownDocument {
  const normalized = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  const parses: MarkdownDocument['parses'] = new Map();
  const blocks: MarkdownBlock[] = [];
  for (const segment of splitSegments(normalized)) {
    const before = previous?.parses.get(segment.start);
    if (segment.kind === 'code') {
      const block: MarkdownBlock =
        before &&
        'kind' in before &&
        before.kind === 'code' &&
        before.lang === segment.lang &&
        before.value === segment.value &&
        before.closed === segment.closed
          ? before
          : { kind: 'code', lang: segment.lang, value: segment.value, closed: segment.closed };
      parses.set(segment.start, block);
      blocks.push(block);
      continue;
    }
    const prior = before && 'source' in before ? before : undefined;
    const parse = prior?.source === segment.text ? prior : parseProse(segment.text, prior);
    parses.set(segment.start, parse);
    blocks.push(...parse.blocks);
  }
  return { text: normalized, blocks, parses };
}

/** Only web links are followed; everything else (javascript:, data:, vbscript:, file:, relative) is text.
 * Read as a browser's URL parser reads it: tabs and newlines anywhere, and spaces and control characters at
 * either end, do not count. */
export function safeHref(href: string): string | null {
  const cleaned = href.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  return /^https?:\/\/[^/?#\\]/i.test(cleaned) ? cleaned : null;
}
