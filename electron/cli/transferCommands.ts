// `edgewise export` and `edgewise import`: the user's conversations to and from a file, on the data
// folder directly (no engine, no model). Export reads beside a running app; import takes the folder's lock.
import { createRequire } from 'node:module';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MAX_IMPORT_BYTES, exportFormatName } from '../../shared/exportFormat.ts';
import { RpcError } from '../../shared/rpc.ts';
import { id as idSchema } from '../../shared/schemas.ts';
import { Exporter } from '../services/conversations/exporter.ts';
import { openDatabase } from '../services/store/database.ts';
import { TransferStore } from '../services/store/transferStore.ts';
import { appRoot, defaultDataDir } from '../services/paths.ts';
import { acquireDataLock, DataLockedError, type DataLock } from '../services/dataLock.ts';
import { CliError, exitCodes, parseCommandLine } from './args.ts';

export const exportUsage = `Usage: edgewise export [--conversation ID] [--format json|md] [--out FILE]
       (all conversations unless --conversation; JSON by default; to stdout unless --out)`;
export const importUsage = `Usage: edgewise import FILE [--json]
       (an Edgewise JSON export, up to ${MAX_IMPORT_BYTES / 1024 / 1024} MiB; ids already present get new ones)`;

function exporter(): { exporter: Exporter; close: () => void } {
  const db = openDatabase(join(defaultDataDir(), 'edgewise.db'));
  const version = (createRequire(import.meta.url)(join(appRoot(), 'package.json')) as { version: string }).version;
  return { exporter: new Exporter(new TransferStore(db), version), close: () => db.close() };
}

function asCliError(error: unknown): never {
  if (error instanceof RpcError && (error.code === 'bad_input' || error.code === 'not_found'))
    throw new CliError(exitCodes.badInput, error.message);
  throw error;
}

export async function exportCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(
    {
      args: argv,
      strict: true,
      options: {
        conversation: { type: 'string' },
        format: { type: 'string', default: 'json' },
        out: { type: 'string' },
      },
    },
    exportUsage,
  );
  const format = exportFormatName.safeParse(values.format);
  if (!format.success) throw new CliError(exitCodes.badInput, `--format must be json or md (got "${values.format}")`);
  if (values.conversation !== undefined && !idSchema.safeParse(values.conversation).success)
    throw new CliError(exitCodes.badInput, `--conversation must be a conversation id (got "${values.conversation}")`);
  const { exporter: ex, close } = exporter();
  try {
    const result = ex.export(values.conversation, format.data);
    if (values.out) {
      const out = resolve(values.out);
      writeFileSync(out, result.content);
      console.error(`Exported ${result.conversations} conversation(s) to ${out}`);
    } else process.stdout.write(result.content);
    return exitCodes.ok;
  } catch (error) {
    return asCliError(error);
  } finally {
    close();
  }
}

export async function importCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(
    { args: argv, strict: true, allowPositionals: true, options: { json: { type: 'boolean' } } },
    importUsage,
  );
  if (positionals.length !== 1) throw new CliError(exitCodes.badInput, `Give one file to import.\n${importUsage}`);
  const path = resolve(positionals[0]!);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new CliError(exitCodes.badInput, `No file at ${path}`);
  }
  // Checked before reading: a 2 GB file is refused without being loaded.
  if (size > MAX_IMPORT_BYTES)
    throw new CliError(
      exitCodes.badInput,
      `Nothing was imported. The file is ${(size / 1024 / 1024).toFixed(0)} MiB; Edgewise imports files up to ${MAX_IMPORT_BYTES / 1024 / 1024} MiB. Export fewer conversations per file.`,
    );
  // Importing writes: it needs the data folder to itself, as every writing command does.
  let lock: DataLock;
  try {
    lock = acquireDataLock(defaultDataDir(), 'edgewise import');
  } catch (error) {
    if (error instanceof DataLockedError)
      throw new CliError(exitCodes.dataLocked, `${error.message} (Or use Import… in the running app's sidebar.)`);
    throw error;
  }
  const { exporter: ex, close } = exporter();
  try {
    const result = ex.import(readFileSync(path, 'utf8'), size);
    if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else
      console.log(
        `Imported ${result.conversations} conversation(s), ${result.messages} message(s)${result.remappedIds ? `; ${result.remappedIds} id(s) already present were given new ones` : ''}.`,
      );
    return exitCodes.ok;
  } catch (error) {
    return asCliError(error);
  } finally {
    close();
    lock.release();
  }
}
