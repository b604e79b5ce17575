// `edgewise models list|pull|import|rm`: the model manager from the command line, on the same data
// folder as the app (EDGEWISE_DATA_DIR to choose another).
import { copyFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createApp } from '../services/app.ts';
import { forkWorker } from '../services/engine/workerProcess.ts';
import { inspectModel } from '../services/library/modelLibrary.ts';
import { defaultDataDir } from '../services/paths.ts';
import { RpcError } from '../../shared/rpc.ts';
import type { DownloadRecord } from '../../shared/catalog.ts';
import { CliError, exitCodes, parseCommandLine } from './args.ts';
import { DataLockedError } from '../services/dataLock.ts';

export const modelsUsage = `Usage: edgewise models list [--catalog] [--json]
       edgewise models pull ID|URI        (a catalog id such as qwen3-0.6b or qwen3-0.6b:Q8_0, hf:user/repo/file.gguf, or an http(s) URL)
       edgewise models import PATH [--copy]
       edgewise models rm ID`;

/** Listing works beside a running app; changing the library needs the data folder to itself. */
async function openApp(access: 'read' | 'write') {
  try {
    return await createApp({
      dataDir: defaultDataDir(),
      spawn: forkWorker,
      emit: () => {},
      shell: 'headless',
      dataAccess: access,
      ownerName: 'edgewise models',
    });
  } catch (error) {
    if (error instanceof DataLockedError) throw new CliError(exitCodes.dataLocked, error.message);
    throw error;
  }
}

const mb = (n: number) => `${(n / 1e6).toFixed(n < 1e7 ? 2 : 0)} MB`;

export async function modelsCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const parsed = parseCommandLine(
    {
      args: rest,
      strict: true,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, catalog: { type: 'boolean' }, copy: { type: 'boolean' } },
    },
    modelsUsage,
  );
  const { values, positionals } = parsed;
  const app = await openApp(sub === 'list' ? 'read' : 'write');
  const health = app.data.status();
  if (health.message) console.error(`edgewise: ${health.message}`);
  try {
    const h = app.handlers;
    switch (sub) {
      case 'list': {
        if (values.catalog) {
          const catalog = await h['catalog.list']({});
          if (values.json) {
            process.stdout.write(JSON.stringify(catalog, null, 2) + '\n');
            return exitCodes.ok;
          }
          for (const m of catalog) {
            console.log(
              `${m.id.padEnd(22)} ${m.name} (${m.parameters}, ${m.license}${m.quantizationAware ? ', quantization-aware trained' : ''})`,
            );
            for (const f of m.files)
              console.log(
                `    ${m.id}:${f.quantization.padEnd(8)} ${f.sizeBytes ? mb(f.sizeBytes) : 'size unknown'}  ${f.uri}`,
              );
          }
          return exitCodes.ok;
        }
        const models = await h['models.list']({});
        if (values.json) {
          process.stdout.write(JSON.stringify(models, null, 2) + '\n');
          return exitCodes.ok;
        }
        for (const m of models) {
          console.log(
            `${m.id}  ${m.name}  [${m.source}]  ${m.architecture} ${m.parameters ?? '?'} ${m.quantization}  ${mb(m.sizeBytes)}  ctx ${m.contextLength ?? '?'}  ${m.hasChatTemplate ? 'chat template' : 'no chat template'}\n    ${m.path}`,
          );
        }
        return exitCodes.ok;
      }
      case 'pull':
        return await pull(app, positionals[0]);
      case 'import': {
        if (!positionals[0]) throw new CliError(exitCodes.badInput, `Give the file to import.\n${modelsUsage}`);
        const path = resolve(positionals[0]);
        let model;
        if (values.copy) {
          await inspectModel(path, 'added');
          const target = join(app.library.modelsDir, basename(path));
          if (existsSync(target)) throw new CliError(exitCodes.badInput, `${target} already exists`);
          await mkdir(app.library.modelsDir, { recursive: true });
          await copyFile(path, target);
          model = (await h['models.list']({})).find((m) => m.path === target)!;
        } else {
          model = await h['models.add']({ path });
        }
        console.log(
          `Imported ${model.name} (${model.quantization}, ${mb(model.sizeBytes)}) as ${model.id}${values.copy ? ', copied into the models folder' : ', used where it is'}`,
        );
        return exitCodes.ok;
      }
      case 'rm': {
        if (!positionals[0])
          throw new CliError(exitCodes.badInput, `Give the model id (see "edgewise models list").\n${modelsUsage}`);
        const removed = await h['models.remove']({ modelId: positionals[0] });
        console.log(
          removed.deleted
            ? `Deleted ${removed.path}`
            : `Forgot ${removed.path} (the file was added by path, so it stays on disk)`,
        );
        return exitCodes.ok;
      }
      default:
        throw new CliError(exitCodes.badInput, modelsUsage);
    }
  } catch (error) {
    if (error instanceof RpcError)
      throw new CliError(
        error.code === 'not_found' || error.code === 'bad_input' || error.code === 'busy' ? exitCodes.badInput : 1,
        error.message,
      );
    throw error;
  } finally {
    await app.dispose();
  }
}

