// Model output is untrusted: whatever it holds, the rendered markup has no script, no event handler, no
// style, no frame or SVG, no image and no link but http(s). Rendered to static markup with React's own
// server renderer, the same element tree the app puts in the DOM.
import { describe, expect, it, beforeAll } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { Markdown } from '../Markdown.tsx';
import { highlighter, MAX_HIGHLIGHT } from './highlight.ts';
import { katexOptions, mathRenderer, typeset, type MathRenderer } from './math.ts';
import { MAX_CODE_SHOWN } from './CodeBlock.tsx';
import { MAX_TABLE_ROWS } from './MarkdownNode.tsx';
import { ThinkingBlock } from '../ThinkingBlock.tsx';
import type { Message } from '../../../../shared/schemas.ts';

const render = (text: string, streaming = false) => renderToStaticMarkup(createElement(Markdown, { text, streaming }));

/** Every tag and attribute in the markup, to check against what may appear. */
function tagsAndAttributes(html: string): { tags: Set<string>; attributes: Set<string>; hrefs: string[] } {
  const tags = new Set<string>();
  const attributes = new Set<string>();
  const hrefs: string[] = [];
  for (const [, tag, attrs] of html.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)) {
    tags.add(tag!.toLowerCase());
    for (const [, name, value] of attrs!.matchAll(/([^\s=/]+)(?:="([^"]*)")?/g)) {
      attributes.add(name!.toLowerCase());
      if (name === 'href') hrefs.push(value!);
    }
  }
  return { tags, attributes, hrefs };
}

const allowedTags = new Set(
  'div p span a em strong del code pre h1 h2 h3 h4 h5 h6 ul ol li input blockquote hr br table thead tbody tr th td sup button'.split(
    ' ',
  ),
);
const allowedAttributes = new Set(
  'class href title target rel start type checked disabled readonly aria-label data-testid data-highlighted data-state style'.split(
    ' ',
  ),
);

