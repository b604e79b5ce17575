import { describe, expect, it } from 'vitest';
import { parseMarkdownDocument, safeHref, type MarkdownBlock, type MarkdownDocument } from './markdownBlocks.ts';

const kinds = (blocks: MarkdownBlock[]) => blocks.map((b) => (b.kind === 'node' ? b.node.type : b.kind));
/** A generous sanity cap: these inputs once took minutes; speed itself belongs to the benchmark. */
const SANITY_MS = 15_000;

function stripPositions(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'position' ? undefined : v)));
}

const answer = [
  '# Primes',
  '',
  'There are **infinitely** many, and ~~few~~ *no* exceptions: $p_n \\sim n \\ln n$.',
  '',
  '| n | p |',
  '|---|--:|',
  '| 1 | 2 |',
  '| 2 | 3 |',
  '',
  '```python',
  'def primes():',
  '    yield 2',
  '```',
  '',
  '- [x] checked',
  '- [ ] open',
  '  1. nested',
  '',
  '> quoted <b>html</b>',
  '',
  '$$',
  '\\sum_{p} \\frac{1}{p} = \\infty',
  '$$',
  '',
  'Done.',
].join('\n');

describe('parseMarkdownDocument', () => {
  it('reads CommonMark, GFM and math into top-level blocks', () => {
    const doc = parseMarkdownDocument(answer);
    expect(kinds(doc.blocks)).toEqual([
      'heading',
      'paragraph',
      'table',
      'code',
      'list',
      'blockquote',
      'math',
      'paragraph',
    ]);
    expect(doc.blocks[3]).toEqual({ kind: 'code', lang: 'python', value: 'def primes():\n    yield 2', closed: true });
  });

  it('streaming: finished blocks keep their objects, only the tail is parsed again, and the end matches a full parse', () => {
    let doc: MarkdownDocument | undefined;
    const seen = new Map<number, MarkdownBlock>();
    for (let i = 1; i <= answer.length; i += 7) {
      const next = parseMarkdownDocument(answer.slice(0, i), doc);
      if (doc)
        // Every block before the previous last one is the very same object as before.
        for (let b = 0; b < doc.blocks.length - 1 && b < next.blocks.length - 1; b++)
          if (doc.blocks[b] !== next.blocks[b]) expect.fail(`block ${b} was rebuilt at length ${i}`);
      next.blocks.forEach((block, b) => seen.set(b, block));
      doc = next;
    }
    const streamed = parseMarkdownDocument(answer, doc);
    const full = parseMarkdownDocument(answer);
    expect(stripPositions(streamed.blocks)).toEqual(stripPositions(full.blocks));
  });

  it('a long list grows item by item: earlier items keep their objects, and the end matches a full parse', () => {
    const list = [
      'Steps:',
      '',
      ...Array.from({ length: 40 }, (_, i) => `${i + 1}. Step **${i + 1}** with \`code\` and $x_${i}$`),
      '    - a nested point',
      '',
      '    continued after a blank line',
      '41. last',
      '',
      '- a new bullet list',
      '- second',
      '* a different marker starts another list',
      '',
      'After the lists.',
    ].join('\n');
    let doc: MarkdownDocument | undefined;
    let firstItem: unknown;
    for (let i = 1; i <= list.length; i += 5) {
      doc = parseMarkdownDocument(list.slice(0, i), doc);
      const block = doc.blocks[1];
      if (block?.kind === 'node' && block.node.type === 'list' && block.node.children.length > 3) {
        firstItem ??= block.node.children[0];
        expect(block.node.children[0]).toBe(firstItem);
      }
    }
    expect(firstItem).toBeDefined();
    const streamed = parseMarkdownDocument(list, doc);
    expect(stripPositions(streamed.blocks)).toEqual(stripPositions(parseMarkdownDocument(list).blocks));
    const sizes = streamed.blocks.map((b) =>
      b.kind === 'node' && b.node.type === 'list' ? b.node.children.length : 0,
    );
    expect(sizes).toEqual([0, 41, 2, 1, 0]);
    expect(kinds(streamed.blocks)).toEqual(['paragraph', 'list', 'list', 'list', 'paragraph']);
  });

  it('an unclosed fence mid-stream is a code block that is not closed yet, and settles when it closes', () => {
    const open = parseMarkdownDocument('Look:\n\n```js\nconst a = 1;\nconst b');
    expect(open.blocks.at(-1)).toMatchObject({
      kind: 'code',
      lang: 'js',
      value: 'const a = 1;\nconst b',
      closed: false,
    });
    const closed = parseMarkdownDocument('Look:\n\n```js\nconst a = 1;\nconst b = 2;\n```\n', open);
    expect(closed.blocks.at(-1)).toMatchObject({ kind: 'code', closed: true });
    expect(closed.blocks[0]).toBe(open.blocks[0]);
  });

  it('a fence line still arriving updates the language', () => {
    const partial = parseMarkdownDocument('```py');
    expect(parseMarkdownDocument('```python', partial).blocks[0]).toMatchObject({ kind: 'code', lang: 'python' });
  });

  it('unbalanced Markdown renders as text and nothing is lost', () => {
    const doc = parseMarkdownDocument('**bold never closed and `code never closed and [link](http://x');
    expect(kinds(doc.blocks)).toEqual(['paragraph']);
    const node = doc.blocks[0]!;
    expect(node.kind === 'node' && JSON.stringify(node.node)).toContain('**bold never closed');
  });

  it('prices are not math: a space inside a single dollar, or a digit after the closing one', () => {
    const doc = parseMarkdownDocument('It costs $5 and $10, or $x$ and $y$2, but $a + b$ is math.');
    const para = doc.blocks[0]!;
    if (para.kind !== 'node' || para.node.type !== 'paragraph') throw new Error('not a paragraph');
    const math = para.node.children.filter((c) => c.type === 'inlineMath');
    expect(math.map((m) => [m.value, (m.data as { literal?: string }).literal])).toEqual([
      ['5 and ', '$5 and $'],
      ['x', undefined],
      ['y', '$y$'],
      ['a + b', undefined],
    ]);
  });

  it('$$…$$ inside a line is display math, $…$ inline', () => {
    const doc = parseMarkdownDocument('Inline $a$ and \\[ b \\] here');
    const para = doc.blocks[0]!;
    if (para.kind !== 'node' || para.node.type !== 'paragraph') throw new Error('not a paragraph');
    const math = para.node.children.filter((c) => c.type === 'inlineMath');
    expect(math.map((m) => [m.value, (m.data as { display?: boolean }).display])).toEqual([
      ['a', false],
      ['b', true],
    ]);
  });
});

