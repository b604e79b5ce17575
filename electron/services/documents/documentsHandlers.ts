// The documents domain of the contract, over DocumentService.
import type { Handlers } from '../../../shared/rpc.ts';
import type { documentsContract } from '../../../shared/contract/documents.ts';
import type { DocumentService } from './documentService.ts';

export function documentsHandlers(deps: { documents: DocumentService }): Handlers<typeof documentsContract> {
  const { documents } = deps;
  return {
    'documents.upload': (args) => documents.upload(args),
    'documents.list': ({ conversationId }) => documents.list(conversationId),
    'documents.remove': ({ id }) => {
      documents.remove(id);
      return { ok: true as const };
    },
    'documents.passage': ({ documentId, page, chunkId }) => documents.passage(documentId, page, chunkId),
  };
}
