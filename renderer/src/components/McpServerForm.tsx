import { useState } from 'react';
import { mcpServerInput, type McpServerInput } from '../../../shared/contract/tools.ts';

/** "NAME=value" per line; a line without "=" is reported rather than dropped. */
function parseEnv(text: string): { env: Record<string, string>; bad: string | null } {
  const env: Record<string, string> = {};
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (!line) continue;
    const at = line.indexOf('=');
    if (at <= 0) return { env, bad: `"${line}" is not NAME=value` };
    env[line.slice(0, at)] = line.slice(at + 1);
  }
  return { env, bad: null };
}

/** Adds an MCP server: a command Edgewise starts (stdio), or a URL it connects to (streamable HTTP). */
export function McpServerForm({ onAdd }: { onAdd: (input: McpServerInput) => Promise<string | null> }) {
  const [transport, setTransport] = useState<'stdio' | 'http'>('stdio');
  const [name, setName] = useState('');
  const [command, setCommand] = useState('');
  const [args, setArgs] = useState('');
  const [env, setEnv] = useState('');
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const parsedEnv = parseEnv(env);
    if (parsedEnv.bad) return setError(`Environment: ${parsedEnv.bad}.`);
    const candidate =
      transport === 'stdio'
        ? {
            transport,
            name,
            command: command.trim(),
            args: args.split('\n').filter((a) => a.trim() !== ''),
            env: parsedEnv.env,
          }
        : { transport, name, url: url.trim() };
    const parsed = mcpServerInput.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return setError(`${issue?.path.join('.') || 'server'}: ${issue?.message}`);
    }
    setBusy(true);
    const problem = await onAdd(parsed.data);
    setBusy(false);
    setError(problem);
    if (!problem) {
      setName('');
      setCommand('');
      setArgs('');
      setEnv('');
      setUrl('');
    }
  };

  return (
    <form
      className="wide mcp-form"
      aria-label="Add an MCP server"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        Server name
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Connection
        <select value={transport} onChange={(e) => setTransport(e.target.value as 'stdio' | 'http')}>
          <option value="stdio">A command (stdio)</option>
          <option value="http">A URL (streamable HTTP)</option>
        </select>
      </label>
      {transport === 'stdio' ? (
        <>
          <label>
            Command
            <input value={command} onChange={(e) => setCommand(e.target.value)} />
          </label>
          <label>
            Arguments (one per line)
            <textarea value={args} rows={2} onChange={(e) => setArgs(e.target.value)} />
          </label>
          <label>
            Environment (NAME=value per line)
            <textarea value={env} rows={2} onChange={(e) => setEnv(e.target.value)} />
          </label>
        </>
      ) : (
        <label>
          Server URL
          <input value={url} placeholder="http://127.0.0.1:3000/mcp" onChange={(e) => setUrl(e.target.value)} />
        </label>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Adding…' : 'Add server'}
      </button>
      {error && (
        <p className="message-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
