// A partner dispatch waits here for the user's explicit answer to that one query. Nothing is sent
// before the answer; stopping the answer or closing the app counts as no.
export type ConsentAnswer = 'yes' | 'yes for this conversation' | 'no';

export class ConsentGate {
  private waiting = new Map<string, (answer: ConsentAnswer) => void>();
  /** Conversations whose user said yes to the partner for all their queries (kept until restart). */
  private remembered = new Set<string>();

  isRemembered(conversationId: string): boolean {
    return this.remembered.has(conversationId);
  }

  wait(messageId: string, conversationId: string, signal: AbortSignal): Promise<ConsentAnswer> {
    return new Promise((resolve) => {
      const done = (answer: ConsentAnswer) => {
        this.waiting.delete(messageId);
        signal.removeEventListener('abort', onAbort);
        if (answer === 'yes for this conversation') this.remembered.add(conversationId);
        resolve(answer);
      };
      const onAbort = () => done('no');
      if (signal.aborted) return done('no');
      signal.addEventListener('abort', onAbort);
      this.waiting.set(messageId, done);
    });
  }

  answer(messageId: string, answer: ConsentAnswer): boolean {
    const resolve = this.waiting.get(messageId);
    resolve?.(answer);
    return resolve !== undefined;
  }

  pending(): string[] {
    return [...this.waiting.keys()];
  }
}
