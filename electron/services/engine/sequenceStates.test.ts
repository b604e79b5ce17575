import { describe, expect, it } from 'vitest';
import type { LlamaContextSequence } from 'node-llama-cpp';
import { SequenceStates, conversationTurns, sharedTurns } from './sequenceStates.ts';

describe('telling conversations apart by their turns', () => {
  it('a resent conversation continues the one held; another shares at most its mode and system prompt', () => {
    const cat = conversationTurns('chat', 'Be brief.', [
      { role: 'user', text: 'A cat?' },
      { role: 'assistant', text: ' It purred. ' },
    ]);
    expect(cat).toEqual(['chat|Be brief.', 'user:A cat?', 'assistant:It purred.']);
    const resent = conversationTurns('chat', 'Be brief.', [
      { role: 'user', text: 'A cat?' },
      { role: 'assistant', text: 'It purred.' }, // clients trim the answer they resend
      { role: 'user', text: 'And then?' },
    ]);
    expect(sharedTurns(cat, resent)).toBe(cat.length);
    const dog = conversationTurns('chat', 'Be brief.', [{ role: 'user', text: 'A dog?' }]);
    expect(sharedTurns(cat, dog)).toBe(1);
    expect(sharedTurns(cat, conversationTurns('raw', 'Be brief.', [{ role: 'user', text: 'A cat?' }]))).toBe(0);
  });
});

describe('what is saved before an answer', () => {
  it('a regenerated answer (the same history without its last answer) saves nothing; another conversation does', async () => {
    const saves: string[] = [];
    // The two members prepare() uses; a real sequence is exercised in tests/conversationSwitch.test.ts.
    const sequence = {
      contextTokens: [1, 2, 3],
      saveStateToFile: async (file: string) => {
        saves.push(file);
        return { fileSize: 30 };
      },
    } as unknown as LlamaContextSequence;
    const states = new SequenceStates();
    try {
      const cat = conversationTurns('chat', '', [{ role: 'user', text: 'A cat?' }]);
      states.answered(cat, 'It purred.');
      expect(await states.prepare(sequence, cat)).toBe('fresh');
      expect(saves).toEqual([]);
      states.answered(cat, 'It slept.');
      const dog = conversationTurns('chat', '', [{ role: 'user', text: 'A dog?' }]);
      expect(await states.prepare(sequence, dog)).toBe('saved');
      expect(saves).toHaveLength(1);
    } finally {
      states.clear();
    }
  });
});
