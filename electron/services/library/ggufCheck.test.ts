import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkGguf } from './ggufCheck.ts';
import { inspectModel } from './modelLibrary.ts';
import { demoModel, f16Model, stories260k, tempDir } from '../../../tests/fixtures.ts';

const dir = tempDir();
const original = readFileSync(demoModel);
function mutant(name: string, bytes: Buffer): string {
  const path = join(dir, `${name}.gguf`);
  writeFileSync(path, bytes);
  return path;
}
function withU64(offset: number, value: bigint): Buffer {
  const copy = Buffer.from(original);
  copy.writeBigUInt64LE(value, offset);
  return copy;
}

describe('checkGguf on the real test models', () => {
  it.each([demoModel, f16Model, stories260k])('accepts %s', async (path) => {
    const summary = await checkGguf(path);
    expect(summary.version).toBe(3);
    expect(summary.tensorCount).toBeGreaterThan(5);
    expect(summary.metadata.get('general.architecture')).toBe('llama');
  });

  it('reads the demo model facts shown in the UI', async () => {
    const info = await inspectModel(demoModel, 'added');
    expect(info).toMatchObject({
      architecture: 'llama',
      quantization: 'Q8_0',
      contextLength: 512,
      hasChatTemplate: false,
    });
    expect(info.parameters).toMatch(/K$/);
  });
});

describe('checkGguf refuses damaged files before any native load', () => {
  const cases: [string, Buffer, RegExp][] = [
    ['empty', Buffer.alloc(0), /too small/],
    ['not-gguf', Buffer.from('PK\u0003\u0004 this is a zip file, honestly'), /Not a GGUF file/],
    [
      'version-9',
      (() => {
        const b = Buffer.from(original);
        b.writeUInt32LE(9, 4);
        return b;
      })(),
      /Unsupported GGUF version 9/,
    ],
    ['huge-tensor-count', withU64(8, 2n ** 62n), /tensors; no real model/],
    ['huge-kv-count', withU64(16, 2n ** 40n), /metadata keys; no real model/],
    ['truncated-header', original.subarray(0, 200), /truncated|past the end|ends inside/],
    ['truncated-data', original.subarray(0, original.length - 1000), /past the end of the file/],
    ['first-key-length-huge', withU64(24, 2n ** 63n), /past the end|more than any real model/],
  ];
  it.each(cases)('%s', async (name, bytes, message) => {
    await expect(checkGguf(mutant(name, bytes))).rejects.toThrow(message);
  });

  it('a missing path and a folder get plain messages', async () => {
    await expect(checkGguf(join(dir, 'nope.gguf'))).rejects.toThrow(/No file at/);
    await expect(checkGguf(dir)).rejects.toThrow(/is a folder/);
  });

  it('every truncation of the header is refused', async () => {
    const summary = await checkGguf(demoModel);
    const headerEnd = Number(summary.dataOffset);
    for (let cut = 0; cut < headerEnd; cut += Math.ceil(headerEnd / 40)) {
      await expect(checkGguf(mutant(`cut-${cut}`, original.subarray(0, cut)))).rejects.toThrow();
    }
  });
});
