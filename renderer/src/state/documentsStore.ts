// The open conversation's attached documents, the files being sent, what was refused and why, and the
// cited passage on screen. Files travel in 512 KiB pieces: one contract message carries at most 1 MiB.
import { create } from 'zustand';
import { UPLOAD_PART_BYTES } from '../../../shared/contract/documents.ts';
import { DOCUMENT_LIMITS, documentKindOf, type DocumentInfo, type Passage } from '../../../shared/documents.ts';
import { errorMessage } from '../../../shared/errors.ts';
import type { AppContract } from '../../../shared/contract.ts';
import type { CallResult } from '../../../shared/rpc.ts';
import { rpc } from '../rpc/client.ts';
import { guarded } from './appStore.ts';
import { subscribeOnce } from './lifecycle.ts';

interface DocumentsState {
  conversationId: string | null;
  documents: DocumentInfo[];
  /** The file being read now, e.g. "report.pdf (2 of 5)". */
  sending: string | null;
  problems: { name: string; reason: string }[];
  passage: Passage | null;
  /** The model that embeds documents for retrieval, for every conversation (null until loaded). */
  embedding: CallResult<AppContract, 'documents.embeddingModel'> | null;
}

export const useDocumentsStore = create<DocumentsState>(() => ({
  conversationId: null,
  documents: [],
  sending: null,
  problems: [],
  passage: null,
  embedding: null,
}));

const subscribe = subscribeOnce(() => {
  rpc().on('documents.changed', ({ conversationId }) => {
    if (conversationId === useDocumentsStore.getState().conversationId) void documentsActions.show(conversationId);
  });
});

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

async function sendFile(conversationId: string, file: File, name: string) {
  if (file.size > DOCUMENT_LIMITS.fileBytes) {
    return {
      attached: [],
      rejected: [
        {
          name,
          reason: `${name}: the file is ${(file.size / 1e6).toFixed(1)} MB; at most ${DOCUMENT_LIMITS.fileBytes / 1024 / 1024} MiB can be attached.`,
        },
      ],
    };
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const parts = Math.max(1, Math.ceil(bytes.length / UPLOAD_PART_BYTES));
  const uploadId = crypto.randomUUID();
  for (let part = 0; part < parts; part++) {
    const data = base64(bytes.subarray(part * UPLOAD_PART_BYTES, (part + 1) * UPLOAD_PART_BYTES));
    const result = await rpc().call('documents.upload', {
      conversationId,
      uploadId,
      name,
      size: bytes.length,
      part,
      parts,
      data,
    });
    if (result) return result;
  }
  return { attached: [], rejected: [{ name, reason: `${name}: the upload ended without an answer.` }] };
}

export const documentsActions = {
  async show(conversationId: string | null) {
    subscribe();
    if (conversationId !== useDocumentsStore.getState().conversationId)
      useDocumentsStore.setState({ conversationId, documents: [], problems: [], passage: null });
    if (!conversationId) return;
    const documents = await guarded(() => rpc().call('documents.list', { conversationId }));
    if (documents && useDocumentsStore.getState().conversationId === conversationId)
      useDocumentsStore.setState({ documents });
  },

  /** Files picked one by one, or a folder's (then only the kinds that can be read, as the CLI does), for the
   *  conversation open when they were picked, even if the user moves to another while they are read. */
  async attach(conversationId: string, files: File[], fromFolder: boolean) {
    const named = files
      .map((file) => ({ file, name: file.webkitRelativePath || file.name }))
      .filter(({ name }) => !fromFolder || (documentKindOf(name) !== null && !/(^|\/)\./.test(name)));
    if (fromFolder && named.length > DOCUMENT_LIMITS.files) {
      useDocumentsStore.setState({
        problems: [
          {
            name: 'folder',
            reason: `The folder holds ${named.length.toLocaleString('en-US')} documents; at most ${DOCUMENT_LIMITS.files.toLocaleString('en-US')} can be attached at once. Nothing from it was attached.`,
          },
        ],
      });
      return;
    }
    const problems: DocumentsState['problems'] = [];
    for (const [i, { file, name }] of named.entries()) {
      useDocumentsStore.setState({ sending: `${name} (${i + 1} of ${named.length})` });
      try {
        const result = await sendFile(conversationId, file, name);
        problems.push(...result.rejected);
      } catch (error) {
        problems.push({ name, reason: `${name}: ${errorMessage(error)}` });
      }
    }
    useDocumentsStore.setState({ sending: null });
    if (useDocumentsStore.getState().conversationId !== conversationId) return;
    useDocumentsStore.setState({ problems });
    await documentsActions.show(conversationId);
  },

  async remove(id: string) {
    await guarded(() => rpc().call('documents.remove', { id }));
  },

  async openPassage(documentId: string, page: number | null, chunkId: number | null) {
    const passage = await guarded(() => rpc().call('documents.passage', { documentId, page, chunkId }));
    useDocumentsStore.setState({ passage: passage ?? null });
  },

  closePassage() {
    useDocumentsStore.setState({ passage: null });
  },

  dismissProblems() {
    useDocumentsStore.setState({ problems: [] });
  },
  async loadEmbedding() {
    const embedding = await guarded(() => rpc().call('documents.embeddingModel', {}));
    if (embedding) useDocumentsStore.setState({ embedding });
  },
  /** Chooses the embedding model (null: bm25 alone); the vectors of the one before are forgotten. */
  async setEmbedding(modelId: string | null) {
    const embedding = await guarded(() => rpc().call('documents.setEmbeddingModel', { modelId }));
    if (embedding) useDocumentsStore.setState({ embedding });
  },
};