function expectInert(html: string) {
  const { tags, attributes, hrefs } = tagsAndAttributes(html);
  for (const tag of tags) expect(allowedTags, `<${tag}>`).toContain(tag);
  for (const attribute of attributes) expect(allowedAttributes, attribute).toContain(attribute);
  for (const href of hrefs) expect(href).toMatch(/^https?:\/\//i);
  // Style only as table alignment.
  for (const [, style] of html.matchAll(/style="([^"]*)"/g)) expect(style).toMatch(/^text-align:(left|right|center)$/);
}

beforeAll(async () => {
  await Promise.all([highlighter.load(), mathRenderer.load()]);
});

describe('Markdown renders model output as inert elements', () => {
  const hostile: [string, string][] = [
    ['script tags', '<script>alert(1)</script>\n\nText <script src="https://evil.example/x.js"></script>'],
    [
      'event handlers',
      '<img src=x onerror=alert(1)>\n\n<div onclick="alert(1)">click</div> <a onmouseover=alert(1)>x</a>',
    ],
    ['javascript: links', '[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c]( javascript:alert(1) )'],
    [
      'entity-encoded schemes',
      '[a](jav&#x61;script:alert(1)) [b](&#106;avascript:alert(1)) [c](javascript&colon;alert(1))',
    ],
    [
      'schemes split by escapes and whitespace',
      '[a](java\\script:alert(1)) [b](<java script:alert(1)>) [c](java%0ascript:x)',
    ],
    [
      'data: and vbscript: links',
      '[a](data:text/html;base64,PHNjcmlwdD4=) [b](vbscript:msgbox(1)) [c](file:///etc/passwd)',
    ],
    ['autolinks', '<javascript:alert(1)> <data:text/html,hi> <https://ok.example/> www.ok.example mail@ok.example'],
    [
      'SVG',
      '<svg onload=alert(1)><script>alert(1)</script></svg>\n\n<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
    ],
    [
      'CSS injection',
      '<style>body{display:none}</style>\n\n<p style="position:fixed;inset:0">cover</p> <link rel=stylesheet href=//evil>',
    ],
    [
      'frames and objects',
      '<iframe src="https://evil.example"></iframe> <object data=x></object> <embed src=x> <form action=x>',
    ],
    [
      'HTML inside tables',
      '| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | <script>alert(1)</script> |\n| [x](javascript:alert(1)) | <b style="color:red">b</b> |',
    ],
    [
      'HTML inside code',
      '`<script>alert(1)</script>`\n\n```html\n<img src=x onerror=alert(1)>\n<script>alert(1)</script>\n```',
    ],
    ['images', '![tracker](https://evil.example/pixel.png) ![x](javascript:alert(1)) ![d](data:image/png;base64,AAAA)'],
    ['math with trust-gated commands', '$\\href{javascript:alert(1)}{x}$ and $$\\url{javascript:alert(1)}$$'],
    [
      'link titles and reference definitions',
      '[a][r] [b](https://ok.example "a\\" onmouseover=\\"alert(1)")\n\n[r]: javascript:alert(1)',
    ],
  ];
  for (const [name, text] of hostile)
    it(name, () => {
      const html = render(text);
      expectInert(html);
      expect(html).not.toMatch(/<(script|img|iframe|object|embed|svg|style|link|form)\b/i);
      // Event handlers may appear only as escaped text, never as an attribute of a tag.
      for (const [, attrs] of html.matchAll(/<[a-zA-Z][\w-]*([^>]*)>/g)) expect(attrs).not.toMatch(/\son\w+=/i);
    });

  it('raw HTML stays visible as text', () => {
    const html = render('<script>alert(1)</script>\n\nAn <b>inline</b> tag');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('An &lt;b&gt;inline&lt;/b&gt; tag');
  });

  it('web links open outside the app; other links and images are shown as text', () => {
    const html = render(
      '[docs](https://example.org/a) [bad](javascript:alert(1)) ![alt text](https://x.example/i.png)',
    );
    expect(html).toContain(
      '<a href="https://example.org/a" title="https://example.org/a" target="_blank" rel="noopener noreferrer">docs</a>',
    );
    expect(html).toContain('<span class="md-unsafe-link" title="Not a web link, so not followed">bad</span>');
    expect(html).toContain('[image: alt text] https://x.example/i.png');
  });
});

describe('Markdown renders GFM, code and math', () => {
  it('tables, task lists, strikethrough, quotes and headings', () => {
    const html = render('## Title\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n~~old~~\n\n> quote');
    expect(html).toContain('<h2>Title</h2>');
    expect(html).toContain('<th style="text-align:left">a</th><th style="text-align:right">b</th>');
    expect(html).toContain('<li class="task"><input type="checkbox" disabled="" readOnly="" checked=""/>');
    expect(html).toContain('<del>old</del>');
    expect(html).toContain('<blockquote><p>quote</p></blockquote>');
  });

  it('a finished code block is highlighted, with its language and a Copy button', () => {
    const html = render('```ts\nconst a: number = 1; // one\n```');
    expect(html).toContain('<span class="code-lang">ts</span>');
    expect(html).toContain('aria-label="Copy code"');
    expect(html).toContain('data-highlighted="true"');
    expect(html).toContain('<span class="hljs-keyword">const</span>');
    expect(html).toContain('<span class="hljs-comment">// one</span>');
  });

  it('a code block still streaming is plain until it closes', () => {
    expect(render('```ts\nconst a = 1;', true)).toContain('data-highlighted="false"');
    expect(render('```ts\nconst a = 1;\n```\n', true)).toContain('data-highlighted="true"');
  });

  it('a 1 MB code block is highlighted up to the cap, shown up to its cap, with notes', () => {
    const code = 'let x = 1; // a line of code\n'.repeat(36_000);
    const started = performance.now();
    const html = render(`\`\`\`js\n${code}\`\`\``);
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(html).toContain(`Highlighting stops after ${MAX_HIGHLIGHT.toLocaleString('en-US')} characters.`);
    expect(html).toContain(`Showing the first ${MAX_CODE_SHOWN.toLocaleString('en-US')} of 1,043,999 characters`);
    expect(html.split('hljs-keyword').length - 1).toBeLessThanOrEqual(MAX_HIGHLIGHT / 10);
  });

  it('a 5,000-column table and 1,000 nested quotes render with their notes', () => {
    const cols = 5000;
    const table = render(`|${'h|'.repeat(cols)}\n|${'-|'.repeat(cols)}\n|${'1|'.repeat(cols)}`);
    expect(table.split('<th>').length - 1).toBe(64);
    expect(table).toContain('This table has 5,000 columns; the first 64 are shown.');
    const quotes = render(Array.from({ length: 1000 }, (_, i) => `${'> '.repeat(i + 1)}level ${i}`).join('\n'));
    expect(quotes.split('<blockquote>').length - 1).toBeLessThanOrEqual(32);
    expect(quotes).toContain('Nested more than 32 levels deep');
    expect(quotes).toContain('level 999');
  });

  it('a table of 1,500 rows shows its first 1,000 with a note', () => {
    const html = render(`| n |\n|---|\n${Array.from({ length: 1500 }, (_, i) => `| ${i} |`).join('\n')}`);
    expect(html.split('<tr>').length - 1).toBe(1 + MAX_TABLE_ROWS);
    expect(html).toContain('This table has 1,500 rows; the first 1,000 are shown.');
  });

  it('math shows its source until typeset; KaTeX reads good formulas and rejects bad ones', () => {
    const html = render('Inline $x^2$ and\n\n$$\n\\frac{1}{2}\n$$');
    expect(html).toContain('<code class="math-source">$x^2$</code>');
    expect(html).toContain(
      '<span class="math math-display" data-testid="math" data-state="pending"><code class="math-source">$$\\frac{1}{2}$$</code>',
    );
    const katex = mathRenderer.get() as MathRenderer;
    expect(katex.renderToString('\\frac{1}{2}', katexOptions(true))).toContain('class="katex-display"');
    const holder = { textContent: 'old' } as HTMLElement;
    expect(typeset(katex, '\\frac{1}{', false, holder)).toMatch(/KaTeX parse error/);
    expect(holder.textContent).toBe('');
    expect(typeset(katex, 'x'.repeat(6000), false, holder)).toMatch(/longer than 5,000 characters/);
  });

  it('prices stay text, not math', () => {
    const html = render('It costs $5 and $10.');
    expect(html).toBe('<div class="markdown"><p>It costs $5 and $10.</p></div>');
  });

  it('KaTeX with trust off makes no link, image or raw HTML from a formula', () => {
    const katex = mathRenderer.get() as MathRenderer;
    for (const tex of [
      '\\href{javascript:alert(1)}{x}',
      '\\url{javascript:alert(1)}',
      '\\includegraphics{https://evil.example/x.png}',
      '\\htmlClass{x}{y}',
      '\\htmlData{onclick=alert(1)}{y}',
      '\\htmlStyle{position:fixed}{y}',
    ]) {
      const html = katex.renderToString(tex, { ...katexOptions(false), throwOnError: false });
      // The source is kept as text in the MathML annotation; no tag or attribute comes from it.
      expect(html, tex).not.toMatch(/<(a|img|script)\b|\s(href|src|on\w+)=|style="[^"]*position/i);
    }
  });
});

