// For base models without a chat template whose vocabulary cannot spell the generic "### Human:"
// template (the demo story model has no "#"): the conversation is plain text, one turn per line, and
// the model continues it. Only the end-of-sequence token stops it.
import {
  ChatWrapper,
  LlamaText,
  SpecialToken,
  type ChatWrapperGenerateContextStateOptions,
  type ChatWrapperGeneratedContextState,
} from 'node-llama-cpp';

export class PlainChatWrapper extends ChatWrapper {
  readonly wrapperName = 'Plain';

  override generateContextState({
    chatHistory,
    availableFunctions,
    documentFunctionParams,
  }: ChatWrapperGenerateContextStateOptions): ChatWrapperGeneratedContextState {
    const parts: LlamaText[] = [];
    // With functions, they are described as node-llama-cpp's default wrapper does, and calls are written
    // in its syntax; without, the text is exactly the conversation.
    const history = this.addAvailableFunctionsSystemMessageToHistory(chatHistory, availableFunctions, {
      documentParams: documentFunctionParams ?? true,
    });
    for (const item of history) {
      if (item.type === 'system' || item.type === 'user') {
        const text = typeof item.text === 'string' ? item.text : LlamaText.fromJSON(item.text).toString();
        if (text) parts.push(LlamaText(text));
      } else if (item.type === 'model') {
        if (item.response.some((r) => typeof r !== 'string')) {
          parts.push(this.generateModelResponseText(item.response));
          continue;
        }
        const text = item.response.join('');
        if (text) parts.push(LlamaText(text));
      }
    }
    return {
      contextText: LlamaText([new SpecialToken('BOS'), LlamaText.joinValues('\n', parts)]),
      stopGenerationTriggers: [LlamaText(new SpecialToken('EOS'))],
    };
  }
}
