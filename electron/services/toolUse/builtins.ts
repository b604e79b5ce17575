// Built-in tools that need no network: exact arithmetic, today's date and time, and a search of this
// conversation's attached documents (through whatever DocumentSearch the documents service provides).
import type { MathJsInstance } from 'mathjs';
import type { Tool } from './toolTypes.ts';

// Two mathjs instances: rational (Fraction, exact for + - * / ^ with integer powers and mod) and, where an
// expression leaves the rationals (sqrt, sin, pi), BigNumber at 64 significant digits, labelled as
// approximate. In both, the functions that could reach outside an expression (import, parse, evaluate,
// createUnit...) are replaced by ones that throw, as mathjs's security notes advise: the model's text is
// never run as code.
interface Hardened {
  math: MathJsInstance;
  evaluate: MathJsInstance['evaluate'];
}

async function hardened(number: 'Fraction' | 'BigNumber'): Promise<Hardened> {
  const { all, create } = await import('mathjs');
  const math = create(all!, { number, precision: 64 });
  const evaluate = math.evaluate.bind(math);
  const refuse = (name: string) => () => {
    throw new Error(`${name} is not available in this calculator`);
  };
  const blocked = ['import', 'createUnit', 'reviver', 'evaluate', 'parse', 'simplify', 'derivative', 'resolve'];
  math.import(Object.fromEntries(blocked.map((n) => [n, refuse(n)])), { override: true });
  return { math, evaluate };
}

// Loaded on the first calculation: mathjs is large, and most runs (every CLI command) never calculate.
let calculators: Promise<{ exact: Hardened; decimal: Hardened }> | null = null;
const loadCalculators = () =>
  (calculators ??= Promise.all([hardened('Fraction'), hardened('BigNumber')]).then(([exact, decimal]) => ({
    exact,
    decimal,
  })));

const MAX_EXPRESSION = 500;

interface FractionLike {
  s: bigint | number;
  n: bigint | number;
  d: bigint | number;
}

function isFraction(value: unknown): value is FractionLike {
  return typeof value === 'object' && value !== null && (value as { isFraction?: boolean }).isFraction === true;
}

function fractionText(f: FractionLike, decimal: Hardened): string {
  const sign = BigInt(f.s) < 0n ? '-' : '';
  const n = BigInt(f.n);
  const d = BigInt(f.d);
  if (d === 1n) return `${sign}${n}`;
  // A denominator of only 2s and 5s ends as a decimal: shown as one; otherwise the fraction and 64 digits.
  let rest = d;
  while (rest % 2n === 0n) rest /= 2n;
  while (rest % 5n === 0n) rest /= 5n;
  const digits = decimal.math.format(decimal.evaluate(`${sign}${n}/${d}`) as never, { precision: 64 });
  return rest === 1n ? digits : `${sign}${n}/${d} (≈ ${digits})`;
}

export async function calculate(expression: string): Promise<string> {
  if (expression.length > MAX_EXPRESSION)
    throw new Error(`The expression is longer than ${MAX_EXPRESSION} characters.`);
  const { exact, decimal } = await loadCalculators();
  let value: unknown;
  try {
    value = exact.evaluate(expression);
  } catch (error) {
    if (/not available/.test(String(error))) throw error;
    value = undefined;
  }
  if (typeof value === 'function') throw new Error('The expression does not compute a value.');
  if (isFraction(value)) return fractionText(value, decimal);
  const approx: unknown = decimal.evaluate(expression);
  if (typeof approx === 'function') throw new Error('The expression does not compute a value.');
  return `≈ ${decimal.math.format(approx as never, { precision: 64, lowerExp: -30, upperExp: 65 })}`;
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
      run: (args) => calculate(String(args.expression)),
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