describe('bad input renders or is cut with a note, in bounded time, and the text is kept', () => {
  it('a 5,000-column table is cut to its first columns with a note', () => {
    const cols = 5000;
    const text = `|${'h|'.repeat(cols)}\n|${'-|'.repeat(cols)}\n|${'1|'.repeat(cols)}\n`;
    const started = performance.now();
    const doc = parseMarkdownDocument(text);
    expect(performance.now() - started).toBeLessThan(SANITY_MS);
    const table = doc.blocks[0]!;
    expect(table.kind === 'node' && table.node.type).toBe('table');
    expect(table.kind === 'node' && table.note).toBe('This table has 5,000 columns; the first 64 are shown.');
    expect(doc.text).toBe(text);
  });

  it('a 1 MB code block is one code block, whole', () => {
    const code = 'x = 1; // a line of code\n'.repeat(42_000);
    const started = performance.now();
    const doc = parseMarkdownDocument(`Here:\n\n\`\`\`js\n${code}\`\`\`\n`);
    expect(performance.now() - started).toBeLessThan(SANITY_MS);
    expect(doc.blocks[1]).toMatchObject({ kind: 'code', value: code.slice(0, -1), closed: true });
  });

  it('1,000 nested lists and 1,000 nested quotes stop at the nesting cap, the rest as plain text', () => {
    const lists = Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n');
    const quotes = Array.from({ length: 1000 }, (_, i) => `${'> '.repeat(i + 1)}level ${i}`).join('\n');
    for (const [text, last] of [
      [lists, 'item 999'],
      [quotes, 'level 999'],
    ] as const) {
      const started = performance.now();
      const doc = parseMarkdownDocument(text);
      expect(performance.now() - started).toBeLessThan(SANITY_MS);
      const plain = doc.blocks.at(-1)!;
      expect(plain.kind).toBe('plain');
      expect(plain.kind === 'plain' && plain.note).toMatch(/Nested more than 32 levels deep/);
      expect(plain.kind === 'plain' && text.endsWith(plain.text)).toBe(true);
      expect(plain.kind === 'plain' && plain.text).toContain(last);
    }
  });
});

describe('safeHref', () => {
  it('keeps http(s) links only, however the scheme is disguised', () => {
    expect(safeHref('https://example.org/a?b#c')).toBe('https://example.org/a?b#c');
    expect(safeHref('HTTP://example.org')).toBe('HTTP://example.org');
    for (const bad of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      '\u0001javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'mailto:a@b.c',
      '//evil.example/x',
      '/relative',
      'https:evil.example',
      'https:///x',
    ])
      expect(safeHref(bad), bad).toBeNull();
  });
});
