// One resumable download: HTTP range requests into a ".part" file in a staging folder, retried from
// where it stopped when the connection drops, verified with sha256 (against the catalog, or the hash the
// server publishes: Hugging Face sends a file's sha256 as X-Linked-ETag) and checked as a GGUF before it
// is moved to where models are expected. A failed check deletes the file and says so.
//
// Why not node-llama-cpp's createModelDownloader (ipull underneath): it exposes no pause, and ipull
// 3.9.5 resumes only whole chunks (5 MB as node-llama-cpp sets them); in our tests it restarted from
// byte 0 after both a close and a killed process, with its .ipull progress file present. A download that
// survives cut connections, pauses and restarts is the point here, so this is plain range requests.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat, statfs, copyFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { checkGguf } from './ggufCheck.ts';
import { errorMessage } from '../../../shared/errors.ts';

export class DownloadError extends Error {
  /** Whether the ".part" file was kept, so a resume continues where this stopped. */
  readonly resumable: boolean;
  constructor(message: string, resumable: boolean) {
    super(message);
    this.resumable = resumable;
  }
}

/** `hf:user/repo/path/file.gguf[#branch]` → its resolve URL; http(s) URLs as they are. */
export function resolveModelUrl(uri: string, hfEndpoint = 'https://huggingface.co'): string {
  if (/^https?:\/\//.test(uri)) return uri;
  const m = /^hf:([^/\s]+)\/([^/\s]+)\/([^#\s]+\.gguf)(?:#(\S+))?$/.exec(uri);
  if (!m) throw new DownloadError(`"${uri}" is not a model URI: use hf:user/repo/file.gguf or an http(s) URL`, false);
  return `${hfEndpoint}/${m[1]}/${m[2]}/resolve/${m[4] ?? 'main'}/${m[3]}`;
}

export interface Progress {
  received: number;
  total: number | null;
  bytesPerSec: number;
  secondsLeft: number | null;
}

export interface DownloadTarget {
  url: string;
  partPath: string;
  finalPath: string;
  expectedSha256: string | null;
  expectedSize: number | null;
}

export interface Downloaded {
  path: string;
  sha256: string;
  verifiedAgainst: 'catalog' | 'server' | null;
  bytes: number;
}

function get(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  redirects = 5,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, { headers, signal }, (res) => {
      const location = res.headers.location;
      if (res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && location && redirects > 0) {
        res.resume();
        resolve(get(new URL(location, url).toString(), headers, signal, redirects - 1));
      } else {
        resolve(res);
      }
    });
    request.on('error', reject);
    request.end();
  });
}

