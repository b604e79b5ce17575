import { describe, expect, it } from 'vitest';
import { TextBatcher } from './textBatcher.ts';

function harness(windowMs = 2) {
  let clock = 0;
  const sent: { text: string; tokens: number; thought: boolean | undefined; at: number }[] = [];
  const batcher = new TextBatcher(
    (text, tokens, thought) => sent.push({ text, tokens, thought, at: clock }),
    windowMs,
    () => clock,
  );
  return { batcher, sent, advance: (ms: number) => (clock += ms) };
}

describe('TextBatcher', () => {
  it('sends the first text at once and batches what follows within the window', () => {
    const { batcher, sent, advance } = harness();
    batcher.push('Once', 1);
    expect(sent).toEqual([{ text: 'Once', tokens: 1, thought: undefined, at: 0 }]);
    advance(0.5);
    batcher.push(' upon', 2);
    advance(0.5);
    batcher.push(' a', 3);
    expect(sent).toHaveLength(1);
    batcher.flush();
    expect(sent.map((s) => s.text)).toEqual(['Once', ' upon a']);
    expect(sent[1]!.tokens).toBe(3);
  });

  it('sends each token at once when tokens come slower than the window', () => {
    const { batcher, sent, advance } = harness();
    for (const word of ['a', 'b', 'c']) {
      batcher.push(word, 1);
      advance(10);
    }
    expect(sent.map((s) => s.text)).toEqual(['a', 'b', 'c']);
  });

  it('never mixes thought and answer text in one message, and loses nothing', () => {
    const { batcher, sent, advance } = harness();
    batcher.push('think', 1, true);
    advance(0.1);
    batcher.push('ing', 2, true);
    batcher.push('Answer', 3, false);
    batcher.push('!', 4, false);
    batcher.flush();
    expect(sent.map((s) => [s.text, s.thought])).toEqual([
      ['think', true],
      ['ing', true],
      ['Answer!', false],
    ]);
  });

  it('sends held text when the window ends, on a real timer', async () => {
    const sent: string[] = [];
    const batcher = new TextBatcher((text) => sent.push(text), 5);
    batcher.push('a', 1);
    batcher.push('b', 2);
    expect(sent).toEqual(['a']);
    await new Promise((r) => setTimeout(r, 30));
    expect(sent).toEqual(['a', 'b']);
  });
});
