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
  }: ChatWrapperGenerateContextStateOptions): ChatWrapperGeneratedContextState {
    const parts: LlamaText[] = [];
    for (const item of chatHistory) {
      if (item.type === 'system' || item.type === 'user') {
        const text = typeof item.text === 'string' ? item.text : LlamaText.fromJSON(item.text).toString();
        if (text) parts.push(LlamaText(text));
      } else if (item.type === 'model') {
        const text = item.response.filter((r): r is string => typeof r === 'string').join('');
        if (text) parts.push(LlamaText(text));
      }
    }
    return {
      contextText: LlamaText([new SpecialToken('BOS'), LlamaText.joinValues('\n', parts)]),
      stopGenerationTriggers: [LlamaText(new SpecialToken('EOS'))],
    };
  }
}
