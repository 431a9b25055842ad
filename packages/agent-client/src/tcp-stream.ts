/** An outgoing TCP connection made by the agent, as a Node Duplex. */
import { Duplex } from "node:stream";
import type * as grpc from "@grpc/grpc-js";
import type { SocketAddress__Output, TcpAgentMessage__Output, TcpClientMessage } from "@mirrord-ts/protocol";
import { AgentCallError } from "./errors.js";

export class AgentTcpStream extends Duplex {
  local: SocketAddress__Output | undefined;

  constructor(private readonly call: grpc.ClientDuplexStream<TcpClientMessage, TcpAgentMessage__Output>) {
    super({ allowHalfOpen: true });
    call.on("data", (message: TcpAgentMessage__Output) => {
      if (message.message === "data" && message.data) {
        if (!this.push(message.data)) call.pause();
      } else if (message.message === "shutdown") {
        this.push(null);
      } else if (message.message === "error" && message.error) {
        this.destroy(new AgentCallError(message.error.message, undefined, message.error.code));
      }
    });
    call.on("end", () => {
      this.push(null);
      if (!this.destroyed) this.destroy();
    });
    call.on("error", (error: grpc.ServiceError) => {
      if (error.code !== 1) this.destroy(new AgentCallError(error.details, error.code, undefined));
    });
  }

  override _read(): void {
    this.call.resume();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.call.write({ data: chunk })) callback();
    else this.call.once("drain", () => callback());
  }
  override _final(callback: (error?: Error | null) => void): void {
    this.call.write({ shutdown: {} });
    callback();
  }
  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.call.cancel();
    callback(error);
  }
}
