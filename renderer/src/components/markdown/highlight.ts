// Syntax highlighting through lowlight (highlight.js's grammars, as a tree, never HTML), in its own chunk.
import { createElement, type ReactNode } from 'react';
import type { Root, RootContent } from 'hast';
import { lazyModule } from './lazyModule.ts';

/** Characters highlighted per code block; the rest shows as plain text so a huge block cannot freeze. */
export const MAX_HIGHLIGHT = 20_000;

export const highlighter = lazyModule(async () => {
  const { createLowlight, common } = await import('lowlight');
  return createLowlight(common);
});

export type Highlighter = NonNullable<ReturnType<typeof highlighter.get>>;

function toReact(node: RootContent, key: number): ReactNode {
  if (node.type === 'text') return node.value;
  if (node.type !== 'element') return null;
  const className = node.properties?.className;
  return createElement(
    'span',
    { key, className: Array.isArray(className) ? className.join(' ') : undefined },
    node.children.map(toReact),
  );
}

/** Highlighted React nodes for `code`, or null when the language is unknown or not given. */
export function highlightCode(lowlight: Highlighter, lang: string, code: string): ReactNode[] | null {
  const language = lang.toLowerCase();
  if (!language || !lowlight.registered(language)) return null;
  let tree: Root;
  try {
    tree = lowlight.highlight(language, code);
  } catch {
    return null;
  }
  return tree.children.map(toReact);
}
