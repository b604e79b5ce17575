import { describe, expect, it } from 'vitest';
import { RpcError } from '../../../shared/rpc.ts';
import { conversationSettings, defaultSettings, type ModelInfo } from '../../../shared/schemas.ts';
import { speculationFor, speculationOption } from './speculationChoice.ts';

const draftModel = { id: 'm-draft', path: '/models/small-Q2_K.gguf' } as ModelInfo;
const library = {
  get: async (id: string) => {
    if (id === draftModel.id) return draftModel;
    throw new RpcError('not_found', `No model ${id}.`);
  },
};

describe("a conversation's speculation setting", () => {
  it('is off when absent, so stored conversations and presets keep answering as before', async () => {
    expect(conversationSettings.parse(defaultSettings).speculation).toBeUndefined();
    expect(await speculationFor(undefined, library)).toBeUndefined();
    expect(await speculationFor({ kind: 'off', draftModelId: 'm-draft' }, library)).toBeUndefined();
  });

  it("turns prompt lookup and a library draft model into the engine's setting", async () => {
    expect(await speculationFor({ kind: 'prompt', draftModelId: null }, library)).toEqual({
      kind: 'prompt',
      draftModelPath: null,
    });
    expect(await speculationFor({ kind: 'draft', draftModelId: 'm-draft' }, library)).toEqual({
      kind: 'draft',
      draftModelPath: '/models/small-Q2_K.gguf',
    });
  });

  it('refuses a draft setting without a model, or with one no longer in the library, saying what to do', async () => {
    await expect(speculationFor({ kind: 'draft', draftModelId: null }, library)).rejects.toThrow(/choose one/);
    const gone = speculationFor({ kind: 'draft', draftModelId: 'm-gone' }, library);
    await expect(gone).rejects.toBeInstanceOf(RpcError);
    await expect(gone).rejects.toThrow(/no longer in the library/);
    expect(conversationSettings.safeParse({ ...defaultSettings, speculation: { kind: 'fast' } }).success).toBe(false);
  });
});

describe('edgewise chat --speculative off|lookup|draft', () => {
  it('maps the flag, and refuses combinations that cannot mean anything', () => {
    expect(speculationOption(undefined, undefined)).toBeUndefined();
    expect(speculationOption('off', undefined)).toBeUndefined();
    expect(speculationOption('lookup', undefined)).toEqual({ kind: 'prompt', draftModelPath: null });
    expect(speculationOption('draft', '/d.gguf')).toEqual({ kind: 'draft', draftModelPath: '/d.gguf' });
    expect(speculationOption(undefined, '/d.gguf')).toEqual({ kind: 'draft', draftModelPath: '/d.gguf' });
    expect(() => speculationOption('draft', undefined)).toThrow(/needs --draft PATH/);
    expect(() => speculationOption('lookup', '/d.gguf')).toThrow(/--draft goes with --speculative draft/);
    expect(() => speculationOption('off', '/d.gguf')).toThrow(/--draft needs --speculative draft/);
    expect(() => speculationOption('fast', undefined)).toThrow(/off, lookup or draft, not "fast"/);
  });
});
