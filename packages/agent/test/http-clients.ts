/** Requests from the host side of the veth, as a peer outside the pod would send them. */
import { Agent, request } from "node:http";
import { connect } from "node:http2";
import * as grpc from "@grpc/grpc-js";

export interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  trailers?: Record<string, string | string[] | undefined>;
}

export function http1(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; agent?: Agent | false; localAddress?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "GET", headers: options.headers, agent: options.agent ?? false, localAddress: options.localAddress, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`timeout: ${url}`)));
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Several HTTP/2 requests on one connection (multiplexed). */
export async function http2Requests(origin: string, requests: Array<{ path: string; headers?: Record<string, string>; body?: string }>): Promise<Answer[]> {
  const session = connect(origin);
  session.on("error", () => {});
  try {
    return await Promise.all(
      requests.map(
        (r) =>
          new Promise<Answer>((resolve, reject) => {
            const stream = session.request({ ":method": r.body ? "POST" : "GET", ":path": r.path, ...r.headers });
            const chunks: Buffer[] = [];
            let headers: Record<string, string | string[] | undefined> = {};
            let trailers: Record<string, string | string[] | undefined> | undefined;
            stream.on("response", (h) => (headers = h));
            stream.on("trailers", (t) => (trailers = t));
            stream.on("data", (c: Buffer) => chunks.push(c));
            stream.on("end", () => resolve({ status: Number(headers[":status"]), body: Buffer.concat(chunks).toString(), headers, trailers }));
            stream.on("error", reject);
            stream.end(r.body);
          }),
      ),
    );
  } finally {
    // Every answer is in; a graceful close would wait on the server's side of the socket.
    session.destroy();
  }
}

const identity = (b: Buffer): Buffer => b;
const echoService = {
  Say: { path: "/test.Echo/Say", requestStream: false, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity },
};

/** A real gRPC unary call with grpc-js. */
export function grpcSay(address: string, text: string, metadata: Record<string, string> = {}): Promise<string> {
  const Client = grpc.makeGenericClientConstructor(echoService, "Echo");
  const client = new Client(address, grpc.credentials.createInsecure());
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(metadata)) md.set(k, v);
  return new Promise((resolve, reject) => {
    (client as unknown as { Say: (req: Buffer, md: grpc.Metadata, cb: (e: Error | null, r?: Buffer) => void) => void }).Say(Buffer.from(text), md, (error, reply) => {
      client.close();
      if (error) reject(error);
      else resolve(reply!.toString());
    });
  });
}

/** A gRPC message frame: flag byte, 4-byte length, payload. */
export function grpcFrame(payload: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(payload.length, 1);
  return Buffer.concat([header, payload]);
}
