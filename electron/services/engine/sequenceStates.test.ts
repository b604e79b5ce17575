import { describe, expect, it } from 'vitest';
import { conversationTurns, sharedTurns } from './sequenceStates.ts';

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
