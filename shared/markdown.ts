// A small Markdown reader for model output: paragraphs, headings, lists, fenced code, inline code,
// bold, italic and links. It produces a tree, never HTML, so raw HTML in model output stays text.
export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] };

export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'heading'; level: number; children: Inline[] }
  | { type: 'list'; ordered: boolean; items: Inline[][] }
  | { type: 'code'; lang: string; text: string };

/** Only web links are kept as links; javascript:, data:, file: and the rest become plain text. */
export function safeHref(href: string): string | null {
  return /^https?:\/\/[^\s/?#]+[^\s]*$/i.test(href) ? href : null;
}

const inlinePattern =
  /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)|\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_|\[([^\]]+)\]\(([^)\s]+)\)/g;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const match of text.matchAll(inlinePattern)) {
    const index = match.index;
    if (index > last) out.push({ type: 'text', text: text.slice(last, index) });
    const [whole, , code, strong1, strong2, em1, em2, linkText, href] = match;
    if (code !== undefined)
      out.push({ type: 'code', text: code.trim() === '' ? code : code.replace(/^ (.*) $/s, '$1') });
    else if (strong1 ?? strong2) out.push({ type: 'strong', children: parseInline((strong1 ?? strong2)!) });
    else if (em1 ?? em2) out.push({ type: 'em', children: parseInline((em1 ?? em2)!) });
    else if (linkText !== undefined && href !== undefined) {
      const safe = safeHref(href);
      out.push(safe ? { type: 'link', href: safe, children: parseInline(linkText) } : { type: 'text', text: whole });
    }
    last = index + whole.length;
  }
  if (last < text.length) out.push({ type: 'text', text: text.slice(last) });
  return out;
}

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const endParagraph = () => {
    if (paragraph.length) blocks.push({ type: 'paragraph', children: parseInline(paragraph.join('\n')) });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s*(```+|~~~+)\s*([\w+-]*)/.exec(line);
    if (fence) {
      endParagraph();
      const marker = fence[1]!;
      const code: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trim().startsWith(marker)) code.push(lines[i++]!);
      blocks.push({ type: 'code', lang: fence[2] ?? '', text: code.join('\n') });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      endParagraph();
      blocks.push({ type: 'heading', level: heading[1]!.length, children: parseInline(heading[2]!) });
      continue;
    }
    const item = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (item) {
      endParagraph();
      const ordered = /\d/.test(item[1]!);
      const previous = blocks.at(-1);
      if (previous?.type === 'list' && previous.ordered === ordered) previous.items.push(parseInline(item[2]!));
      else blocks.push({ type: 'list', ordered, items: [parseInline(item[2]!)] });
      continue;
    }
    if (line.trim() === '') endParagraph();
    else paragraph.push(line);
  }
  endParagraph();
  return blocks;
}
