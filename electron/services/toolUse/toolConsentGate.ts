// Consent per tool call: "Allow once", "Allow for this conversation" (kept in memory only, so it ends with
// the app and never applies to another conversation), "Deny". With no one to ask (the headless API, a
// script) a tool that needs consent is refused: nothing the model or a document writes can run one.
import { randomUUID } from 'node:crypto';
import type { ToolConsent, ToolConsentAnswer, ToolConsentRequest } from '../../../shared/contract/tools.ts';
import type { Tool } from './toolTypes.ts';

/** Asks the user; null when no one is there to answer (the window closed, no browser connected). */
export type ConsentAsker = (request: ToolConsentRequest, signal: AbortSignal) => Promise<ToolConsentAnswer | null>;

export class ToolConsentGate {
  private readonly remembered = new Map<string, Set<string>>();

  private key(tool: Tool) {
    return `${tool.server}\u0000${tool.name}`;
  }

  async decide(
    conversationId: string,
    tool: Tool,
    argumentsText: string,
    ask: ConsentAsker | null,
    signal: AbortSignal,
  ): Promise<ToolConsent> {
    if (!tool.needsConsent) return 'not needed';
    if (this.remembered.get(conversationId)?.has(this.key(tool))) return 'remembered for this conversation';
    if (!ask) return 'refused: no one to ask';
    const answer = await ask(
      {
        id: randomUUID(),
        conversationId,
        tool: tool.name,
        server: tool.server,
        description: tool.description.slice(0, 500),
        arguments: argumentsText,
      },
      signal,
    );
    if (answer === null) return 'refused: no one to ask';
    switch (answer) {
      case 'once':
        return 'allowed once';
      case 'conversation': {
        const set = this.remembered.get(conversationId) ?? new Set<string>();
        set.add(this.key(tool));
        this.remembered.set(conversationId, set);
        return 'allowed for this conversation';
      }
      case 'deny':
        return 'denied';
      default:
        return answer satisfies never;
    }
  }

  /** A deleted conversation takes its remembered answers with it. */
  forget(conversationId: string): void {
    this.remembered.delete(conversationId);
  }
}

export function allowed(consent: ToolConsent): boolean {
  return (
    consent === 'allowed once' ||
    consent === 'allowed for this conversation' ||
    consent === 'remembered for this conversation' ||
    consent === 'not needed'
  );
}
