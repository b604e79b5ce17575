// A conversation is a tree: each message names its parent (null for a first message), and the one
// the user has chosen to see is the path from a root down to the conversation's leaf. Editing a user
// message or regenerating an answer adds a sibling instead of replacing anything. Pure functions, used
// by the store, the export and the renderer alike.
import { z } from 'zod';
import { id } from './schemas.ts';

export interface TreeNode {
  id: string;
  parentId: string | null;
  /** The version of the next message last shown below this one, so coming back shows it again. */
  chosenChild?: string | null;
}

/** The messages from a root down to `leafId`, in that order; [] when there is no leaf. */
export function chosenPath<T extends TreeNode>(messages: readonly T[], leafId: string | null): T[] {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const path: T[] = [];
  const seen = new Set<string>();
  for (let at = leafId ? byId.get(leafId) : undefined; at && !seen.has(at.id);) {
    seen.add(at.id);
    path.push(at);
    at = at.parentId ? byId.get(at.parentId) : undefined;
  }
  return path.reverse();
}

/** For each message that has other versions: every version's id, oldest first. `messages` is in creation order. */
export function siblingsOf(messages: readonly TreeNode[]): Record<string, string[]> {
  const groups = new Map<string | null, string[]>();
  for (const m of messages) {
    const group = groups.get(m.parentId) ?? [];
    group.push(m.id);
    groups.set(m.parentId, group);
  }
  const result: Record<string, string[]> = {};
  for (const group of groups.values()) if (group.length > 1) for (const m of group) result[m] = group;
  return result;
}

/**
 * The newest message at or under `rootId`: the leaf the path follows when the user switches to that
 * version. A child is always newer than its parent, so the newest of a subtree has no children.
 */
export function newestUnder(messages: readonly TreeNode[], rootId: string): string {
  const under = new Set([rootId]);
  let newest = rootId;
  // Creation order puts every parent before its children: one pass collects the subtree.
  for (const m of messages) {
    if (m.parentId && under.has(m.parentId)) {
      under.add(m.id);
      newest = m.id;
    }
  }
  return newest;
}

/**
 * The leaf the path follows below `rootId` when the user switches to it: at each message, the version
 * last shown below it; where none was (an imported file, say), the newest branch.
 */
export function leafUnder(messages: readonly TreeNode[], rootId: string): string {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const hasChildren = new Set(messages.flatMap((m) => (m.parentId ? [m.parentId] : [])));
  const seen = new Set<string>();
  let at = rootId;
  while (hasChildren.has(at) && !seen.has(at)) {
    seen.add(at);
    const chosen = byId.get(at)?.chosenChild;
    if (!chosen || byId.get(chosen)?.parentId !== at) return newestUnder(messages, at);
    at = chosen;
  }
  return at;
}

/** A conversation as the chat view shows it: the chosen path, and the other versions of each message on it. */
export const branchView = z.object({
  /** The last message of the chosen path; null when the conversation is empty. */
  leafId: id.nullable(),
  /** Message id → every version at that point (itself included), oldest first; only where there are several. */
  siblings: z.record(z.string(), z.array(id)),
});
export type BranchView = z.infer<typeof branchView>;
