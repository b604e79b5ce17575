// Usage of `edgewise mcp`, apart from the command so `edgewise --help` does not load the MCP client.
export const mcpUsage = `Usage: edgewise mcp list [--tools] [--json]
       edgewise mcp add NAME --command CMD [--arg ARG]... [--env NAME=VALUE]... [--json]
       edgewise mcp add NAME --url URL [--json]
       edgewise mcp rm NAME`;
