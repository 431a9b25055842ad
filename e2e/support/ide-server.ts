/**
 * The real IDE server (packages/core/dist/ide-server.js, what the IDE packages ship) as a child
 * process, and a JSON-RPC client over LSP base framing that speaks to it as the VS Code
 * extension's language client does: initialize with the protocol version, initialized,
 * requests, work-done progress (server-created tokens accepted), notifications recorded.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { PROTOCOL_VERSION } from "@mirrord-ts/core/ide-protocol";
import { KUBECONFIG_PATH } from "../cluster/index.js";
import { REPO } from "./ide-plugin.js";

export const IDE_SERVER = path.join(REPO, "packages/core/dist/ide-server.js");

interface Message {
  jsonrpc: "2.0";
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export class IdeServerClient {
  readonly child: ChildProcessWithoutNullStreams;
  /** Notifications from the server, in order ($/progress, mirrord/sessionEnded, window/logMessage, …). */
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #stderr = "";
  #buffer = Buffer.alloc(0);
  #nextId = 1;
  readonly #pending = new Map<number | string, { resolve: (m: Message) => void; reject: (e: Error) => void }>();

  private constructor(cwd: string, env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [IDE_SERVER, "--stdio"], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stderr.on("data", (chunk: Buffer) => (this.#stderr += chunk.toString()));
    this.child.stdout.on("data", (chunk: Buffer) => this.#read(chunk));
    this.exited = new Promise((resolve) => this.child.once("exit", (code, signal) => resolve({ code, signal })));
    void this.exited.then(({ code, signal }) => {
      for (const [, waiter] of this.#pending) waiter.reject(new Error(`the IDE server exited (${signal ?? code})\n${this.#stderr}`));
      this.#pending.clear();
    });
  }

  /** Starts the server (KUBECONFIG of the test cluster) and runs LSP's initialize/initialized. */
  static async start(cwd: string, env: Record<string, string | undefined> = {}): Promise<IdeServerClient> {
    const merged: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: KUBECONFIG_PATH, ...env };
    for (const name of ["MIRRORD_CONFIG_FILE", "MIRRORD_PROGRESS_MODE", "MIRRORD_IMPERSONATED_TARGET"]) if (!(name in env)) delete merged[name];
    const client = new IdeServerClient(cwd, merged);
    try {
      await client.request("initialize", {
        processId: process.pid,
        rootUri: null,
        capabilities: { window: { workDoneProgress: true } },
        initializationOptions: { protocolVersion: PROTOCOL_VERSION },
      });
      client.notify("initialized", {});
      return client;
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  /** The server's log (stderr). */
  log(): string {
    return this.#stderr;
  }

  request<T>(method: string, params: unknown, timeoutMs = 180_000): Promise<T> {
    const id = this.#nextId++;
    this.#write({ jsonrpc: "2.0", id, method, params });
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${method}: no answer from the IDE server in ${timeoutMs} ms\n${this.#stderr}`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (message) => {
          clearTimeout(timer);
          if (message.error) {
            const error = new Error(`${method}: ${message.error.message}`) as Error & { code?: number; data?: unknown };
            error.code = message.error.code;
            error.data = message.error.data;
            reject(error);
          } else resolve(message.result as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  notify(method: string, params: unknown): void {
    this.#write({ jsonrpc: "2.0", method, params });
  }

  /** The `$/progress` values reported on one token, in order. */
  progress(token: string | number): { kind: string; message?: string; title?: string; percentage?: number }[] {
    return this.notifications
      .filter((n) => n.method === "$/progress" && (n.params as { token: unknown }).token === token)
      .map((n) => (n.params as { value: { kind: string; message?: string; title?: string; percentage?: number } }).value);
  }

  /** LSP's shutdown and exit, or stdin closed; SIGKILL (by PID) if it does not go within `timeoutMs`. */
  async close(timeoutMs = 60_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      await this.request("shutdown", null, 10_000);
      this.notify("exit", null);
    } catch {
      // already going
    }
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  #write(message: Message): void {
    const body = Buffer.from(JSON.stringify(message), "utf8");
    this.child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]));
  }

  #read(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const headerEnd = this.#buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.#buffer.subarray(0, headerEnd).toString("ascii"))?.[1]);
      if (this.#buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.#buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8")) as Message;
      this.#buffer = this.#buffer.subarray(headerEnd + 4 + length);
      if (message.method !== undefined && message.id !== undefined) {
        // Server → client requests: accept progress tokens, answer the rest with null as a client without the feature would.
        this.#write({ jsonrpc: "2.0", id: message.id, result: null });
      } else if (message.method !== undefined) {
        this.notifications.push({ method: message.method, params: message.params });
      } else if (message.id !== undefined) {
        this.#pending.get(message.id)?.resolve(message);
        this.#pending.delete(message.id);
      }
    }
  }
}
