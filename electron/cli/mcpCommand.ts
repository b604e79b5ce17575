// `edgewise mcp list|add|rm`: the MCP servers whose tools the model may call (each call asks first, in
// the app). Servers are kept in the app's database; `list --tools` starts each one and lists its tools.
import { join } from 'node:path';
import { z } from 'zod';
import { mcpServerInput, type McpServer } from '../../shared/contract/tools.ts';
import { RpcError } from '../../shared/rpc.ts';
import { errorMessage } from '../../shared/errors.ts';
import { defaultDataDir } from '../services/paths.ts';
import { openDatabase } from '../services/store/database.ts';
import { McpServerStore } from '../services/store/mcpServerStore.ts';
import { McpService } from '../services/toolUse/mcpService.ts';
import { CliError, exitCodes, parseCommandLine } from './args.ts';

import { mcpUsage } from './mcpUsage.ts';

function describe(server: McpServer): string {
  if (server.transport === 'http') return `${server.name}  http  ${server.url}`;
  const env = Object.keys(server.env);
  return `${server.name}  stdio  ${[server.command, ...server.args].join(' ')}${env.length ? `  (env: ${env.join(', ')})` : ''}`;
}

/** A server as printed with --json: environment values are left out (they often hold tokens). */
function shown(server: McpServer) {
  return server.transport === 'stdio' ? { ...server, env: Object.keys(server.env) } : server;
}

export async function mcpCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseCommandLine(
    {
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        tools: { type: 'boolean' },
        json: { type: 'boolean' },
        command: { type: 'string' },
        arg: { type: 'string', multiple: true },
        env: { type: 'string', multiple: true },
        url: { type: 'string' },
      },
    },
    mcpUsage,
  );
  const db = openDatabase(join(defaultDataDir(), 'edgewise.db'));
  const service = new McpService(new McpServerStore(db));
  try {
    switch (action) {
      case 'list':
        return await list(service, values.tools ?? false, values.json ?? false);
      case 'add': {
        const [name, ...extra] = positionals;
        if (!name || extra.length > 0) throw new CliError(exitCodes.badInput, `Give one server name.\n${mcpUsage}`);
        if (!values.command === !values.url)
          throw new CliError(exitCodes.badInput, `Give either --command (stdio) or --url (HTTP).\n${mcpUsage}`);
        const env: Record<string, string> = {};
        for (const pair of values.env ?? []) {
          const at = pair.indexOf('=');
          if (at < 1) throw new CliError(exitCodes.badInput, `--env takes NAME=VALUE, not "${pair}".`);
          env[pair.slice(0, at)] = pair.slice(at + 1);
        }
        const input = values.url
          ? { transport: 'http', name, url: values.url }
          : { transport: 'stdio', name, command: values.command, args: values.arg ?? [], env };
        const parsed = mcpServerInput.safeParse(input);
        if (!parsed.success)
          throw new CliError(exitCodes.badInput, `Cannot add this server: ${z.prettifyError(parsed.error)}`);
        const server = service.add(parsed.data);
        if (values.json) process.stdout.write(`${JSON.stringify(shown(server))}\n`);
        else console.log(`Added MCP server ${describe(server)}`);
        return exitCodes.ok;
      }
      case 'rm': {
        const [name] = positionals;
        if (!name) throw new CliError(exitCodes.badInput, `Give the name of the server to remove.\n${mcpUsage}`);
        if (!(await service.remove(name))) throw new CliError(exitCodes.badInput, `No MCP server named "${name}".`);
        console.log(`Removed MCP server "${name}".`);
        return exitCodes.ok;
      }
      default:
        throw new CliError(exitCodes.badInput, mcpUsage);
    }
  } catch (error) {
    if (error instanceof RpcError) throw new CliError(exitCodes.badInput, error.message);
    throw error;
  } finally {
    await service.dispose();
    db.close();
  }
}

async function list(service: McpService, withTools: boolean, json: boolean): Promise<number> {
  const servers = service.servers();
  if (!withTools) {
    if (json) process.stdout.write(`${JSON.stringify({ servers: servers.map(shown) })}\n`);
    else if (servers.length === 0) console.log('No MCP servers. Add one with `edgewise mcp add`.');
    else for (const s of servers) console.log(describe(s));
    return exitCodes.ok;
  }
  const listed = await service.listAll();
  if (json) {
    const out = listed.map((l) => ({
      ...shown(l.server),
      tools: l.tools.map((t) => ({ name: t.name, description: t.description })),
      dropped: l.dropped,
      error: l.error,
    }));
    process.stdout.write(`${JSON.stringify({ servers: out })}\n`);
    return exitCodes.ok;
  }
  if (listed.length === 0) console.log('No MCP servers. Add one with `edgewise mcp add`.');
  for (const l of listed) {
    console.log(describe(l.server));
    if (l.error) console.log(`  could not list its tools: ${errorMessage(l.error)}`);
    for (const t of l.tools) console.log(`  ${t.name}${t.description ? `: ${t.description.split('\n')[0]}` : ''}`);
    if (l.dropped > 0) console.log(`  (${l.dropped} more declared, left out)`);
  }
  return exitCodes.ok;
}