const publishedSha = (res: IncomingMessage): string | null => {
  for (const header of ['x-linked-etag', 'etag']) {
    const value = String(res.headers[header] ?? '')
      .replace(/^W\//, '')
      .replace(/"/g, '');
    if (/^[0-9a-f]{64}$/.test(value)) return value;
  }
  return null;
};

async function sizeOf(path: string): Promise<number> {
  return stat(path).then(
    (s) => s.size,
    () => 0,
  );
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** One GET from where the part file ends; resolves with the server's published hash and total size. */
async function fetchRest(
  target: DownloadTarget,
  signal: AbortSignal,
  onBytes: (received: number, total: number | null) => void,
) {
  const have = await sizeOf(target.partPath);
  const res = await get(target.url, have > 0 ? { Range: `bytes=${have}-` } : {}, signal);
  if (res.statusCode === 416 && have > 0) {
    res.resume();
    return { published: null, total: have };
  }
  if (res.statusCode !== 200 && res.statusCode !== 206) {
    res.resume();
    throw new DownloadError(
      `the server answered ${res.statusCode} ${res.statusMessage ?? ''}`.trim(),
      res.statusCode! >= 500,
    );
  }
  // A 200 to a range request means the server ignored it: start over.
  const append = res.statusCode === 206;
  const length = Number(res.headers['content-length'] ?? NaN);
  const rangeTotal = /\/(\d+)$/.exec(String(res.headers['content-range'] ?? ''))?.[1];
  const total = rangeTotal ? Number(rangeTotal) : Number.isFinite(length) ? length + (append ? have : 0) : null;
  if (target.expectedSize !== null && total !== null && total !== target.expectedSize) {
    res.resume();
    throw new DownloadError(`the server's file is ${total} bytes; the catalog says ${target.expectedSize}`, false);
  }
  let received = append ? have : 0;
  const out = createWriteStream(target.partPath, { flags: append ? 'a' : 'w' });
  await new Promise<void>((resolve, reject) => {
    res.on('data', (chunk: Buffer) => {
      received += chunk.length;
      onBytes(received, total);
    });
    res.on('aborted', () => reject(new DownloadError('the connection closed mid-file', true)));
    res.on('error', (error) => reject(new DownloadError(`the connection failed: ${error.message}`, true)));
    out.on('error', (error) => reject(new DownloadError(`cannot write ${target.partPath}: ${error.message}`, true)));
    out.on('finish', () => resolve());
    res.pipe(out);
  });
  if (total !== null && received < total)
    throw new DownloadError(`the connection closed at ${received} of ${total} bytes`, true);
  return { published: publishedSha(res), total };
}

/**
 * Downloads (or resumes) a target: retries dropped connections from where they stopped, then verifies
 * and moves the file into place. Throws DownloadError; the part file stays when `resumable`.
 */
export async function download(
  target: DownloadTarget,
  options: { signal: AbortSignal; onProgress?: (p: Progress) => void; retries?: number },
): Promise<Downloaded> {
  const started = Date.now();
  const startBytes = await sizeOf(target.partPath);
  let lastReport = 0;
  const onBytes = (received: number, total: number | null) => {
    const now = Date.now();
    if (now - lastReport < 200 && received !== total) return;
    lastReport = now;
    const bytesPerSec = ((received - startBytes) / Math.max(1, now - started)) * 1000;
    options.onProgress?.({
      received,
      total,
      bytesPerSec,
      secondsLeft: total !== null && bytesPerSec > 0 ? (total - received) / bytesPerSec : null,
    });
  };
  if (target.expectedSize !== null) {
    const free = await statfs(join(target.partPath, '..')).then((s) => s.bavail * s.bsize);
    if (free < target.expectedSize - startBytes) {
      throw new DownloadError(
        `not enough free disk: ${(free / 1e9).toFixed(2)} GB free, ${((target.expectedSize - startBytes) / 1e9).toFixed(2)} GB needed`,
        false,
      );
    }
  }
  let published: string | null = null;
  for (let attempt = 0; ; attempt++) {
    try {
      ({ published } = await fetchRest(target, options.signal, onBytes));
      break;
    } catch (error) {
      if (options.signal.aborted) throw new DownloadError('paused or cancelled', true);
      const retryable = error instanceof DownloadError ? error.resumable : true;
      if (!retryable || attempt >= (options.retries ?? 4)) {
        throw error instanceof DownloadError ? error : new DownloadError(errorMessage(error), true);
      }
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    }
  }
  const bytes = await sizeOf(target.partPath);
  const sha256 = await sha256Of(target.partPath);
  const expected = target.expectedSha256 ?? published;
  if (expected && expected !== sha256) {
    await rm(target.partPath, { force: true });
    throw new DownloadError(
      `the file's sha256 is ${sha256}, but ${target.expectedSha256 ? 'the catalog' : 'the server'} says ${expected}: it was deleted`,
      false,
    );
  }
  try {
    await checkGguf(target.partPath);
  } catch (error) {
    await rm(target.partPath, { force: true });
    throw new DownloadError(`the downloaded file is not a usable GGUF (${errorMessage(error)}): it was deleted`, false);
  }
  await rename(target.partPath, target.finalPath).catch(async () => {
    // Across file systems a rename fails; copy under a temporary name, then rename in place.
    await copyFile(target.partPath, target.finalPath + '.moving');
    await rename(target.finalPath + '.moving', target.finalPath);
    await rm(target.partPath, { force: true });
  });
  return {
    path: target.finalPath,
    sha256,
    verifiedAgainst: target.expectedSha256 ? 'catalog' : published ? 'server' : null,
    bytes,
  };
}
