import { useEffect } from 'react';
import type { ToolInfo } from '../../../shared/contract/tools.ts';
import { toolsActions, useToolsStore } from '../state/toolsStore.ts';
import { McpServerForm } from './McpServerForm.tsx';

/** Tools grouped by who provides them: the built-ins first, then each server in the order listed. */
function byServer(tools: ToolInfo[]): [string, ToolInfo[]][] {
  const groups = new Map<string, ToolInfo[]>();
  for (const t of tools) groups.set(t.server, [...(groups.get(t.server) ?? []), t]);
  return [...groups];
}

/**
 * The conversation's tools, each on or off (off until turned on: nothing runs unasked), and the MCP servers
 * with their state. Beside the settings form, not inside it: a tool's switch takes effect at once.
 */
export function ToolsPanel({ conversationId }: { conversationId: string }) {
  const { tools, servers, loading } = useToolsStore();
  useEffect(() => {
    void toolsActions.load(conversationId);
  }, [conversationId]);
  return (
    <section className="settings tools-panel" aria-labelledby="tools-title" data-testid="tools-panel">
      <h3 id="tools-title" className="wide">
        Tools
      </h3>
      <p className="hint wide">
        Tools this conversation&apos;s model may call. Each call of a server&apos;s tool asks you first; the built-ins
        read nothing outside this conversation and run without asking.
      </p>
      {byServer(tools).map(([server, list]) => (
        <fieldset key={server} className="wide tool-group">
          <legend>{server === 'built-in' ? 'Built-in' : `MCP server ${server}`}</legend>
          {list.map((t) => (
            <label key={t.name} className="tool-toggle" title={t.description}>
              <input
                type="checkbox"
                checked={t.enabled}
                onChange={(e) => void toolsActions.setEnabled(t, e.target.checked)}
              />
              <span>
                <code>{t.name}</code> — {t.description || 'no description'}
              </span>
            </label>
          ))}
        </fieldset>
      ))}
      <h4 className="wide">MCP servers</h4>
      {loading && (
        <p className="hint wide" role="status">
          Connecting to the servers…
        </p>
      )}
      {!loading && servers.length === 0 && <p className="hint wide">No MCP server added.</p>}
      <ul className="wide mcp-servers">
        {servers.map((s) => (
          <li key={s.name} data-testid="mcp-server">
            <strong>{s.name}</strong> <code>{s.target}</code> ·{' '}
            {s.connected ? (
              <span>
                connected, {s.tools} tool{s.tools === 1 ? '' : 's'}
              </span>
            ) : (
              <span className="mcp-error">{s.error}</span>
            )}{' '}
            <button type="button" onClick={() => void toolsActions.removeServer(s.name)}>
              Remove {s.name}
            </button>
          </li>
        ))}
      </ul>
      <McpServerForm onAdd={(input) => toolsActions.addServer(input)} />
    </section>
  );
}
