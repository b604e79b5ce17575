// llama.cpp's SentencePiece tokenizer falls back to <0xNN> byte tokens for characters missing from the
// vocabulary; a vocabulary without them makes llama.cpp throw std::out_of_range and abort the process.
// So text is checked here, in JavaScript, before it reaches the native tokenizer.
import { RpcError } from '../../../shared/rpc.ts';

export type VocabularyGuard = (text: string) => string[];

export function vocabularyGuard(tokenizerModel: unknown, tokens: unknown): VocabularyGuard | null {
  if (tokenizerModel !== 'llama' || !Array.isArray(tokens)) return null;
  if (tokens.some((t) => typeof t === 'string' && /^<0x[0-9A-Fa-f]{2}>$/.test(t))) return null;
  const known = new Set<string>();
  for (const token of tokens) {
    if (typeof token === 'string' && [...token].length === 1) known.add(token);
  }
  return (text) => {
    const missing = new Set<string>();
    for (const char of text.replaceAll(' ', '\u2581')) {
      if (!known.has(char)) missing.add(char === '\u2581' ? ' ' : char);
    }
    return [...missing];
  };
}

function describe(char: string): string {
  const code = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `${JSON.stringify(char)} (U+${code})`;
}

export function assertTokenizable(guard: VocabularyGuard | null, text: string, where: string): void {
  if (!guard) return;
  const missing = guard(text);
  if (missing.length === 0) return;
  const shown =
    missing.slice(0, 8).map(describe).join(', ') + (missing.length > 8 ? ` and ${missing.length - 8} more` : '');
  throw new RpcError(
    'bad_input',
    `This model cannot read ${where}: its vocabulary has no token for ${shown} and no byte fallback. Remove those characters or choose another model.`,
  );
}
