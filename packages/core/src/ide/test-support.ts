/**
 * For tests: the real IDE server as a child process (from source, through tsx) and a small
 * client that speaks LSP base framing byte by byte, so tests see exactly what an IDE sees.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const SERVER_ENTRY = fileURLToPath(new URL('./main.ts', import.meta.url));
/** The `mirrord` CLI, whose `ide-server --stdio` is the same server. */
export const CLI_ENTRY = fileURLToPath(new URL('../mirrord.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

/** Environment variables that change what the server answers; tests start without them. */
export const AMBIENT_VARIABLES = ['MIRRORD_CONFIG_FILE', 'MIRRORD_IMPERSONATED_TARGET', 'MIRRORD_TARGET_NAMESPACE', 'KUBECONFIG', 'MIRRORD_PROGRESS_MODE'];

export function frame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

export interface JsonRpcMessage {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export class ServerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr = '';
  #buffer = Buffer.alloc(0);
  #waiters: (() => void)[] = [];
  #nextId = 1;

  constructor(options: { cwd: string; env?: Record<string, string>; unset?: readonly string[]; viaCli?: boolean }) {
    const env: Record<string, string | undefined> = { ...process.env, ...options.env };
    for (const name of [...AMBIENT_VARIABLES.filter((n) => !(options.env && n in options.env)), ...(options.unset ?? [])]) delete env[name];
    const entry = options.viaCli ? [CLI_ENTRY, 'ide-server', '--stdio'] : [SERVER_ENTRY, '--stdio'];
    this.child = spawn(process.execPath, ['--import', TSX, ...entry], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    this.exited.then(() => {
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  writeRaw(bytes: Buffer): void {
    this.child.stdin.write(bytes);
  }

  send(message: Omit<JsonRpcMessage, 'jsonrpc'>): void {
    this.writeRaw(frame({ jsonrpc: '2.0', ...message }));
  }

  /** Exactly `length` bytes of the server's output, or what came before the deadline. */
  async readBytes(length: number, timeoutMs = 15_000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.#buffer.length < length && Date.now() < deadline && this.child.exitCode === null && this.child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const taken = this.#buffer.subarray(0, Math.min(length, this.#buffer.length));
    this.#buffer = this.#buffer.subarray(taken.length);
    return Buffer.from(taken);
  }

  /** The next framed message; its raw bytes too. */
  async readMessage(timeoutMs = 15_000): Promise<{ message: JsonRpcMessage; raw: Buffer }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end >= 0) {
        const header = this.#buffer.subarray(0, end).toString('ascii');
        const length = Number(/Content-Length: (\d+)/i.exec(header)?.[1]);
        if (this.#buffer.length >= end + 4 + length) {
          const raw = Buffer.from(this.#buffer.subarray(0, end + 4 + length));
          this.#buffer = this.#buffer.subarray(raw.length);
          return { message: JSON.parse(raw.subarray(end + 4).toString('utf8')) as JsonRpcMessage, raw };
        }
      }
      if (Date.now() > deadline) throw new Error(`no message from the server within ${timeoutMs} ms; stderr: ${this.stderr}`);
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`the server exited; stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends a request and returns its response; server → client messages before it are collected in `others`. */
  async request(method: string, params: unknown, others: JsonRpcMessage[] = []): Promise<JsonRpcMessage> {
    const id = this.#nextId++;
    this.send({ id, method, params });
    for (;;) {
      const { message } = await this.readMessage();
      if (message.id === id && message.method === undefined) return message;
      others.push(message);
    }
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  async initialize(protocolVersion: unknown = 1, capabilities: object = {}): Promise<JsonRpcMessage> {
    const response = await this.request('initialize', { processId: null, rootUri: null, capabilities, initializationOptions: { protocolVersion } });
    if (!response.error) this.notify('initialized', {});
    return response;
  }

  /** Ends the process however it is; for cleanup after tests. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}