async function pull(app: Awaited<ReturnType<typeof createApp>>, what: string | undefined): Promise<number> {
  if (!what) throw new CliError(exitCodes.badInput, `Give a catalog id or a URI.\n${modelsUsage}`);
  const h = app.handlers;
  let uri = what;
  if (!/^(hf:|https?:\/\/)/.test(what)) {
    const [id, quant] = what.split(':');
    const model = (await h['catalog.list']({})).find((m) => m.id === id);
    if (!model)
      throw new CliError(exitCodes.badInput, `No catalog model "${id}" (see "edgewise models list --catalog")`);
    const file = quant ? model.files.find((f) => f.quantization.toLowerCase() === quant.toLowerCase()) : model.files[0];
    if (!file)
      throw new CliError(
        exitCodes.badInput,
        `${model.name} has ${model.files.length ? `no ${quant} file (it has ${model.files.map((f) => f.quantization).join(', ')})` : 'no downloadable file listed yet'}`,
      );
    uri = file.uri;
  }
  // A paused or failed pull of the same URI continues from where it stopped.
  const earlier = (await h['downloads.list']({})).find(
    (d) => d.uri === uri && (d.state === 'paused' || d.state === 'failed' || d.state === 'downloading'),
  );
  const started: DownloadRecord = earlier
    ? await h['downloads.resume']({ id: earlier.id })
    : await h['downloads.start']({ uri });
  const interrupt = () => {
    void h['downloads.pause']({ id: started.id });
  };
  process.once('SIGINT', interrupt);
  const timer = setInterval(() => {
    const d = app.downloads.list().find((r) => r.id === started.id);
    if (d && process.stderr.isTTY) {
      const left = d.secondsLeft !== null ? `, ${Math.ceil(d.secondsLeft)} s left` : '';
      process.stderr.write(
        `\r${d.fileName}: ${mb(d.received)}${d.total ? ` of ${mb(d.total)}` : ''} at ${mb(d.bytesPerSec)}/s${left}   `,
      );
    }
  }, 250);
  const done = await app.downloads.settled(started.id);
  clearInterval(timer);
  process.removeListener('SIGINT', interrupt);
  if (process.stderr.isTTY) process.stderr.write('\n');
  if (done.state === 'done') {
    console.log(
      `Downloaded ${done.path} (${mb(done.received)}), sha256 ${done.sha256}${done.verifiedAgainst ? `, verified against the ${done.verifiedAgainst}` : ' (no published hash to verify against)'}`,
    );
    return exitCodes.ok;
  }
  if (done.state === 'paused') {
    console.log(`Paused at ${mb(done.received)}; run the same command again to resume.`);
    return exitCodes.ok;
  }
  throw new CliError(1, `Download ${done.state}: ${done.error ?? ''}`);
}
