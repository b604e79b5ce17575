import { describe, expect, it } from 'vitest';
import { MAX_NESTING, MAX_TABLE_COLUMNS, prepareProse, splitSegments } from './markdownSource.ts';

describe('splitSegments cuts top-level fenced code out of the prose', () => {
  it('keeps prose and code in order, with language, value and whether the fence closed', () => {
    const text = 'Intro\n\n```ts title="a"\nconst a = 1;\n```\nAfter\n~~~\nplain\n';
    const segments = splitSegments(text);
    expect(segments.map((s) => s.kind)).toEqual(['prose', 'code', 'prose', 'code']);
    expect(segments[1]).toMatchObject({ lang: 'ts', meta: 'title="a"', value: 'const a = 1;', closed: true });
    expect(segments[3]).toMatchObject({ lang: '', value: 'plain', closed: false });
    expect(segments.map((s) => s.text).join('')).toBe(text);
  });
  it('a shorter or different fence does not close, and a backtick fence cannot have backticks in its info', () => {
    const segments = splitSegments('````md\n```\ninner\n~~~~\n````\n``` a`b\n');
    expect(segments[0]).toMatchObject({ kind: 'code', value: '```\ninner\n~~~~', closed: true });
    expect(segments[1]).toMatchObject({ kind: 'prose', text: '``` a`b\n' });
  });
  it('an indented fence stays with the prose (it may belong to a list item)', () => {
    expect(splitSegments('1. step\n   ```sh\n   ls\n   ```\n').map((s) => s.kind)).toEqual(['prose']);
  });
});

describe('prepareProse', () => {
  it('rewrites \\( \\) and \\[ \\] to dollar math, but not inside code', () => {
    const { text } = prepareProse(
      'Euler: \\(e^{i\\pi}+1=0\\) and\n\\[\n\\int_0^1 x\\,dx\n\\]\n`\\(kept\\)` then\n- ```\n  \\[code\\]\n  ```',
    );
    expect(text).toBe(
      'Euler: $e^{i\\pi}+1=0$ and\n$$\n\\int_0^1 x\\,dx\n$$\n`\\(kept\\)` then\n- ```\n  \\[code\\]\n  ```',
    );
  });
  it('an unpaired \\[ stays an escaped bracket', () => {
    expect(prepareProse('a \\[b] c').text).toBe('a \\[b] c');
  });
  it('cuts rows wider than MAX_TABLE_COLUMNS, keeping the line count, and says how wide they were', () => {
    const wide = 5000;
    const prose = `|${'h|'.repeat(wide)}\n|${'-|'.repeat(wide)}\n|${'1|'.repeat(wide)}\nafter`;
    const { text, cutRows } = prepareProse(prose);
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(`|${'h|'.repeat(MAX_TABLE_COLUMNS)}`);
    expect(lines[1]).toBe(`|${'-|'.repeat(MAX_TABLE_COLUMNS)}`);
    expect([...cutRows]).toEqual([
      [1, wide],
      [2, wide],
      [3, wide],
    ]);
  });
  it('stops at the first line nested deeper than MAX_NESTING', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i)}- item ${i}`);
    const { text, deepLine } = prepareProse(lines.join('\n'));
    expect(deepLine).toBeGreaterThan(MAX_NESTING / 2);
    expect(deepLine).toBeLessThanOrEqual(MAX_NESTING + 1);
    expect(text.split('\n')).toHaveLength(deepLine!);
    expect(prepareProse(`${'>'.repeat(1000)} deep`).deepLine).toBe(0);
  });
});
