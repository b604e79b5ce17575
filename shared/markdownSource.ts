// Prepares model output for the Markdown parser without changing what is stored: it cuts top-level fenced
// code out (so a growing or huge code block costs a slice, not a re-parse), rewrites \( \) \[ \] to the
// dollar forms the math extension reads, and caps what would make the parser or the page freeze (very wide
// tables, very deep nesting). Every cap leaves a note for the reader.

/** Columns kept in a table; the rest of each row is cut before parsing. */
export const MAX_TABLE_COLUMNS = 64;
/** Container levels (quotes, list markers, two columns of indentation each) before the rest is plain text. */
export const MAX_NESTING = 32;

export type Segment =
  | { kind: 'prose'; start: number; text: string }
  | { kind: 'code'; start: number; text: string; lang: string; meta: string; value: string; closed: boolean };

/** A fence that opens at column 0 always starts a top-level code block in CommonMark: it cannot be lazy
 * paragraph text, and it is not indented enough to belong to a list item. */
const fenceOpen = /^(`{3,}|~{3,})(.*)$/;

function closesFence(line: string, marker: string): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return !!m && m[1]![0] === marker[0] && m[1]!.length >= marker.length;
}

/** Splits the text into prose and top-level fenced code, in order. Linear in the text's length. */
export function splitSegments(text: string): Segment[] {
  const segments: Segment[] = [];
  let proseStart = 0;
  let pos = 0;
  while (pos < text.length) {
    const end = text.indexOf('\n', pos);
    const lineEnd = end === -1 ? text.length : end;
    const open = fenceOpen.exec(text.slice(pos, lineEnd));
    if (open && !(open[1]![0] === '`' && open[2]!.includes('`'))) {
      if (pos > proseStart) segments.push({ kind: 'prose', start: proseStart, text: text.slice(proseStart, pos) });
      const marker = open[1]!;
      const info = open[2]!.trim();
      const space = info.search(/\s/);
      const contentStart = end === -1 ? text.length : end + 1;
      let cursor = contentStart;
      let closed = false;
      let valueEnd = text.length;
      let blockEnd = text.length;
      while (cursor < text.length) {
        const next = text.indexOf('\n', cursor);
        const stop = next === -1 ? text.length : next;
        if (closesFence(text.slice(cursor, stop), marker)) {
          closed = true;
          valueEnd = cursor;
          blockEnd = next === -1 ? text.length : next + 1;
          break;
        }
        cursor = next === -1 ? text.length : next + 1;
      }
      const value = text.slice(contentStart, valueEnd).replace(/\n$/, '');
      segments.push({
        kind: 'code',
        start: pos,
        text: text.slice(pos, blockEnd),
        lang: decodeEntities(space === -1 ? info : info.slice(0, space)),
        meta: space === -1 ? '' : info.slice(space + 1).trim(),
        value,
        closed,
      });
      pos = proseStart = blockEnd;
      continue;
    }
    pos = end === -1 ? text.length : end + 1;
  }
  if (proseStart < text.length) segments.push({ kind: 'prose', start: proseStart, text: text.slice(proseStart) });
  return segments;
}

/** The info string may hold entities and escapes; the label only needs the common ones undone. */
function decodeEntities(s: string): string {
  return s.replace(/\\(.)/g, '$1').replace(/&amp;/g, '&');
}

export interface PreparedProse {
  /** What the parser reads: the same lines as the prose (up to `deepLine`), so line numbers agree. */
  text: string;
  /** Lines (1-based) of rows cut to MAX_TABLE_COLUMNS, with the number of columns they had. */
  cutRows: Map<number, number>;
  /** The line (0-based) where nesting went past MAX_NESTING: from there on the prose is plain text. */
  deepLine: number | null;
}

const containerPrefix = /^(?:[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))*[ \t]*/;
// A fence inside a list or quote: the prefix is stripped, then the usual fence forms.
const innerFence = /^(`{3,}|~{3,})/;

function nestingOf(line: string): number {
  const prefix = containerPrefix.exec(line)![0];
  let depth = 0;
  let columns = 0;
  for (const ch of prefix) {
    if (ch === ' ') columns += 1;
    else if (ch === '\t') columns += 4;
    else if (ch === '>' || ch === '-' || ch === '+' || ch === '*' || ch === '.' || ch === ')') depth++;
  }
  return depth + Math.floor(columns / 2);
}

/** Cells of a table row, counting only unescaped pipes outside inline code. */
function pipePositions(line: string): number[] {
  const out: number[] = [];
  let inCode = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\') i++;
    else if (ch === '`') {
      let run = 1;
      while (line[i + run] === '`') run++;
      inCode = inCode === run ? 0 : inCode || run;
      i += run - 1;
    } else if (ch === '|' && !inCode) out.push(i);
  }
  return out;
}

/** Rewrites \(…\) and \[…\] to $…$ and $$…$$ in text that holds no code. */
function normalizeMath(prose: string): string {
  if (!prose.includes('\\')) return prose;
  return prose
    .replace(/\\\[([\s\S]+?)\\\]/g, (_, tex: string) => `$$${tex}$$`)
    .replace(/\\\(([^\n]+?)\\\)/g, (_, tex: string) => `$${tex}$`);
}

/** Splits a line into prose and inline code spans so math rewriting never touches code. */
function outsideInlineCode(line: string, rewrite: (s: string) => string): string {
  if (!line.includes('`')) return rewrite(line);
  let out = '';
  let last = 0;
  const runs = /`+/g;
  let m: RegExpExecArray | null;
  while ((m = runs.exec(line))) {
    const closing = line.indexOf(m[0], m.index + m[0].length);
    if (closing === -1) continue;
    // A closing run must be exactly as long; a longer run is not a match.
    if (line[closing + m[0].length] === '`') continue;
    out += rewrite(line.slice(last, m.index)) + line.slice(m.index, closing + m[0].length);
    last = runs.lastIndex = closing + m[0].length;
  }
  return out + rewrite(line.slice(last));
}

export function prepareProse(prose: string): PreparedProse {
  const lines = prose.split('\n');
  const out: string[] = [];
  const cutRows = new Map<number, number>();
  let deepLine: number | null = null;
  let fence: string | null = null;
  let pending: string[] = []; // prose lines waiting for math rewriting, which may span lines
  const flush = () => {
    if (pending.length) out.push(outsideInlineCode(pending.join('\n'), normalizeMath));
    pending = [];
  };
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const stripped = line.replace(containerPrefix, '');
    if (fence || innerFence.test(stripped)) {
      if (!fence) fence = innerFence.exec(stripped)![1]!;
      else if (closesFence(stripped, fence)) fence = null;
      flush();
      out.push(line);
      continue;
    }
    if (nestingOf(line) > MAX_NESTING) {
      deepLine = i;
      break;
    }
    const pipes = line.length > MAX_TABLE_COLUMNS ? pipePositions(line) : [];
    if (pipes.length > MAX_TABLE_COLUMNS + 1) {
      const leading = line.slice(0, pipes[0]).trim() === '';
      const trailing = line.slice(pipes.at(-1)! + 1).trim() === '';
      cutRows.set(i + 1, pipes.length + 1 - (leading ? 1 : 0) - (trailing ? 1 : 0));
      line = line.slice(0, pipes[leading ? MAX_TABLE_COLUMNS : MAX_TABLE_COLUMNS - 1]! + 1);
    }
    pending.push(line);
  }
  flush();
  return { text: out.join('\n'), cutRows, deepLine };
}
