// The documents domain of the contract, over DocumentService.
import type { Handlers } from '../../../shared/rpc.ts';
import type { documentsContract } from '../../../shared/contract/documents.ts';
import type { DocumentService } from './documentService.ts';
import type { EmbeddingSetup } from './embeddingSetup.ts';

export function documentsHandlers(deps: {
  documents: DocumentService;
  embedding: EmbeddingSetup;
}): Handlers<typeof documentsContract> {
  const { documents, embedding } = deps;
  const embeddingInfo = () => {
    const model = embedding.current();
    return { model: model && { id: model.id, name: model.name }, status: documents.embeddingStatus() };
  };
  return {
    'documents.upload': (args) => documents.upload(args),
    'documents.list': ({ conversationId }) => documents.list(conversationId),
    'documents.remove': ({ id }) => {
      documents.remove(id);
      return { ok: true as const };
    },
    'documents.passage': ({ documentId, page, chunkId }) => documents.passage(documentId, page, chunkId),
    'documents.embeddingModel': () => embeddingInfo(),
    'documents.setEmbeddingModel': async ({ modelId }) => {
      await embedding.set(modelId);
      return embeddingInfo();
    },
  };
}
