// Named presets: a system prompt, sampling, context size and whether the model should think. Four ship
// with the app and cannot be changed or deleted (save a copy to change one); the user's own are stored.
import { z } from 'zod';
import { conversationSettings, defaultSampling, id, type ConversationSettings } from './schemas.ts';

export const presetName = z
  .string()
  .trim()
  .min(1, 'a preset needs a name')
  .max(60, 'a preset name is at most 60 characters');

export const preset = z.object({
  id,
  name: presetName,
  builtIn: z.boolean(),
  settings: conversationSettings,
  /** Whether a reasoning model thinks: chosen with the preset, it sets the conversation's Thinking switch
   * (its thought budget, if any, is in `settings`). */
  thinking: z.boolean(),
});
export type Preset = z.infer<typeof preset>;

/** A preset's settings as a conversation takes them: its thinking switch too. */
export function presetSettings(p: Preset): ConversationSettings {
  return { ...p.settings, thinking: p.thinking };
}

/** What the user sends to create (no id) or change (an id) a preset. */
export const presetInput = z.strictObject({
  id: id.optional(),
  name: presetName,
  settings: conversationSettings,
  thinking: z.boolean(),
});
export type PresetInput = z.infer<typeof presetInput>;

const shipped = (id: string, name: string, settings: ConversationSettings): Preset => ({
  id: `builtin-${id}`,
  name,
  builtIn: true,
  settings,
  // Thinking stays on: choosing a shipped preset for its sampling must not silently stop a model thinking.
  thinking: true,
});

export const builtInPresets: Preset[] = [
  shipped('precise', 'Precise', {
    systemPrompt: 'Answer accurately and concisely. Say so when you are not sure.',
    sampling: { ...defaultSampling, temperature: 0.2, topK: 20, topP: 0.9 },
    contextSize: 2048,
  }),
  shipped('balanced', 'Balanced', { systemPrompt: '', sampling: defaultSampling, contextSize: 2048 }),
  shipped('creative', 'Creative', {
    systemPrompt: '',
    sampling: { ...defaultSampling, temperature: 1.0, topK: 100, topP: 0.98, repeatPenalty: 1.15 },
    contextSize: 2048,
  }),
  shipped('code', 'Code', {
    systemPrompt: 'You are a careful programmer. Answer with working code and a short explanation.',
    sampling: { ...defaultSampling, temperature: 0.2, topK: 40, topP: 0.95, maxTokens: 1024 },
    contextSize: 4096,
  }),
];

/** The one message a refused preset shows: which field, and what is wrong with it. */
export function presetProblem(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `The preset was not saved: ${issue.path.join('.') || 'value'} ${issue.message}`;
}
