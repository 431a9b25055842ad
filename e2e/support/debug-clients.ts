/**
 * Minimal debugger clients for the IDE-path e2e tests: a DAP client over TCP (what VS Code
 * speaks to debugpy's adapter) and a Chrome DevTools Protocol client over a WebSocket (what
 * VS Code's js-debug speaks to Node's inspector). Loopback only.
 */
import { createHash, randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";

export class DapClient {
  #seq = 1;
  #buffer = Buffer.alloc(0);
  readonly events: { event: string; body?: unknown }[] = [];
  readonly #waiting = new Map<number, (response: DapResponse) => void>();

  private constructor(private readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      for (;;) {
        const headerEnd = this.#buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(this.#buffer.subarray(0, headerEnd).toString())?.[1]);
        if (this.#buffer.length < headerEnd + 4 + length) return;
        const message = JSON.parse(this.#buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as { type: string; event?: string; body?: unknown; request_seq?: number };
        this.#buffer = this.#buffer.subarray(headerEnd + 4 + length);
        if (message.type === "event") this.events.push({ event: message.event!, body: message.body });
        if (message.type === "response") this.#waiting.get(message.request_seq!)?.(message as unknown as DapResponse);
        if (message.type === "request") this.#reverseRequest(message as unknown as { seq: number; command: string; arguments?: unknown });
      }
    });
  }

  static connect(port: number, timeoutMs = 20_000): Promise<DapClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => resolve(new DapClient(socket)));
      socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`DAP connection to 127.0.0.1:${port} timed out`)));
      socket.once("error", reject);
    });
  }

  /** Sends a request; the promise is its response (rejects when success is false). */
  request(command: string, args: unknown = {}, timeoutMs = 30_000): Promise<DapResponse> {
    const seq = this.#seq++;
    const payload = Buffer.from(JSON.stringify({ seq, type: "request", command, arguments: args }));
    this.socket.write(Buffer.concat([Buffer.from(`Content-Length: ${payload.length}\r\n\r\n`), payload]));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`DAP ${command}: no response in ${timeoutMs} ms`)), timeoutMs);
      this.#waiting.set(seq, (response) => {
        clearTimeout(timer);
        this.#waiting.delete(seq);
        if (response.success) resolve(response);
        else reject(new Error(`DAP ${command} failed: ${response.message ?? ""}`));
      });
    });
  }

  /** Reverse requests (runInTerminal, startDebugging) are refused, as by a client without those capabilities. */
  #reverseRequest(request: { seq: number; command: string }): void {
    const payload = Buffer.from(JSON.stringify({ seq: this.#seq++, type: "response", request_seq: request.seq, command: request.command, success: false, message: `${request.command} is not supported by this client` }));
    this.socket.write(Buffer.concat([Buffer.from(`Content-Length: ${payload.length}\r\n\r\n`), payload]));
  }

  /** The body of the first `event` at index `from` or later in `events`, and its index. */
  async nextEvent<T = unknown>(event: string, from: number, timeoutMs = 30_000, match: (body: T) => boolean = () => true): Promise<{ body: T; index: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = from; i < this.events.length; i++) {
        const e = this.events[i]!;
        if (e.event === event && match(e.body as T)) return { body: e.body as T, index: i };
      }
      if (Date.now() > deadline) throw new Error(`no DAP "${event}" event in ${timeoutMs} ms (after #${from}: ${this.events.slice(from).map((e) => e.event).join(", ")})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Everything the adapter sent as `output` events (the debuggee's stdout/stderr under internalConsole). */
  output(): string {
    return this.events.filter((e) => e.event === "output").map((e) => (e.body as { output?: string }).output ?? "").join("");
  }

  async waitForEvent(event: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.events.some((e) => e.event === event)) {
      if (Date.now() > deadline) throw new Error(`no DAP "${event}" event in ${timeoutMs} ms (got ${this.events.map((e) => e.event).join(", ")})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

export interface DapResponse {
  success: boolean;
  command: string;
  message?: string;
  body?: unknown;
}

/** A WebSocket client (RFC 6455, text frames, no extensions) that speaks CDP. */
export class CdpClient {
  #buffer = Buffer.alloc(0);
  #id = 1;
  readonly #waiting = new Map<number, (message: { result?: unknown; error?: unknown }) => void>();

  private constructor(private readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      for (;;) {
        const frame = readFrame(this.#buffer);
        if (!frame) return;
        this.#buffer = this.#buffer.subarray(frame.size);
        if (frame.opcode !== 1) continue;
        const message = JSON.parse(frame.payload.toString()) as { id?: number; result?: unknown; error?: unknown };
        if (message.id !== undefined) this.#waiting.get(message.id)?.(message);
      }
    });
  }

  /** Connects to ws://127.0.0.1:port/path (from /json/list's webSocketDebuggerUrl). */
  static connect(url: string, timeoutMs = 20_000): Promise<CdpClient> {
    const { hostname, port, pathname } = new URL(url);
    if (hostname !== "127.0.0.1" && hostname !== "localhost") throw new Error(`not a loopback inspector: ${url}`);
    return new Promise((resolve, reject) => {
      const key = randomBytes(16).toString("base64");
      const socket = connect(Number(port), "127.0.0.1", () => {
        socket.write(`GET ${pathname} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
      });
      const timer = setTimeout(() => socket.destroy(new Error(`WebSocket handshake with ${url} timed out`)), timeoutMs);
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) return;
        socket.off("data", onData);
        clearTimeout(timer);
        const text = head.subarray(0, end).toString();
        const accept = createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
        if (!/^HTTP\/1\.1 101/.test(text) || !text.includes(accept)) return reject(new Error(`WebSocket handshake refused: ${text}`));
        const client = new CdpClient(socket);
        if (head.length > end + 4) socket.emit("data", head.subarray(end + 4));
        resolve(client);
      };
      socket.on("data", onData);
      socket.once("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  send(method: string, params: unknown = {}, timeoutMs = 20_000): Promise<{ result?: unknown; error?: unknown }> {
    const id = this.#id++;
    const payload = Buffer.from(JSON.stringify({ id, method, params }));
    const mask = randomBytes(4);
    const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
    let header: Buffer;
    if (payload.length < 126) header = Buffer.from([0x81, 0x80 | payload.length]);
    else {
      header = Buffer.alloc(4);
      header[0] = 0x81;
      header[1] = 0x80 | 126;
      header.writeUInt16BE(payload.length, 2);
    }
    this.socket.write(Buffer.concat([header, mask, masked]));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`CDP ${method}: no answer in ${timeoutMs} ms`)), timeoutMs);
      this.#waiting.set(id, (message) => {
        clearTimeout(timer);
        this.#waiting.delete(id);
        resolve(message);
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

function readFrame(buffer: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
  if (buffer.length < 2) return undefined;
  const opcode = buffer[0]! & 0x0f;
  let length = buffer[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return undefined;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return undefined;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  if (buffer.length < offset + length) return undefined;
  return { opcode, payload: buffer.subarray(offset, offset + length), size: offset + length };
}
