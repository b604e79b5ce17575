// llama.cpp's own quantizer, reached through koffi in node-llama-cpp's prebuilt libllama.
//
// The parameter struct is laid out exactly as `llama_model_quantize_params` in the llama.h of the
// llama.cpp release node-llama-cpp 3.22.1 ships (tag v0.5.0 of its binaries; the source is in
// node_modules/node-llama-cpp/llama/gitRelease.bundle, include/llama.h). If node-llama-cpp is upgraded,
// check that struct again: a field added in the middle would shift every field after it.
import { createRequire } from 'node:module';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import koffi from 'koffi';
import { errorMessage } from '../../../shared/errors.ts';

/** node-llama-cpp's prebuilt binary packages for this platform, the plain CPU one first. */
function binaryPackages(platform = process.platform, arch = process.arch): string[] {
  const os = platform === 'darwin' ? 'mac' : platform === 'win32' ? 'win' : platform;
  const base = `@node-llama-cpp/${os}-${arch}`;
  return [base, `${base}-metal`, `${base}-vulkan`, `${base}-cuda`];
}

const libraryName = /^(lib)?llama(\.v[\d.]+)?\.(so|dylib|dll)$/;

/** The path of libllama in node-llama-cpp's prebuilt binaries, or an error that says what is missing. */
export function findLibllama(): string {
  // Resolved from node-llama-cpp's own folder, where it finds its binaries; "exports" hides package.json.
  const require = createRequire(createRequire(import.meta.url).resolve('node-llama-cpp'));
  const looked: string[] = [];
  for (const pkg of binaryPackages()) {
    let root: string;
    try {
      root = join(dirname(require.resolve(pkg)), '..').replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
    } catch {
      continue;
    }
    const bins = join(root, 'bins');
    for (const dir of existsSync(bins) ? readdirSync(bins) : []) {
      const file = readdirSync(join(bins, dir)).find((name) => libraryName.test(name));
      if (file) return join(bins, dir, file);
    }
    looked.push(pkg);
  }
  throw new Error(
    `node-llama-cpp's prebuilt binaries for ${process.platform}-${process.arch} include no libllama library` +
      ` (looked in ${looked.length ? looked.join(', ') : 'no installed binary package'}), so models cannot be quantized on this machine`,
  );
}

const QuantizeParams = koffi.struct('llama_model_quantize_params', {
  nthread: 'int32_t',
  ftype: 'int', // enum llama_ftype
  output_tensor_type: 'int', // enum ggml_type
  token_embedding_type: 'int', // enum ggml_type
  allow_requantize: 'bool',
  quantize_output_tensor: 'bool',
  only_copy: 'bool',
  pure: 'bool',
  keep_split: 'bool',
  dry_run: 'bool',
  imatrix: 'void *',
  kv_overrides: 'void *',
  tt_overrides: 'void *',
  prune_layers: 'void *',
  max_buf_size: 'size_t',
});
const LogCallback = koffi.proto('void ggml_log_callback(int level, const char *text, void *user_data)');

export interface QuantizeParamsValue {
  nthread: number;
  ftype: number;
  allow_requantize: boolean;
  [field: string]: unknown;
}

export interface Libllama {
  path: string;
  defaultParams(): QuantizeParamsValue;
  /** Returns llama.cpp's status: 0 on success. Blocks the calling thread until done. */
  quantize(input: string, output: string, params: QuantizeParamsValue): number;
  /** Routes llama.cpp's log lines (the quantizer reports each tensor there) to a function. */
  onLog(listener: (level: number, text: string) => void): void;
}

export function openLibllama(path = findLibllama()): Libllama {
  const lib = koffi.load(path);
  const symbol = (declaration: string, name: string) => {
    try {
      return lib.func(declaration);
    } catch (error) {
      throw new Error(`${path} has no ${name} (${errorMessage(error)}); this node-llama-cpp build cannot quantize`);
    }
  };
  const defaults = symbol(
    'llama_model_quantize_params llama_model_quantize_default_params(void)',
    'llama_model_quantize_default_params',
  );
  const quantize = symbol(
    'uint32_t llama_model_quantize(const char *fname_inp, const char *fname_out, const llama_model_quantize_params *params)',
    'llama_model_quantize',
  );
  const logSet = symbol('void llama_log_set(ggml_log_callback *callback, void *user_data)', 'llama_log_set');
  return {
    path,
    defaultParams: () => defaults() as QuantizeParamsValue,
    quantize: (input, output, params) => quantize(input, output, params) as number,
    onLog(listener) {
      logSet(
        koffi.register((level: number, text: string) => listener(level, text), koffi.pointer(LogCallback)),
        null,
      );
    },
  };
}
