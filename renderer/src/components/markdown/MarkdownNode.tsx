// The mdast tree as React elements, one node type at a time. Nothing here creates HTML from model text:
// raw HTML is shown as text, links are kept only for http(s) and open outside the app, images are never
// loaded (their alt text and address are shown instead).
import { memo, type ReactNode } from 'react';
import type { ListItem, Nodes, PhrasingContent, RootContent, TableRow } from 'mdast';
import { safeHref, type InlineMathData } from '../../../../shared/markdownBlocks.ts';
import { CodeBlock } from './CodeBlock.tsx';
import { MathFormula } from './MathFormula.tsx';
import { CitedText } from '../documents/Sources.tsx';

/** Rows shown per table; the rest is cut with a note. */
export const MAX_TABLE_ROWS = 1_000;
/** Nesting of React elements past which the rest of a branch is left out (the source cap comes first). */
const MAX_DEPTH = 100;

interface Context {
  /** Whether this block is final, so its code may be highlighted. */
  settled: boolean;
}

function children(node: { children: (RootContent | PhrasingContent)[] }, depth: number, ctx: Context): ReactNode[] {
  return node.children.map((child, i) => renderNode(child, i, depth + 1, ctx));
}

function tableRow(
  row: TableRow,
  key: number,
  header: boolean,
  align: (string | null | undefined)[],
  depth: number,
  ctx: Context,
) {
  const Cell = header ? 'th' : 'td';
  return (
    <tr key={key}>
      {row.children.map((cell, i) => (
        <Cell key={i} style={align[i] ? { textAlign: align[i] as 'left' | 'right' | 'center' } : undefined}>
          {children(cell, depth + 1, ctx)}
        </Cell>
      ))}
    </tr>
  );
}

const Item = memo(function Item({ node, depth, settled }: { node: ListItem; depth: number; settled: boolean }) {
  return renderNode(node, 0, depth, { settled });
});

export function renderNode(node: Nodes, key: number, depth: number, ctx: Context): ReactNode {
  if (depth > MAX_DEPTH)
    return (
      <span key={key} className="md-note">
        …
      </span>
    );
  switch (node.type) {
    case 'root':
      return <div key={key}>{children(node, depth, ctx)}</div>;
    case 'paragraph':
      return <p key={key}>{children(node, depth, ctx)}</p>;
    case 'heading': {
      const Tag = `h${node.depth}` as 'h1';
      return <Tag key={key}>{children(node, depth, ctx)}</Tag>;
    }
    case 'thematicBreak':
      return <hr key={key} />;
    case 'blockquote':
      return <blockquote key={key}>{children(node, depth, ctx)}</blockquote>;
    case 'list': {
      // A growing list keeps its finished items' objects (markdownBlocks.ts), so they skip rendering.
      const items = node.children.map((item, i) => (
        <Item key={i} node={item} depth={depth + 1} settled={ctx.settled} />
      ));
      return node.ordered ? (
        <ol key={key} start={node.start != null && node.start !== 1 ? node.start : undefined}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    case 'listItem':
      return (
        <li key={key} className={node.checked != null ? 'task' : undefined}>
          {node.checked != null && <input type="checkbox" checked={node.checked} disabled readOnly />}
          {children(node, depth, ctx)}
        </li>
      );
    case 'code':
      return <CodeBlock key={key} lang={node.lang ?? ''} value={node.value} settled={ctx.settled} />;
    case 'math':
      return <MathFormula key={key} tex={node.value} display />;
    case 'inlineMath': {
      const data = node.data as InlineMathData | undefined;
      return data?.literal ?? <MathFormula key={key} tex={node.value} display={!!data?.display} />;
    }
    case 'html':
      // Raw HTML from the model is shown as what it is: text.
      return depth === 0 ? (
        <p key={key} className="md-raw">
          {node.value}
        </p>
      ) : (
        node.value
      );
    case 'table': {
      const [head, ...body] = node.children;
      const align = node.align ?? [];
      const rows = body.slice(0, MAX_TABLE_ROWS);
      return (
        <div key={key} className="table-wrap">
          <table>
            {head && <thead>{tableRow(head, 0, true, align, depth, ctx)}</thead>}
            <tbody>{rows.map((row, i) => tableRow(row, i, false, align, depth, ctx))}</tbody>
          </table>
          {body.length > rows.length && (
            <p className="md-note">
              This table has {body.length.toLocaleString('en-US')} rows; the first{' '}
              {MAX_TABLE_ROWS.toLocaleString('en-US')} are shown.
            </p>
          )}
        </div>
      );
    }
    case 'tableRow':
    case 'tableCell':
      return null; // drawn by their table
    case 'definition':
      // Shown as written: reference links are rare in answers, and the address stays visible as text.
      return (
        <p key={key} className="md-definition">
          [{node.label ?? node.identifier}]: {node.url}
        </p>
      );
    case 'footnoteDefinition':
      return (
        <div key={key} className="md-footnote">
          <sup>{node.label ?? node.identifier}</sup> {children(node, depth, ctx)}
        </div>
      );
    case 'footnoteReference':
      return <sup key={key}>[{node.label ?? node.identifier}]</sup>;
    case 'text':
      // [n] may cite a passage of an attached document (only the answer's own sources become buttons).
      return /\[\d{1,3}\]/.test(node.value) ? <CitedText key={key} text={node.value} /> : node.value;
    case 'emphasis':
      return <em key={key}>{children(node, depth, ctx)}</em>;
    case 'strong':
      return <strong key={key}>{children(node, depth, ctx)}</strong>;
    case 'delete':
      return <del key={key}>{children(node, depth, ctx)}</del>;
    case 'inlineCode':
      return <code key={key}>{node.value}</code>;
    case 'break':
      return <br key={key} />;
    case 'link': {
      const href = safeHref(node.url);
      return href ? (
        <a key={key} href={href} title={href} target="_blank" rel="noopener noreferrer">
          {children(node, depth, ctx)}
        </a>
      ) : (
        <span key={key} className="md-unsafe-link" title="Not a web link, so not followed">
          {children(node, depth, ctx)}
        </span>
      );
    }
    case 'linkReference':
      return <span key={key}>{children(node, depth, ctx)}</span>;
    case 'image':
    case 'imageReference':
      // Never loaded: an image from the network would tell its server the answer was read.
      return (
        <span key={key} className="md-image" title="Images in answers are not loaded">
          [image{node.alt ? `: ${node.alt}` : ''}]{node.type === 'image' && node.url ? ` ${node.url}` : ''}
        </span>
      );
    default:
      // Node types no extension here produces (yaml, …): their text, if any.
      return 'value' in node && typeof node.value === 'string' ? node.value : null;
  }
}
