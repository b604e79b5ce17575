// A loopback HTTP server that serves a real GGUF the way Hugging Face does: HEAD and GET with range
// requests, Content-Length, Accept-Ranges, and the file's sha256 in X-Linked-ETag. Faults on demand:
// a slow trickle, a connection cut after some bytes, or an error status.
import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

export interface Fault {
  cutAfterBytes?: number;
  status?: number;
  bytesPerTick?: number;
}

export interface ModelServer {
  url: (name: string) => string;
  sha256: string;
  size: number;
  /** Every request seen: method, path and the Range header. */
  requests: { method: string; path: string; range: string | null }[];
  /** Applies to the next GET only (a cut, an error), or to all (a trickle, with `sticky`). */
  fault(fault: Fault, sticky?: boolean): void;
  close(): Promise<void>;
}

export async function startModelServer(file: string): Promise<ModelServer> {
  const body = readFileSync(file);
  const sha256 = createHash('sha256').update(body).digest('hex');
  const requests: ModelServer['requests'] = [];
  let once: Fault | null = null;
  let always: Fault = {};
  const server: Server = createServer((req, res) => {
    const range = req.headers.range ?? null;
    requests.push({ method: req.method ?? '', path: req.url ?? '', range });
    const fault = { ...always, ...(req.method === 'GET' ? (once ?? {}) : {}) };
    if (req.method === 'GET') once = null;
    if (fault.status) {
      res.writeHead(fault.status, { 'Content-Type': 'text/plain' }).end('server error');
      return;
    }
    let start = 0;
    let end = body.length - 1;
    const m = range ? /bytes=(\d+)-(\d*)/.exec(range) : null;
    if (m) {
      start = Number(m[1]);
      end = m[2] ? Math.min(Number(m[2]), end) : end;
    }
    const headers = {
      'Content-Type': 'application/octet-stream',
      'Accept-Ranges': 'bytes',
      'Content-Length': String(end - start + 1),
      'X-Linked-ETag': `"${sha256}"`,
      ETag: `"${sha256}"`,
      ...(m ? { 'Content-Range': `bytes ${start}-${end}/${body.length}` } : {}),
    };
    res.writeHead(m ? 206 : 200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    let at = start;
    const step = fault.bytesPerTick ?? 1 << 20;
    const pump = () => {
      if (res.destroyed) return;
      if (fault.cutAfterBytes !== undefined && at - start >= fault.cutAfterBytes) {
        res.socket?.destroy();
        return;
      }
      const next = Math.min(
        end + 1,
        at + step,
        fault.cutAfterBytes !== undefined ? start + fault.cutAfterBytes : Infinity,
      );
      res.write(body.subarray(at, next));
      at = next;
      if (at > end) res.end();
      else setTimeout(pump, fault.bytesPerTick ? 10 : 0);
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}`,
    sha256,
    size: body.length,
    requests,
    fault(fault, sticky = false) {
      if (sticky) always = fault;
      else once = fault;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
