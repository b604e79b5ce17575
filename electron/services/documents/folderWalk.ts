// The files a path stands for: itself, or every readable document under a folder. The walk stops as soon
// as a folder holds more files than can be attached, so a folder of 10,000 files is refused quickly.
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { RpcError } from '../../../shared/rpc.ts';
import { documentKindOf } from '../../../shared/documents.ts';

/** Folders that hold tools' state, not the user's documents. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', '.venv', '__pycache__', '.cache', 'dist', 'build']);

export async function filesIn(path: string, limit: number): Promise<{ path: string; name: string }[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new RpcError('bad_input', `${path}: no such file or folder.`);
  }
  if (info.isFile()) return [{ path, name: basename(path) }];
  if (!info.isDirectory()) throw new RpcError('bad_input', `${path}: not a file or a folder.`);
  const found: { path: string; name: string }[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || SKIPPED_FOLDERS.has(entry.name)) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && documentKindOf(entry.name) !== null) {
        found.push({ path: full, name: relative(path, full) });
        if (found.length > limit)
          throw new RpcError(
            'bad_input',
            `${path}: the folder holds more than ${limit.toLocaleString('en-US')} documents; attach a smaller folder (nothing from this one was attached).`,
          );
      }
    }
  };
  await walk(path);
  if (found.length === 0)
    throw new RpcError(
      'bad_input',
      `${path}: the folder holds no text, Markdown, code, CSV, JSON, PDF or .docx files.`,
    );
  return found;
}
