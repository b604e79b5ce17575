import { describe, expect, it } from 'vitest';
import { parseMarkdown, parseInline, safeHref } from './markdown.ts';

describe('parseMarkdown keeps model output inert', () => {
  it('raw HTML stays text', () => {
    const blocks = parseMarkdown('<script>alert(1)</script>\n<img src=x onerror=alert(1)>');
    expect(blocks).toEqual([
      {
        type: 'paragraph',
        children: [{ type: 'text', text: '<script>alert(1)</script>\n<img src=x onerror=alert(1)>' }],
      },
    ]);
  });
  it('javascript: and data: links become plain text; web links stay links', () => {
    expect(parseInline('[x](javascript:alert(1))')).toEqual([
      { type: 'text', text: '[x](javascript:alert(1)' },
      { type: 'text', text: ')' },
    ]);
    expect(safeHref('data:text/html,hi')).toBeNull();
    expect(parseInline('[docs](https://example.org/a)')).toEqual([
      { type: 'link', href: 'https://example.org/a', children: [{ type: 'text', text: 'docs' }] },
    ]);
  });
  it('reads code blocks, headings, lists and emphasis', () => {
    const blocks = parseMarkdown(
      '# Title\n\nSome **bold** and `code`.\n\n```ts\nconst a = 1 < 2;\n```\n- one\n- two\n1. first',
    );
    expect(blocks.map((b) => b.type)).toEqual(['heading', 'paragraph', 'code', 'list', 'list']);
    expect(blocks[2]).toEqual({ type: 'code', lang: 'ts', text: 'const a = 1 < 2;' });
  });
});
