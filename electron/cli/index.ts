#!/usr/bin/env node
// The `edgewise` command.
import { chatCommand, chatUsage } from './chatCommand.ts';
import { serveCommand, serveUsage } from './serveCommand.ts';
import { fitCommand, fitUsage } from './fitCommand.ts';
import { routeCommand, routeUsage } from './routeCommand.ts';
import { telemetryCommand, telemetryUsage } from './telemetryCommand.ts';
import { benchCommand, benchUsage } from './benchCommand.ts';
import { quantizeCommand, quantizeUsage } from './quantizeCommand.ts';
import { compareCommand, compareUsage } from './compareCommand.ts';
import { modelsCommand, modelsUsage } from './modelsCommand.ts';
import { backupCommand, backupUsage } from './backupCommand.ts';
import { exportCommand, exportUsage, importCommand, importUsage } from './transferCommands.ts';
import { mcpUsage } from './mcpUsage.ts';
import { CliError, exitCodes } from './args.ts';

const usage = `Edgewise: offline chat with GGUF models.

${chatUsage}
${serveUsage}
${fitUsage}
${routeUsage}
${telemetryUsage}
${benchUsage}
${quantizeUsage}
${compareUsage}
${modelsUsage}
${backupUsage}
${exportUsage}
${importUsage}
${mcpUsage}

Exit codes: 0 done, 2 bad input, 3 model failed to load, 4 engine crashed, 5 the data folder is in use by another Edgewise.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'chat':
      return chatCommand(rest);
    case 'serve':
      return serveCommand(rest);
    case 'fit':
      return fitCommand(rest);
    case 'route':
      return routeCommand(rest);
    case 'telemetry':
      return telemetryCommand(rest);
    case 'bench':
      return benchCommand(rest);
    case 'quantize':
      return quantizeCommand(rest);
    case 'compare':
      return compareCommand(rest);
    case 'models':
      return modelsCommand(rest);
    case 'backup':
      return backupCommand(rest);
    case 'export':
      return exportCommand(rest);
    case 'import':
      return importCommand(rest);
    case 'mcp':
      // The MCP client is loaded only for this command.
      return (await import('./mcpCommand.ts')).mcpCommand(rest);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      console.log(usage);
      return exitCodes.ok;
    default:
      throw new CliError(exitCodes.badInput, `Unknown command "${command}".\n\n${usage}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      console.error(`edgewise: ${error.message}`);
      process.exitCode = error.exitCode;
    } else {
      console.error(`edgewise: unexpected error: ${error instanceof Error ? error.stack : String(error)}`);
      process.exitCode = 1;
    }
  },
);
