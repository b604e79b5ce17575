// The tools domain of the contract: per-conversation choices, the MCP servers, and consent answers.
import type { Handlers } from '../../../shared/rpc.ts';
import { RpcError } from '../../../shared/rpc.ts';
import type { toolsContract } from '../../../shared/contract/toolCalls.ts';
import type { ConversationStore } from '../store/conversationStore.ts';
import type { ConversationTools } from './conversationTools.ts';
import type { McpService } from './mcpService.ts';
import type { ToolAsker } from './toolAsker.ts';

export function toolsHandlers(deps: {
  tools: ConversationTools;
  mcp: McpService;
  asker: ToolAsker;
  conversations: Pick<ConversationStore, 'get'>;
}): Handlers<typeof toolsContract> {
  const { tools, mcp, asker, conversations } = deps;
  return {
    'tools.list': ({ conversationId }) => {
      conversations.get(conversationId);
      return tools.list(conversationId);
    },
    'tools.setEnabled': ({ conversationId, server, tool, enabled }) => {
      conversations.get(conversationId);
      tools.setEnabled(conversationId, server, tool, enabled);
      return { ok: true as const };
    },
    'tools.servers': () => tools.servers(),
    'tools.addServer': async (input) => {
      const added = mcp.add(input);
      const status = (await tools.servers()).find((s) => s.name === added.name);
      if (!status) throw new RpcError('internal', `The MCP server "${added.name}" was added but is not listed.`);
      return status;
    },
    'tools.removeServer': async ({ name }) => {
      if (!(await mcp.remove(name))) throw new RpcError('not_found', `There is no MCP server named "${name}".`);
      return { ok: true as const };
    },
    'tools.consent': ({ id, answer }) => ({ ok: asker.answer(id, answer) }),
  };
}
