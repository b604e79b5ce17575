// Checks a GGUF file before any native code sees it: magic, version, sane counts, every key-value
// and tensor header readable, and every tensor's data inside the file (BigInt arithmetic throughout,
// since offsets and sizes are u64 and a crafted file can overflow a double).
import { open, type FileHandle } from 'node:fs/promises';
import { ggmlTypes } from '../../../shared/ggmlTypes.ts';
import { errorMessage } from '../../../shared/errors.ts';

export class GgufError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GgufError';
  }
}

export interface GgufSummary {
  version: number;
  tensorCount: number;
  metadata: Map<string, unknown>;
  fileSize: number;
  dataOffset: bigint;
  /** Where each key-value entry (key, type and value) lies in the file, to copy it byte for byte. */
  kvRanges: Map<string, [number, number]>;
}

const MAX_TENSORS = 1_000_000n;
const MAX_KV = 100_000n;
const MAX_ARRAY = 50_000_000n;
const MAX_DIMS = 4;
const CHUNK = 1 << 20;

class Reader {
  private buffer = Buffer.alloc(0);
  private bufferStart = 0n;
  pos = 0n;
  private readonly file: FileHandle;
  readonly size: bigint;
  constructor(file: FileHandle, size: bigint) {
    this.file = file;
    this.size = size;
  }

  private async ensure(n: bigint, what: string): Promise<void> {
    if (this.pos + n > this.size) {
      throw new GgufError(
        `File ends inside ${what} (at byte ${this.pos}, needs ${n} more, file is ${this.size} bytes): truncated or corrupt`,
      );
    }
    const end = this.bufferStart + BigInt(this.buffer.length);
    if (this.pos >= this.bufferStart && this.pos + n <= end) return;
    const want = Number(n > BigInt(CHUNK) ? n : BigInt(CHUNK));
    const length = Number(this.size - this.pos < BigInt(want) ? this.size - this.pos : BigInt(want));
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.file.read(buffer, 0, length, Number(this.pos));
    this.buffer = buffer.subarray(0, bytesRead);
    this.bufferStart = this.pos;
    if (BigInt(bytesRead) < n) throw new GgufError(`Could not read ${what} at byte ${this.pos}`);
  }

  private at(): number {
    return Number(this.pos - this.bufferStart);
  }

  async u8(what: string) {
    await this.ensure(1n, what);
    const v = this.buffer.readUInt8(this.at());
    this.pos += 1n;
    return v;
  }
  async u32(what: string) {
    await this.ensure(4n, what);
    const v = this.buffer.readUInt32LE(this.at());
    this.pos += 4n;
    return v;
  }
  async u64(what: string) {
    await this.ensure(8n, what);
    const v = this.buffer.readBigUInt64LE(this.at());
    this.pos += 8n;
    return v;
  }
  skip(n: bigint, what: string) {
    if (this.pos + n > this.size) throw new GgufError(`File ends inside ${what}: truncated or corrupt`);
    this.pos += n;
  }

  async string(what: string): Promise<string> {
    const length = await this.u64(`${what} length`);
    if (length > this.size - this.pos) throw new GgufError(`${what} claims ${length} bytes, past the end of the file`);
    if (length > 16_777_216n) throw new GgufError(`${what} is ${length} bytes long, more than any real model uses`);
    await this.ensure(length, what);
    const v = this.buffer.toString('utf8', this.at(), this.at() + Number(length));
    this.pos += length;
    return v;
  }
}

// GGUF value types: fixed sizes for scalars, 8 = string, 9 = array.
const scalarSize: Record<number, bigint> = {
  0: 1n,
  1: 1n,
  2: 2n,
  3: 2n,
  4: 4n,
  5: 4n,
  6: 4n,
  7: 1n,
  10: 8n,
  11: 8n,
  12: 8n,
};

async function readValue(r: Reader, type: number, key: string, depth = 0): Promise<unknown> {
  if (type === 8) return r.string(`value of ${key}`);
  if (type === 9) {
    if (depth > 0) throw new GgufError(`Key ${key} holds nested arrays, which GGUF does not allow`);
    const itemType = await r.u32(`array type of ${key}`);
    const count = await r.u64(`array length of ${key}`);
    if (count > MAX_ARRAY) throw new GgufError(`Key ${key} claims ${count} array items`);
    const size = scalarSize[itemType];
    if (size !== undefined) {
      if (count * size > r.size - r.pos) throw new GgufError(`Array ${key} runs past the end of the file`);
      r.skip(count * size, `array ${key}`);
      return { arrayOf: itemType, length: Number(count) };
    }
    if (itemType !== 8) throw new GgufError(`Key ${key} has unknown array item type ${itemType}`);
    if (count * 8n > r.size - r.pos) throw new GgufError(`Array ${key} runs past the end of the file`);
    const keep = key === 'tokenizer.ggml.tokens' ? 0 : 64;
    const items: string[] = [];
    for (let i = 0n; i < count; i++) {
      const s = await r.string(`item ${i} of ${key}`);
      if (items.length < keep) items.push(s);
    }
    return { arrayOf: 8, length: Number(count), head: items };
  }
  const size = scalarSize[type];
  if (size === undefined) throw new GgufError(`Key ${key} has unknown value type ${type}`);
  switch (type) {
    case 0:
    case 1:
    case 7:
      return r.u8(key);
    case 4:
    case 5:
      return r.u32(key);
    case 10:
    case 11:
      return r.u64(key);
    default:
      r.skip(size, key);
      return null;
  }
}

