// An MCP stdio transport on the SDK's own framing (ReadBuffer, serializeMessage), with what the SDK's
// StdioClientTransport leaves open: the window hidden on Windows, a cap on one message's size (a server
// flooding stdout without a newline would otherwise grow the buffer until the app runs out of memory),
// and stderr drained into a short tail for error messages instead of the app's own stderr.
import { spawn, type ChildProcess } from 'node:child_process';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export interface StdioOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Bytes one message may take on stdout before the server is stopped. */
  maxMessageBytes: number;
}

const STDERR_TAIL = 2000;

/** The variables a server gets from the app's environment: enough to start, no secrets of ours. */
const INHERITED = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TERM',
  'LANG',
  'TMPDIR',
  'TEMP',
  'TMP',
  'SYSTEMROOT',
  'APPDATA',
  'LOCALAPPDATA',
  'USERPROFILE',
  'PATHEXT',
  'COMSPEC',
  'WINDIR',
];

export class CappedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private child: ChildProcess | null = null;
  private readonly buffer = new ReadBuffer();
  private pending = 0;
  private stderrTail = '';
  private closed = false;

  private readonly options: StdioOptions;
  constructor(options: StdioOptions) {
    this.options = options;
  }

  get stderr(): string {
    return this.stderrTail;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  start(): Promise<void> {
    const env: Record<string, string> = {};
    for (const name of INHERITED) if (process.env[name] !== undefined) env[name] = process.env[name]!;
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.command, this.options.args, {
        env: { ...env, ...this.options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
        shell: false,
        windowsHide: true,
      });
      this.child = child;
      child.once('error', (error) => {
        reject(error);
        this.onerror?.(error);
        this.finish();
      });
      child.once('spawn', () => resolve());
      child.once('close', () => this.finish());
      child.stdin?.on('error', (error) => this.onerror?.(error));
      child.stderr?.on('data', (chunk: Buffer) => {
        this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
      });
      child.stdout?.on('data', (chunk: Buffer) => this.receive(chunk));
    });
  }

  private receive(chunk: Buffer) {
    this.buffer.append(chunk);
    this.pending += chunk.length;
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = this.buffer.readMessage();
      } catch (error) {
        // A line that is not a JSON-RPC message (a server printing logs to stdout): skipped, not fatal.
        this.onerror?.(error as Error);
        continue;
      }
      if (!message) break;
      this.pending = 0;
      this.onmessage?.(message);
    }
    if (this.pending > this.options.maxMessageBytes) {
      this.onerror?.(
        new Error(
          `the server sent more than ${Math.round(this.options.maxMessageBytes / 1048576)} MB without ending a message; it was stopped`,
        ),
      );
      void this.close();
    }
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      const stdin = this.child?.stdin;
      if (!stdin || this.closed) return resolve();
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  private finish() {
    if (this.closed) return;
    this.closed = true;
    this.buffer.clear();
    this.onclose?.();
  }

  async close(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.stdin?.end();
      child.kill('SIGTERM');
      // A server that ignores SIGTERM is killed outright shortly after.
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      timer.unref();
      child.once('close', () => clearTimeout(timer));
    }
    this.finish();
  }
}
