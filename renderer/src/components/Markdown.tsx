// An answer as Markdown (CommonMark + GFM + math): parsed into blocks by shared/markdownBlocks.ts and drawn
// as React elements, never as HTML. While it streams, finished blocks keep their objects and their memoized
// views; only the growing last block is parsed and drawn again.
import { memo, useMemo, useRef } from 'react';
import { parseMarkdownDocument, type MarkdownBlock, type MarkdownDocument } from '../../../shared/markdownBlocks.ts';
import { CodeBlock } from './markdown/CodeBlock.tsx';
import { renderNode } from './markdown/MarkdownNode.tsx';

const Block = memo(function Block({ block, settled }: { block: MarkdownBlock; settled: boolean }) {
  switch (block.kind) {
    case 'code':
      return <CodeBlock lang={block.lang} value={block.value} settled={settled || block.closed} />;
    case 'plain':
      return (
        <div className="md-plain">
          <p className="md-note">{block.note}</p>
          <pre>{block.text}</pre>
        </div>
      );
    case 'node':
      return (
        <>
          {renderNode(block.node, 0, 0, { settled })}
          {block.note && <p className="md-note">{block.note}</p>}
        </>
      );
  }
});

export function Markdown({ text, streaming = false }: { text: string; streaming?: boolean }) {
  const previous = useRef<MarkdownDocument | undefined>(undefined);
  const doc = useMemo(() => parseMarkdownDocument(text, previous.current), [text]);
  // The next, longer version of this answer starts from this parse.
  previous.current = doc;
  const last = doc.blocks.length - 1;
  return (
    <div className="markdown">
      {doc.blocks.map((block, i) => (
        <Block key={i} block={block} settled={!streaming || i < last} />
      ))}
    </div>
  );
}
