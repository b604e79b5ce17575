// `edgewise chat`: one answer streamed to stdout, or one JSON object with --json.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { RpcError } from '../../shared/rpc.ts';
import { defaultSettings, type ConversationSettings } from '../../shared/schemas.ts';
import { presetNamed } from './presetOption.ts';
import { presetSettings } from '../../shared/presets.ts';
import { EngineHost } from '../services/engine/engineHost.ts';
import { forkWorker } from '../services/engine/workerProcess.ts';
import { storedFlashAttention } from '../services/engine/engineHandlers.ts';
import { DEMO_MODEL_FILE, inspectModel } from '../services/library/modelLibrary.ts';
import { assertFitsInMemory } from '../services/engine/modelLoader.ts';
import { bundledModelsDir, defaultDataDir } from '../services/paths.ts';
import { openDatabase } from '../services/store/database.ts';
import { SettingsStore } from '../services/store/settingsStore.ts';
import { ThreadCalibrationStore } from '../services/store/threadCalibrationStore.ts';
import { CliError, exitCodes, flashAttentionOption, gpuOption, numberOption, parseCommandLine } from './args.ts';
import { TelemetryService } from '../services/telemetry/telemetryService.ts';
import { powerSources } from '../services/telemetry/powerSources.ts';
import { physicalCores } from '../services/engine/cpuInfo.ts';
import { openFitService } from './fitCommand.ts';
import { answerOnDevice } from '../services/chat/onDeviceAnswer.ts';
import { errorMessage } from '../../shared/errors.ts';
import { questionWithAttachments, sourcesText } from './attachOption.ts';
import { speculationOption } from '../services/chat/speculationChoice.ts';
import type { ToolStep } from '../../shared/contract/tools.ts';

export const chatUsage = `Usage: edgewise chat [--model PATH] [--system TEXT] [--temperature N] [--max-tokens N] [--seed N]
                     [--context-size N] [--threads N] [--gpu auto|cpu|metal|cuda|vulkan] [--preset NAME] [--tools] [--raw] [--json]
                     [--flash-attention auto|on|off]
                     [--speculative off|lookup|draft] [--draft PATH] [--attach FILE|FOLDER]...
                     [--no-thoughts] [--no-thinking] [--thought-budget N] PROMPT
  A reasoning model's thoughts print dimmed before the answer (on stderr when stdout is not a terminal);
  --no-thoughts hides them, --no-thinking asks the model not to think, --thought-budget caps them.
  --speculative lookup guesses tokens from the prompt's own text; draft, from --draft (a smaller model with
  the same vocabulary). Greedy output is the same either way; off is the default.`;

/** Prints thoughts as they stream: dimmed on a terminal, plain on stderr when stdout is piped, or nowhere. */
function thoughtPrinter(where: 'dim' | 'stderr' | null) {
  let open = false;
  return {
    thought(delta: string) {
      if (!where) return;
      if (!open && where === 'dim') process.stdout.write('\x1b[2m');
      open = true;
      (where === 'dim' ? process.stdout : process.stderr).write(delta);
    },
    /** Closes the thoughts before the answer's first text. */
    end() {
      if (!open) return;
      open = false;
      if (where === 'dim') process.stdout.write('\x1b[22m\n\n');
      else process.stderr.write('\n');
    },
  };
}

