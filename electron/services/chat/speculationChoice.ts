// A conversation's speculation setting (and `edgewise chat --speculative`) turned into what the engine
// takes: prompt lookup, or a draft model's file. The engine then checks the draft's vocabulary.
import { RpcError } from '../../../shared/rpc.ts';
import type { ModelInfo, Speculation, SpeculationSetting } from '../../../shared/schemas.ts';

export async function speculationFor(
  setting: SpeculationSetting | undefined,
  library: { get(id: string): Promise<Pick<ModelInfo, 'path'> | null | undefined> } | undefined,
): Promise<Speculation | undefined> {
  if (!setting || setting.kind === 'off') return undefined;
  if (setting.kind === 'prompt') return { kind: 'prompt', draftModelPath: null };
  if (!setting.draftModelId)
    throw new RpcError('bad_input', 'Speculation with a draft model needs a draft model: choose one in the settings.');
  // the library throws for an id it no longer holds
  const draft = library ? await library.get(setting.draftModelId).catch(() => null) : null;
  if (!draft)
    throw new RpcError(
      'not_found',
      'The draft model chosen for speculation is no longer in the library: choose another, or turn speculation off.',
    );
  return { kind: 'draft', draftModelPath: draft.path };
}

/** `--speculative off|lookup|draft` (with `--draft PATH` for a draft model) as the engine's setting. */
export function speculationOption(value: string | undefined, draftPath: string | undefined): Speculation | undefined {
  const kind = value ?? (draftPath ? 'draft' : 'off');
  if (kind === 'off') {
    if (draftPath) throw new Error('--draft needs --speculative draft');
    return undefined;
  }
  if (kind === 'lookup') {
    if (draftPath) throw new Error('--draft goes with --speculative draft, not lookup');
    return { kind: 'prompt', draftModelPath: null };
  }
  if (kind === 'draft') {
    if (!draftPath)
      throw new Error('--speculative draft needs --draft PATH (a smaller model with the same vocabulary)');
    return { kind: 'draft', draftModelPath: draftPath };
  }
  throw new Error(`--speculative must be off, lookup or draft, not "${kind}"`);
}
