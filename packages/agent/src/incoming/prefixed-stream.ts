/**
 * A socket's stream with the bytes already read put back in front. http/http2 servers
 * take it through emit("connection"); a plain Duplex keeps them from bypassing the JS
 * stream (they read a net.Socket's handle directly, which would skip the sniffed head).
 */
import { Duplex } from "node:stream";
import type { Socket } from "node:net";

export class PrefixedStream extends Duplex {
  constructor(
    readonly socket: Socket,
    head: Buffer,
  ) {
    super({ allowHalfOpen: true });
    if (head.length > 0) this.push(head);
    socket.on("data", (chunk: Buffer) => {
      if (!this.push(chunk)) socket.pause();
    });
    socket.on("end", () => this.push(null));
    socket.on("error", (error) => this.destroy(error));
    socket.on("close", () => this.destroy());
  }

  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }
  get remotePort(): number | undefined {
    return this.socket.remotePort;
  }
  get localAddress(): string | undefined {
    return this.socket.localAddress;
  }
  get localPort(): number | undefined {
    return this.socket.localPort;
  }
  setTimeout(ms: number, callback?: () => void): this {
    this.socket.setTimeout(ms, callback);
    return this;
  }
  setNoDelay(noDelay?: boolean): this {
    this.socket.setNoDelay(noDelay);
    return this;
  }
  setKeepAlive(enable?: boolean, delay?: number): this {
    this.socket.setKeepAlive(enable, delay);
    return this;
  }

  override _read(): void {
    this.socket.resume();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.socket.write(chunk, callback);
  }
  override _final(callback: (error?: Error | null) => void): void {
    this.socket.end(callback);
  }
  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.socket.destroy(error ?? undefined);
    callback(error);
  }
}
