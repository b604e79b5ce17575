import { describe, expect, it } from 'vitest';
import { chosenPath, leafUnder, newestUnder, siblingsOf } from './branches.ts';

// r → a | b (b regenerated); b → c; r2 is an edit of r.
const nodes = [
  { id: 'r', parentId: null },
  { id: 'a', parentId: 'r' },
  { id: 'b', parentId: 'r' },
  { id: 'c', parentId: 'b' },
  { id: 'r2', parentId: null },
];

describe('the conversation tree', () => {
  it('walks the chosen path from a root to the leaf', () => {
    expect(chosenPath(nodes, 'c').map((n) => n.id)).toEqual(['r', 'b', 'c']);
    expect(chosenPath(nodes, 'a').map((n) => n.id)).toEqual(['r', 'a']);
    expect(chosenPath(nodes, null)).toEqual([]);
    expect(chosenPath(nodes, 'missing')).toEqual([]);
    // A cycle (only a damaged file could hold one) ends the walk instead of looping.
    expect(
      chosenPath(
        [
          { id: 'x', parentId: 'y' },
          { id: 'y', parentId: 'x' },
        ],
        'x',
      ).map((n) => n.id),
    ).toEqual(['y', 'x']);
  });

  it('lists the versions at each fork, oldest first, and only where there are several', () => {
    expect(siblingsOf(nodes)).toEqual({ r: ['r', 'r2'], r2: ['r', 'r2'], a: ['a', 'b'], b: ['a', 'b'] });
  });

  it('follows the newest branch below a version', () => {
    expect(newestUnder(nodes, 'r')).toBe('c');
    expect(newestUnder(nodes, 'a')).toBe('a');
    expect(newestUnder(nodes, 'r2')).toBe('r2');
  });

  it('comes back to the version last shown below a message, else to the newest branch', () => {
    expect(leafUnder(nodes, 'r')).toBe('c');
    const remembered = nodes.map((n) => (n.id === 'r' ? { ...n, chosenChild: 'a' } : n));
    expect(leafUnder(remembered, 'r')).toBe('a');
    // A remembered version that is gone (deleted) falls back to the newest.
    const stale = nodes.map((n) => (n.id === 'r' ? { ...n, chosenChild: 'deleted' } : n));
    expect(leafUnder(stale, 'r')).toBe('c');
    expect(leafUnder(nodes, 'r2')).toBe('r2');
  });
});
