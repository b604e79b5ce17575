// A child process that runs one llama_model_quantize call, so that a native abort inside llama.cpp or a
// cancel (the parent kills this process) never touches the app. It reports on stdout, one JSON object per
// line, written synchronously: the quantize call blocks this thread until it returns, and llama.cpp calls
// the log callback on this same thread between tensors.
import { writeSync } from 'node:fs';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import { openLibllama } from './llamaLibrary.ts';
import { errorMessage } from '../../../shared/errors.ts';

export type QuantizeReport =
  | { kind: 'progress'; done: number; total: number; tensor: string }
  | { kind: 'fallback'; text: string }
  | { kind: 'error'; text: string }
  | { kind: 'quantized'; status: number }
  | { kind: 'loaded' };

const report = (message: QuantizeReport) => writeSync(1, JSON.stringify(message) + '\n');

async function main(): Promise<number> {
  const { input, output, ftype, threads, requantize } = JSON.parse(process.argv[2] ?? '{}') as {
    input: string;
    output: string;
    ftype: number;
    threads: number;
    requantize: boolean;
  };
  let library;
  try {
    library = openLibllama();
  } catch (error) {
    report({ kind: 'error', text: errorMessage(error) });
    return 3;
  }
  let errorText = '';
  library.onLog((level, text) => {
    const tensor = /^\[\s*(\d+)\/\s*(\d+)\]\s+(\S+)/.exec(text);
    if (tensor) report({ kind: 'progress', done: Number(tensor[1]), total: Number(tensor[2]), tensor: tensor[3]! });
    else if (text.includes('falling back to')) report({ kind: 'fallback', text: text.trim() });
    // GGML_LOG_LEVEL_ERROR is 4; the quantizer's own failure message ("failed to quantize: ...") too.
    if (level === 4 || /failed to quantize|error/i.test(text)) errorText += text;
  });
  const params = library.defaultParams();
  params.ftype = ftype;
  params.nthread = threads;
  // A Q8_0 source is already quantized; llama.cpp refuses it unless told that this is intended.
  params.allow_requantize = requantize;
  const status = library.quantize(input, output, params);
  report({ kind: 'quantized', status });
  if (status !== 0) {
    report({ kind: 'error', text: errorText.trim() || `llama_model_quantize returned ${status}` });
    return 1;
  }
  // The result must load in the engine that will run it, not just parse.
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  try {
    const model = await llama.loadModel({ modelPath: output });
    await model.dispose();
  } catch (error) {
    report({ kind: 'error', text: `the quantized file does not load: ${errorMessage(error)}` });
    return 1;
  }
  report({ kind: 'loaded' });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    report({ kind: 'error', text: errorMessage(error) });
    process.exit(1);
  },
);
