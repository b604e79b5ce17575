// Asks the window (or the browser) for one tool call's consent, as routing's ConsentGate does for the
// partner: the request goes out as the 'tools.consent' event and the call waits for 'tools.consent'
// back. Nothing runs meanwhile. Stop answers "deny" and closes the dialog; with no window or browser
// connected (now, or when the last one goes while a dialog is open) the answer is null: "refused: no
// one to ask".
import type { ToolConsentAnswer, ToolConsentRequest } from '../../../shared/contract/tools.ts';
import type { AppEmit } from '../events.ts';
import type { ConsentAsker } from './toolConsentGate.ts';

export class ToolAsker {
  private readonly waiting = new Map<string, (answer: ToolConsentAnswer | null) => void>();
  private readonly emit: AppEmit;
  private readonly listening: () => boolean;

  constructor(emit: AppEmit, listening: () => boolean) {
    this.emit = emit;
    this.listening = listening;
  }

  readonly ask: ConsentAsker = (request: ToolConsentRequest, signal: AbortSignal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve('deny');
      if (!this.listening()) return resolve(null);
      const done = (answer: ToolConsentAnswer | null) => {
        this.waiting.delete(request.id);
        signal.removeEventListener('abort', onAbort);
        this.emit('tools.consentClosed', { id: request.id });
        resolve(answer);
      };
      const onAbort = () => done('deny');
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.set(request.id, done);
      this.emit('tools.consent', request);
    });

  /** The user's answer; false when no request with that id is waiting (already answered or stopped). */
  answer(id: string, answer: ToolConsentAnswer): boolean {
    const done = this.waiting.get(id);
    done?.(answer);
    return done !== undefined;
  }

  /** The last window or browser went away: every open request is refused, as no one can answer it. */
  noOneLeft(): void {
    for (const done of [...this.waiting.values()]) done(null);
  }

  pending(): string[] {
    return [...this.waiting.keys()];
  }
}