describe("a reasoning model's thoughts", () => {
  const thinking = (thoughts: string, status: Message['status'] = 'done', text = 'The answer.') =>
    renderToStaticMarkup(
      createElement(ThinkingBlock, {
        message: {
          id: 'm1',
          conversationId: 'c1',
          role: 'assistant',
          text,
          thoughts,
          status,
          stats: null,
          error: null,
          createdAt: 0,
        },
      }),
    );

  it('render as Markdown, through the same renderer as the answer', () => {
    const html = thinking('First **check** the table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two\n\n$x^2$');
    expect(html).toContain('<strong>check</strong>');
    expect(html).toContain('<table>');
    expect(html).toMatch(/<li>(<p>)?one/);
    expect(html).toContain('data-testid="math"');
  });

  it('are inert whatever they hold', () => {
    const html = thinking(
      '<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) ![t](https://evil.example/p.png) <svg onload=alert(1)></svg>',
    );
    expectInert(html.replace(/<details[^>]*>|<\/details>|<summary>|<\/summary>/g, ''));
    expect(html).not.toMatch(/<(script|img|svg|iframe)\b/i);
    expect(html).toContain('&lt;script&gt;');
  });

  it('stream as Markdown too: an open fence is plain until it closes', () => {
    const open = thinking('Let me write it:\n\n```ts\nconst a = 1;', 'streaming', '');
    expect(open).toContain('data-highlighted="false"');
    expect(open).toContain('const a = 1;');
  });
});