export async function chatCommand(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(
    {
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        model: { type: 'string' },
        system: { type: 'string' },
        temperature: { type: 'string' },
        'max-tokens': { type: 'string' },
        seed: { type: 'string' },
        'context-size': { type: 'string' },
        threads: { type: 'string' },
        'flash-attention': { type: 'string' },
        gpu: { type: 'string' },
        raw: { type: 'boolean' },
        json: { type: 'boolean' },
        preset: { type: 'string' },
        attach: { type: 'string', multiple: true },
        'no-thoughts': { type: 'boolean' },
        'no-thinking': { type: 'boolean' },
        'thought-budget': { type: 'string' },
        speculative: { type: 'string' },
        draft: { type: 'string' },
        tools: { type: 'boolean' },
      },
    },
    chatUsage,
  );
  const { values, positionals } = parsed;
  const prompt = positionals.join(' ');
  if (!prompt.trim()) throw new CliError(exitCodes.badInput, `Give a prompt to answer.\n${chatUsage}`);
  if (values.tools && values.raw)
    throw new CliError(exitCodes.badInput, '--tools needs the chat template; it cannot be used with --raw.');
  // A preset gives the starting values (a new conversation's settings without one); flags given as well win.
  const chosen = values.preset ? presetNamed(values.preset) : null;
  const base = chosen ? presetSettings(chosen) : defaultSettings;
  const settings: ConversationSettings = {
    systemPrompt: values.system ?? base.systemPrompt,
    sampling: {
      ...base.sampling,
      temperature: numberOption(values.temperature, 'temperature', 0, 2) ?? base.sampling.temperature,
      maxTokens: numberOption(values['max-tokens'], 'max-tokens', 1, 32768, true) ?? base.sampling.maxTokens,
      seed: numberOption(values.seed, 'seed', 0, 2 ** 32 - 1, true) ?? base.sampling.seed,
    },
    contextSize: numberOption(values['context-size'], 'context-size', 128, 131072, true) ?? base.contextSize,
    // --no-thinking wins over the preset's switch.
    ...(values['no-thinking'] ? { thinking: false } : base.thinking !== undefined ? { thinking: base.thinking } : {}),
    thoughtBudget:
      numberOption(values['thought-budget'], 'thought-budget', 1, 32768, true) ?? base.thoughtBudget ?? null,
  };
  const showThought = thoughtPrinter(
    values['no-thoughts'] || values.json ? null : process.stdout.isTTY ? 'dim' : 'stderr',
  );
  const threads = numberOption(values.threads, 'threads', 1, 1024, true) ?? null;
  const gpu = gpuOption(values.gpu) ?? 'auto';
  const flashAttention = flashAttentionOption(values['flash-attention']);
  let speculation;
  try {
    speculation = speculationOption(values.speculative, values.draft ? resolve(values.draft) : undefined);
  } catch (error) {
    throw new CliError(exitCodes.badInput, errorMessage(error));
  }
  if (speculation?.draftModelPath && !existsSync(speculation.draftModelPath))
    throw new CliError(exitCodes.badInput, `No draft model file at ${speculation.draftModelPath}.`);

  const modelPath = resolve(values.model ?? `${bundledModelsDir()}/${DEMO_MODEL_FILE}`);
  if (!existsSync(modelPath))
    throw new CliError(
      exitCodes.badInput,
      `No model file at ${modelPath}. Pass --model with the path to a .gguf file.`,
    );
  let model;
  try {
    model = await inspectModel(modelPath, values.model ? 'added' : 'bundled');
    assertFitsInMemory(model);
  } catch (error) {
    throw new CliError(exitCodes.loadFailed, `Cannot use this model: ${errorMessage(error)}`);
  }

  // Attached files are read before the model loads: a file that cannot be read is named at once.
  const question = await questionWithAttachments(values.attach ?? [], prompt, settings, model.contextLength, (line) =>
    process.stderr.write(`${line}\n`),
  );

  // The app's own data: the thread count set in the app, and each model's measured one (measured once).
  const db = openDatabase(join(defaultDataDir(), 'edgewise.db'));
  const stored = new SettingsStore(db);
  const setting = stored.get('engine.threads', z.number().int().min(1).nullable(), null);
  const engine = new EngineHost({
    spawn: forkWorker,
    onStatus: () => {},
    gpu,
    threads: threads ?? setting,
    flashAttention: flashAttention ?? storedFlashAttention(stored),
    threadMemory: new ThreadCalibrationStore(db),
  });
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.on('SIGINT', onSigint);
  try {
    // Warn before loading a model predicted under the reading speed (from this machine's cached speed facts).
    const { fit, close } = openFitService(engine, threads ?? physicalCores());
    const loadWarning = await fit
      .loadCheck(model, settings.contextSize)
      .catch(() => null)
      .finally(close);
    if (loadWarning) process.stderr.write(`Warning: ${loadWarning}\n`);
    const status = await engine.load({ id: model.id, name: model.name, path: model.path }).catch((error: unknown) => {
      throw new CliError(exitCodes.loadFailed, errorMessage(error));
    });
    const telemetry = new TelemetryService({ sources: powerSources(), usage: () => engine.usage(), emit: () => {} });
    const request = {
      id: 'cli',
      model,
      settings,
      history: [{ role: 'user' as const, text: question.text }],
      mode: values.raw ? ('raw' as const) : ('chat' as const),
      speculation,
      onDelta: (delta: string, _tokens: number, thought: boolean) => {
        if (thought) showThought.thought(delta);
        else if (!values.json) {
          showThought.end();
          process.stdout.write(delta);
        }
      },
      signal: controller.signal,
    };
    // --tools: the built-ins (arithmetic, date and time), which read nothing outside the conversation and
    // need no consent; each call is reported on stderr as it ends.
    let toolSteps: ToolStep[] = [];
    // Loaded only with --tools: every other run starts faster without the tool modules.
    const tooling = values.tools
      ? await Promise.all([
          import('../services/toolUse/toolLoop.ts'),
          import('../services/toolUse/builtins.ts'),
          import('../services/toolUse/toolConsentGate.ts'),
        ])
      : null;
    const answer = tooling
      ? await tooling[0].answerWithTools({ engine, telemetry }, request, {
          tools: tooling[1].builtinTools({ conversationId: null, documents: null }),
          conversationId: 'cli',
          gate: new tooling[2].ToolConsentGate(),
          ask: null,
          onStep: (step) => {
            if (!values.json)
              process.stderr.write(
                `\n[tool ${step.tool}(${step.arguments}) → ${step.error ? `error: ${step.error}` : `${step.resultBytes} bytes`}, ${Math.round(step.ms)} ms]\n`,
              );
          },
        })
      : await answerOnDevice({ engine, telemetry }, request);
    if ('steps' in answer) toolSteps = answer.steps as ToolStep[];
    const { text, thoughts, stats, engineOutputTokens } = answer;
    if (values.json) {
      process.stdout.write(
        JSON.stringify({
          text,
          thoughts,
          thoughtTokens: stats.thoughtTokens ?? 0,
          model: stats.modelFile,
          backend: stats.backend,
          ttftMs: stats.ttftMs,
          promptTokens: stats.promptTokens,
          outputTokens: stats.outputTokens,
          prefillTokensPerSec: stats.prefillTokensPerSec,
          decodeTokensPerSec: stats.decodeTokensPerSec,
          stopReason: stats.stopReason,
          quantization: stats.quantization,
          threads: status.threads,
          threadChoice: status.threadChoice,
          flashAttention: status.flashAttention ?? null,
          contextSize: stats.contextSize,
          energyJoules: stats.energyJoules,
          energyPerTokenMj: stats.energyPerTokenMj,
          powerSource: stats.powerSource,
          powerUnavailable: stats.powerUnavailable,
          engineOutputTokens,
          loadWarning,
          preset: chosen?.name ?? null,
          documents: question.documents?.trace ?? null,
          speculation: stats.speculation ?? null,
          draftAcceptedTokens: stats.draftAcceptedTokens ?? null,
          draftRejectedTokens: stats.draftRejectedTokens ?? null,
          acceptanceRate: stats.acceptanceRate ?? null,
          ...(values.tools ? { toolSteps } : {}),
        }) + '\n',
      );
    } else {
      showThought.end();
      process.stdout.write(`\n${sourcesText(question.documents)}`);
      if (stats.thoughtUnclosed && !text)
        process.stderr.write(
          `(The model thought and gave no answer: its thought was cut (${stats.stopReason}). Raise --max-tokens or set --thought-budget.)\n`,
        );
      // The live acceptance rate, as the app shows it per answer: it says whether speculation pays here.
      if (stats.speculation) {
        const checked = (stats.draftAcceptedTokens ?? 0) + (stats.draftRejectedTokens ?? 0);
        const rate =
          stats.acceptanceRate == null ? 'no guesses checked' : `${(stats.acceptanceRate * 100).toFixed(0)}% kept`;
        process.stderr.write(
          `Speculation (${stats.speculation === 'prompt' ? 'prompt lookup' : 'draft model'}): ${rate} (${stats.draftAcceptedTokens ?? 0} of ${checked} guessed tokens), ${stats.decodeTokensPerSec.toFixed(1)} tok/s\n`,
        );
      }
    }
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof CliError) throw error;
    if (error instanceof RpcError && error.code === 'engine_crashed') {
      throw new CliError(
        exitCodes.engineCrashed,
        `${error.message}\nThe model or its runtime crashed; try --gpu cpu, a smaller context, or another model file.`,
      );
    }
    if (error instanceof RpcError && error.code === 'bad_input') throw new CliError(exitCodes.badInput, error.message);
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
    await engine.dispose();
    db.close();
  }
}
