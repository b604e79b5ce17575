// Damaged models: at least 50 mutants of the real test models. Each is refused by checkGguf before any
// native load, or, where only llama.cpp can tell, loaded in the worker, where a crash takes down the
// worker only. The engine must still load a good model afterwards.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkGguf } from '../../electron/services/library/ggufCheck.ts';
import { EngineHost } from '../../electron/services/engine/engineHost.ts';
import { forkWorker } from '../../electron/services/engine/workerProcess.ts';
import { RpcError } from '../../shared/rpc.ts';
import { demoModel, f16Model, stories260k, tempDir } from '../fixtures.ts';
import { errorMessage } from '../../shared/errors.ts';

interface Mutant {
  name: string;
  bytes: Buffer;
}

function tensorInfoAt(buf: Buffer, name: string) {
  const at = buf.indexOf(Buffer.from(name));
  if (at < 0) throw new Error(`${name} not found`);
  const dimsAt = at + name.length;
  const dims = buf.readUInt32LE(dimsAt);
  const typeAt = dimsAt + 4 + 8 * dims;
  return { at, typeAt, offsetAt: typeAt + 4 };
}

function mutants(file: string, dataOffset: number): Mutant[] {
  const original = readFileSync(file);
  const edit = (name: string, change: (b: Buffer) => void): Mutant => {
    const b = Buffer.from(original);
    change(b);
    return { name, bytes: b };
  };
  const out: Mutant[] = [];
  for (const fraction of [0, 0.001, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.9999]) {
    const cut = Math.floor(original.length * fraction);
    out.push({ name: `truncated at ${cut} of ${original.length}`, bytes: original.subarray(0, cut) });
  }
  for (const v of [0, 1, 4, 0xffffffff]) out.push(edit(`version ${v}`, (b) => b.writeUInt32LE(v, 4)));
  out.push(
    edit('magic flipped', (b) => {
      b[0] = 0x67;
    }),
  );
  out.push(edit('tensor count 2^62', (b) => b.writeBigUInt64LE(2n ** 62n, 8)));
  out.push(edit('key count 2^40', (b) => b.writeBigUInt64LE(2n ** 40n, 16)));
  out.push(edit('tensor count + 1', (b) => b.writeBigUInt64LE(b.readBigUInt64LE(8) + 1n, 8)));
  out.push(edit('zero-length first key', (b) => b.writeBigUInt64LE(0n, 24)));
  out.push(edit('first key length 2^63', (b) => b.writeBigUInt64LE(2n ** 63n, 24)));
  out.push(
    edit('duplicate tensor name', (b) => {
      b.write('blk.0.attn_k.weight', tensorInfoAt(b, 'blk.0.attn_q.weight').at, 'latin1');
    }),
  );
  out.push(
    edit('tensor offset past the end', (b) => {
      const t = tensorInfoAt(b, 'blk.0.attn_k.weight');
      b.writeBigUInt64LE(2n ** 40n, t.offsetAt);
    }),
  );
  out.push(
    edit('tensor offset misaligned', (b) => {
      const t = tensorInfoAt(b, 'blk.0.attn_k.weight');
      b.writeBigUInt64LE(b.readBigUInt64LE(t.offsetAt) + 1n, t.offsetAt);
    }),
  );
  out.push(
    edit('tensor type 99', (b) => {
      const t = tensorInfoAt(b, 'blk.0.attn_k.weight');
      b.writeUInt32LE(99, t.typeAt);
    }),
  );
  // Seeded random byte flips inside the header (metadata and tensor table): some only llama.cpp can judge.
  let seed = 0x2545f491 ^ original.length;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed;
  };
  for (let i = 0; i < 8; i++) {
    const at = 24 + (next() % (dataOffset - 24));
    const value = next() & 0xff;
    out.push(
      edit(`byte ${at} set to ${value}`, (b) => {
        b[at] = value === b[at] ? value ^ 0xff : value;
      }),
    );
  }
  return out;
}

describe('malformed models', () => {
  it('every mutant is refused with a clear message or stays inside the worker; the app never crashes', async () => {
    const dir = tempDir();
    const outcomes = { refusedBeforeLoad: 0, refusedByLlamaCpp: 0, workerCrashed: 0, loadedHarmlessly: 0 };
    const engine = new EngineHost({ spawn: forkWorker, onStatus: () => {}, gpu: 'cpu' });
    let total = 0;
    for (const file of [demoModel, f16Model, stories260k]) {
      const { dataOffset } = await checkGguf(file);
      for (const [i, m] of mutants(file, Number(dataOffset)).entries()) {
        total++;
        const path = join(dir, `${basename(file, '.gguf')}-${i}.gguf`);
        writeFileSync(path, m.bytes);
        const verdict = await checkGguf(path).then(() => null, errorMessage);
        if (verdict !== null) {
          expect(verdict.length, m.name).toBeGreaterThan(10);
          outcomes.refusedBeforeLoad++;
          continue;
        }
        // Only llama.cpp can judge this one: load it in the worker.
        try {
          await engine.load({ id: `m${total}`, name: m.name, path });
          outcomes.loadedHarmlessly++;
        } catch (error) {
          expect(error).toBeInstanceOf(RpcError);
          if (/crashed/.test(errorMessage(error))) outcomes.workerCrashed++;
          else outcomes.refusedByLlamaCpp++;
        }
      }
    }
    console.log(`GGUF mutants: ${total} tried; ${JSON.stringify(outcomes)}`);
    expect(total).toBeGreaterThanOrEqual(50);
    expect(outcomes.refusedBeforeLoad).toBeGreaterThanOrEqual(total - 24);
    // after all of that, the engine still loads and runs a good model
    await engine.load({ id: 'good', name: 'good', path: demoModel });
    const result = await engine.generate(
      {
        requestId: 'after',
        mode: 'raw',
        systemPrompt: '',
        history: [{ role: 'user', text: 'Once upon a time' }],
        contextSize: 256,
        sampling: { temperature: 0, topK: 40, topP: 0.95, minP: 0.05, repeatPenalty: 1.1, seed: null, maxTokens: 8 },
      },
      () => {},
    );
    expect(result.outputTokens).toBe(8);
    await engine.dispose();
  }, 240_000);
});
