// Coming back to a conversation evaluates only its new message. The engine holds one sequence; when an
// answer's history does not continue what that sequence holds (another conversation, through the app or
// /v1), the held state is saved to a file first, and a saved state that the new history continues is
// loaded back instead of evaluating that history again, as llama-server's prompt cache does. Files live
// in a folder of the worker's own, within a byte budget, least recently used first out.
import { mkdirSync, rmSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LlamaContextSequence } from 'node-llama-cpp';

/** The folder a worker keeps its saved states in, named by its pid: the host removes it when the worker
 *  exits, however it exits (a killed worker never runs its own exit handler). */
export function statesDirOf(pid: number): string {
  return join(tmpdir(), `edgewise-states-${pid}`);
}

/** Removes a worker's saved states once it has exited. */
export function removeStatesOf(pid: number | undefined): void {
  if (pid !== undefined) rmSync(statesDirOf(pid), { recursive: true, force: true });
}

/** A conversation as a list of turns: the mode and system prompt first, then each message. */
export type Turns = readonly string[];

export function conversationTurns(
  mode: string,
  systemPrompt: string,
  history: readonly { role: string; text: string }[],
): string[] {
  // Trimmed: a client that resends an answer trims it, and that is still the same turn.
  return [`${mode}|${systemPrompt.trim()}`, ...history.map((t) => `${t.role}:${t.text.trim()}`)];
}

/** How many leading turns two conversations share. */
export function sharedTurns(a: Turns, b: Turns): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

interface SavedState {
  file: string;
  turns: Turns;
  bytes: number;
  usedAt: number;
}

export type StateStep = 'continued' | 'restored' | 'saved' | 'fresh';

export class SequenceStates {
  private dir: string | null = null;
  private saved: SavedState[] = [];
  private held: Turns | null = null;
  private clock = 0;
  private bytesPerToken: number | null = null;
  private readonly budgetBytes: number;
  private readonly maxStates: number;

  constructor(budgetBytes = 1 << 30, maxStates = 8) {
    this.budgetBytes = budgetBytes;
    this.maxStates = maxStates;
  }

  /** Before an answer in `sequence`: keep, save and restore so that it holds the longest start of `turns`. */
  async prepare(sequence: LlamaContextSequence, turns: Turns): Promise<StateStep> {
    const held = this.held;
    const keep = held ? sharedTurns(held, turns) : 0;
    if (held && keep === held.length) return 'continued';
    let step: StateStep = 'fresh';
    // The same history without its last answer (a regenerate, a retried request) loses only that answer,
    // which the sequence can evaluate again if its branch is taken up; saving the whole state for it was a
    // write of every token's cache before each regenerated answer (1.3 ms on the bench's 300M model with 40
    // tokens, measured; a 7-8B model's cache is 0.1-0.5 MB a token in f16: up to half the budget, 512 MB).
    const onlyTheAnswer = held !== null && keep === held.length - 1;
    if (
      held &&
      held.length > 1 &&
      !onlyTheAnswer &&
      sequence.contextTokens.length > 0 &&
      (await this.save(sequence, held))
    )
      step = 'saved';
    // The saved state the new history continues furthest, if it beats what the sequence already shares.
    const best = this.saved
      .filter((s) => sharedTurns(s.turns, turns) === s.turns.length && s.turns.length > keep)
      .sort((a, b) => b.turns.length - a.turns.length)[0];
    this.held = null;
    if (!best) return step;
    try {
      await sequence.loadStateFromFile(best.file, { acceptRisk: true });
      best.usedAt = ++this.clock;
      this.held = best.turns;
      return 'restored';
    } catch {
      // A state that cannot be loaded is dropped; the history is evaluated as usual.
      await this.drop(best);
      return step;
    }
  }

  /** After an answer: the sequence holds `turns` and the answer (unknown after a failure: null). */
  answered(turns: Turns | null, answer?: string): void {
    this.held = turns && answer !== undefined ? [...turns, `assistant:${answer.trim()}`] : null;
  }

  private async save(sequence: LlamaContextSequence, turns: Turns): Promise<boolean> {
    const tokens = sequence.contextTokens.length;
    // Known after the first save: a state too large for the budget is not written at all.
    if (this.bytesPerToken !== null && tokens * this.bytesPerToken > this.budgetBytes / 2) return false;
    const existing = this.saved.find(
      (s) => s.turns.length === turns.length && sharedTurns(s.turns, turns) === turns.length,
    );
    if (existing) await this.drop(existing);
    if (this.dir === null) {
      this.dir = statesDirOf(process.pid);
      mkdirSync(this.dir, { recursive: true });
    }
    const file = join(this.dir, `${++this.clock}.state`);
    const { fileSize } = await sequence.saveStateToFile(file);
    this.bytesPerToken = tokens > 0 ? fileSize / tokens : this.bytesPerToken;
    this.saved.push({ file, turns, bytes: fileSize, usedAt: this.clock });
    // Least recently used out, past the count or the byte budget.
    this.saved.sort((a, b) => b.usedAt - a.usedAt);
    while (
      this.saved.length > this.maxStates ||
      (this.saved.length > 1 && this.saved.reduce((n, s) => n + s.bytes, 0) > this.budgetBytes)
    )
      await this.drop(this.saved.at(-1)!);
    return true;
  }

  private async drop(state: SavedState): Promise<void> {
    this.saved = this.saved.filter((s) => s !== state);
    await unlink(state.file).catch(() => undefined);
  }

  /** Another model or context: no saved state applies any more. */
  clear(): void {
    this.saved = [];
    this.held = null;
    this.bytesPerToken = null;
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}
