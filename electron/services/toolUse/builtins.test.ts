import { beforeAll, describe, expect, it } from 'vitest';
import { builtinTools, calculate } from './builtins.ts';
import { inertText } from './toolCall.ts';
import { checkArguments } from './argumentCheck.ts';

describe('built-in tools', () => {
  // mathjs is loaded on the first calculation (two instances of a large library): that load is not what
  // these tests time, and on a loaded machine it can take longer than a test's 5 s.
  beforeAll(() => calculate('1'), 60_000);

  it('calculates exactly', async () => {
    expect(await calculate('0.1 + 0.2')).toBe('0.3');
    expect(await calculate('2^64')).toBe('18446744073709551616');
    expect(await calculate('12.5 * (3 + 4) / 7')).toBe('12.5');
    expect(await calculate('1/3 * 3')).toBe('1');
    expect(await calculate('10/4')).toBe('2.5');
    expect(await calculate('1/3')).toMatch(/^1\/3 \(≈ 0\.3333/);
    expect(await calculate('sqrt(2)')).toMatch(/^≈ 1\.41421356237309504880168872420969807856967187537694807317667973/);
  });

  it('runs no code: the functions that reach outside an expression are refused', async () => {
    await expect(calculate('import({x: 1})')).rejects.toThrow(/not available/);
    await expect(calculate('evaluate("1+1")')).rejects.toThrow(/not available/);
    await expect(calculate('parse("1")')).rejects.toThrow(/not available/);
    await expect(calculate('createUnit("foo")')).rejects.toThrow(/not available/);
    await expect(calculate('f(x) = x')).rejects.toThrow(/does not compute a value/);
    await expect(calculate('1+'.repeat(400))).rejects.toThrow(/longer than 500/);
  });

  it("gives today's date from the clock it is given", async () => {
    const [, datetime] = builtinTools({
      conversationId: null,
      documents: null,
      now: () => new Date('2026-12-01T04:00:00Z'),
    });
    expect(await datetime!.run({}, new AbortController().signal)).toMatch(/2026-12-01T04:00:00.000Z/);
  });

  it('offers document search only with a documents service and a conversation', async () => {
    expect(builtinTools({ conversationId: 'c', documents: null }).map((t) => t.name)).toEqual([
      'calculate',
      'current_datetime',
    ]);
    const documents = { search: async () => [{ file: 'notes.md', text: 'the passage', page: null }] };
    const search = builtinTools({ conversationId: 'c', documents }).find((t) => t.name === 'search_documents')!;
    expect(await search.run({ query: 'x' }, new AbortController().signal)).toBe('[1] notes.md:\nthe passage');
  });

  it('keeps results inert and capped, and checks arguments against the schema', () => {
    expect(inertText('a\u0000b\u001b[31mc\nd', 100)).toEqual({ text: 'ab[31mc\nd', truncated: false });
    const cut = inertText('x'.repeat(50), 10);
    expect(cut.truncated).toBe(true);
    expect(cut.text).toMatch(/^x{10}\n\[Result cut at 10 of 50 characters.\]$/);
    const schema = { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] };
    expect(checkArguments(schema, { n: 1 })).toBeNull();
    expect(checkArguments(schema, { n: 'one' })).toMatch(/\/n must be number/);
    expect(checkArguments(schema, {})).toMatch(/must have required property 'n'/);
  });
});
