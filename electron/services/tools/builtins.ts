// Built-in tools that need no network: exact arithmetic, today's date and time, and a search of this
// conversation's attached documents (through whatever DocumentSearch the documents service provides).
import { all, create } from 'mathjs';
import type { Tool } from './toolTypes.ts';

// mathjs with BigNumber (64 significant digits, so 0.1 + 0.2 is 0.3), and the functions that could reach
// outside an expression (import, parse, evaluate, createUnit...) replaced by ones that throw, as mathjs's
// security notes advise: the model's text is never run as code.
const math = create(all!, { number: 'BigNumber', precision: 64 });
const evaluate = math.evaluate.bind(math);
const refuse = (name: string) => () => {
  throw new Error(`${name} is not available in this calculator`);
};
math.import(
  Object.fromEntries(
    ['import', 'createUnit', 'reviver', 'evaluate', 'parse', 'simplify', 'derivative', 'resolve'].map((n) => [
      n,
      refuse(n),
    ]),
  ),
  { override: true },
);

const MAX_EXPRESSION = 500;

export function calculate(expression: string): string {
  if (expression.length > MAX_EXPRESSION)
    throw new Error(`The expression is longer than ${MAX_EXPRESSION} characters.`);
  const value: unknown = evaluate(expression);
  if (typeof value === 'function') throw new Error('The expression does not compute a value.');
  return math.format(value as never, { precision: 64 });
}

export interface DocumentHit {
  file: string;
  text: string;
  page?: number | null;
}

/** The documents service's search over one conversation's attachments (wired in where it exists). */
export interface DocumentSearch {
  search(conversationId: string, query: string, limit: number): Promise<DocumentHit[]>;
}

export function builtinTools(options: {
  conversationId: string | null;
  documents: DocumentSearch | null;
  now?: () => Date;
}): Tool[] {
  const now = options.now ?? (() => new Date());
  const tools: Tool[] = [
    {
      name: 'calculate',
      server: 'built-in',
      description: 'Evaluate an arithmetic expression exactly (e.g. "12.5 * (3 + 4) / 7", "2^64", "sqrt(2)").',
      inputSchema: {
        type: 'object',
        properties: { expression: { type: 'string', description: 'The expression' } },
        required: ['expression'],
      },
      needsConsent: false,
      run: async (args) => calculate(String(args.expression)),
    },
    {
      name: 'current_datetime',
      server: 'built-in',
      description: "Today's date and the time now, in this computer's time zone.",
      inputSchema: { type: 'object', properties: {} },
      needsConsent: false,
      run: async () => {
        const d = now();
        const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
        const local = d.toLocaleString('en-GB', { dateStyle: 'full', timeStyle: 'long', timeZone: zone });
        return `${local} (ISO ${d.toISOString()}, time zone ${zone})`;
      },
    },
  ];
  const { documents, conversationId } = options;
  if (documents && conversationId) {
    tools.push({
      name: 'search_documents',
      server: 'built-in',
      description: 'Search the files attached to this conversation; returns the passages that match best.',
      inputSchema: {
        type: 'object',
        properties: { query: { type: 'string', description: 'What to look for' } },
        required: ['query'],
      },
      needsConsent: false,
      run: async (args) => {
        const hits = await documents.search(conversationId, String(args.query), 5);
        if (hits.length === 0) return 'No passage in the attached files matches.';
        return hits.map((h, i) => `[${i + 1}] ${h.file}${h.page ? `, page ${h.page}` : ''}:\n${h.text}`).join('\n\n');
      },
    });
  }
  return tools;
}
