// Switching to another conversation and back evaluates only the new message: the engine saves the state
// of the conversation it leaves and restores it on the way back (engine/sequenceStates.ts). Real worker,
// real model; the answer after a restore is the same greedy text as one evaluated from scratch.
import { afterEach, describe, expect, it } from 'vitest';
import { EngineHost } from '../electron/services/engine/engineHost.ts';
import { forkWorker } from '../electron/services/engine/workerProcess.ts';
import { defaultSampling } from '../shared/schemas.ts';
import { demoModel } from './fixtures.ts';

const demo = { id: 'demo', name: 'TinyStories 656K', path: demoModel };
const greedy = { ...defaultSampling, temperature: 0, repeatPenalty: 1, maxTokens: 24 };
type Turn = { role: 'user' | 'assistant'; text: string };

const hosts: EngineHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.dispose()));
});

async function engine() {
  const host = new EngineHost({ spawn: forkWorker, onStatus: () => {}, gpu: 'cpu', threads: 1 });
  hosts.push(host);
  await host.load(demo);
  let n = 0;
  return (history: Turn[]) =>
    host.generate(
      { requestId: `r${++n}`, mode: 'chat', systemPrompt: '', history, sampling: greedy, contextSize: 1024 },
      () => {},
    );
}

/** Turns 1-3 of one conversation, each answer appended, with `between` asked after turn 3 if given. */
async function catTurns(ask: Awaited<ReturnType<typeof engine>>, between?: Turn[]) {
  const cat: Turn[] = [];
  for (const text of ['Tell me a story about a cat.', 'What did the cat find?', 'Who did the cat meet?']) {
    cat.push({ role: 'user', text });
    cat.push({ role: 'assistant', text: (await ask(cat)).text });
  }
  if (between) expect((await ask(between)).outputTokens).toBeGreaterThan(0);
  cat.push({ role: 'user', text: 'How did it end?' });
  return ask(cat);
}

describe('another conversation and back', () => {
  it('evaluates no more than staying in the conversation would, and gives the same greedy answer', async () => {
    const back = await catTurns(await engine(), [{ role: 'user', text: 'A different story: a dog at the beach.' }]);
    const stayed = await catTurns(await engine());
    console.log(
      `turn 4 after a switch and back: ${back.evaluatedPromptTokens} of ${back.promptTokens} prompt tokens evaluated; without the switch: ${stayed.evaluatedPromptTokens} of ${stayed.promptTokens}`,
    );
    expect(back.promptTokens).toBe(stayed.promptTokens);
    expect(back.promptTokens).toBeGreaterThan(60);
    // Without the saved state it was 83 of 85 here: the whole conversation again.
    expect(back.evaluatedPromptTokens).toBeLessThanOrEqual(stayed.evaluatedPromptTokens!);
    expect(back.evaluatedPromptTokens).toBeLessThan(back.promptTokens / 2);
    expect(back.text).toBe(stayed.text);
  }, 180_000);
});