export async function checkGguf(path: string): Promise<GgufSummary> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new GgufError(`No file at ${path}`);
    if (code === 'EISDIR') throw new GgufError(`${path} is a folder, not a GGUF file`);
    throw new GgufError(`Cannot open ${path}: ${errorMessage(error)}`);
  }
  try {
    const stats = await file.stat();
    if (stats.isDirectory()) throw new GgufError(`${path} is a folder, not a GGUF file`);
    if (!stats.isFile()) throw new GgufError(`${path} is not a regular file`);
    const { size } = stats;
    const r = new Reader(file, BigInt(size));
    if (size < 24) throw new GgufError(`File is ${size} bytes, too small to be a GGUF model`);
    const magic = Buffer.alloc(4);
    await file.read(magic, 0, 4, 0);
    if (magic.toString('latin1') !== 'GGUF') {
      throw new GgufError(
        `Not a GGUF file: it starts with ${JSON.stringify(magic.toString('latin1'))} instead of "GGUF"`,
      );
    }
    r.pos = 4n;
    const version = await r.u32('version');
    if (version !== 2 && version !== 3) throw new GgufError(`Unsupported GGUF version ${version} (supported: 2 and 3)`);
    const tensorCount = await r.u64('tensor count');
    const kvCount = await r.u64('key count');
    if (tensorCount > MAX_TENSORS)
      throw new GgufError(`Header claims ${tensorCount} tensors; no real model has that many`);
    if (kvCount > MAX_KV) throw new GgufError(`Header claims ${kvCount} metadata keys; no real model has that many`);

    const metadata = new Map<string, unknown>();
    const kvRanges = new Map<string, [number, number]>();
    for (let i = 0n; i < kvCount; i++) {
      const start = Number(r.pos);
      const key = await r.string(`key ${i}`);
      if (key.length === 0) throw new GgufError(`Metadata key ${i} is an empty string`);
      const type = await r.u32(`type of ${key}`);
      metadata.set(key, await readValue(r, type, key));
      kvRanges.set(key, [start, Number(r.pos)]);
    }

    const alignmentValue = metadata.get('general.alignment');
    const alignment = typeof alignmentValue === 'number' ? BigInt(alignmentValue) : 32n;
    if (alignment === 0n || (alignment & (alignment - 1n)) !== 0n)
      throw new GgufError(`general.alignment ${alignment} is not a power of two`);

    const names = new Set<string>();
    const tensors: { name: string; offset: bigint; bytes: bigint }[] = [];
    for (let i = 0n; i < tensorCount; i++) {
      const name = await r.string(`tensor ${i} name`);
      if (name.length === 0) throw new GgufError(`Tensor ${i} has an empty name`);
      if (names.has(name)) throw new GgufError(`Tensor name ${name} appears twice`);
      names.add(name);
      const dims = await r.u32(`dimension count of ${name}`);
      if (dims < 1 || dims > MAX_DIMS)
        throw new GgufError(`Tensor ${name} has ${dims} dimensions (1 to ${MAX_DIMS} allowed)`);
      let elements = 1n;
      let first = 0n;
      for (let d = 0; d < dims; d++) {
        const n = await r.u64(`shape of ${name}`);
        if (n === 0n) throw new GgufError(`Tensor ${name} has a zero-length dimension`);
        if (d === 0) first = n;
        elements *= n;
      }
      const typeId = await r.u32(`type of ${name}`);
      const type = ggmlTypes[typeId];
      if (!type) throw new GgufError(`Tensor ${name} has unknown type ${typeId}`);
      if (first % BigInt(type.blockSize) !== 0n)
        throw new GgufError(`Tensor ${name}: row of ${first} is not a whole number of ${type.name} blocks`);
      const offset = await r.u64(`offset of ${name}`);
      if (offset % alignment !== 0n)
        throw new GgufError(`Tensor ${name} offset ${offset} is not aligned to ${alignment}`);
      tensors.push({ name, offset, bytes: (elements / BigInt(type.blockSize)) * BigInt(type.bytesPerBlock) });
    }
    const dataOffset = ((r.pos + alignment - 1n) / alignment) * alignment;
    for (const t of tensors) {
      const end = dataOffset + t.offset + t.bytes;
      if (end > r.size) {
        throw new GgufError(
          `Tensor ${t.name} ends at byte ${end}, past the end of the file (${r.size} bytes): the file is truncated or corrupt`,
        );
      }
    }
    return { version, tensorCount: Number(tensorCount), metadata, fileSize: size, dataOffset, kvRanges };
  } finally {
    await file.close();
  }
}
