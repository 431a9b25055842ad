/**
 * Tells HTTP/1, HTTP/2 (prior knowledge, h2c: what gRPC without TLS speaks) and anything
 * else apart from a connection's first bytes, and hands back the bytes it read. A peer
 * that sends nothing (a server-speaks-first protocol) is "other" after waitMs.
 */
import type { Socket } from "node:net";

export type WireProtocol = "http1" | "http2" | "other";

const H2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
const HTTP1_REQUEST_LINE = /^[A-Z][A-Z-]{1,15} [^ \r\n]+ HTTP\/1\.[01]\r?\n/;
const MAX_HEAD = 16 * 1024;

export function classify(head: Buffer): WireProtocol | "more" {
  const prefix = head.subarray(0, H2_PREFACE.length);
  if (H2_PREFACE.subarray(0, prefix.length).equals(prefix)) return head.length >= H2_PREFACE.length ? "http2" : "more";
  const text = head.subarray(0, Math.min(head.length, MAX_HEAD)).toString("latin1");
  if (HTTP1_REQUEST_LINE.test(text)) return "http1";
  if (!text.includes("\n") && head.length < MAX_HEAD && /^[A-Z][A-Z-]*( [^ \r\n]*( [A-Z/0-9.]*\r?)?)?$/.test(text)) return "more";
  return "other";
}

export function sniff(socket: Socket, waitMs: number): Promise<{ protocol: WireProtocol; head: Buffer }> {
  return new Promise((resolve) => {
    let head = Buffer.alloc(0);
    let settled = false;
    const finish = (protocol: WireProtocol): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off("readable", onReadable);
      socket.off("end", onEnd);
      resolve({ protocol, head });
    };
    const onReadable = (): void => {
      let chunk: Buffer | null;
      while ((chunk = socket.read() as Buffer | null) !== null) head = Buffer.concat([head, chunk]);
      const verdict = classify(head);
      if (verdict !== "more") finish(verdict);
    };
    const onEnd = (): void => finish("other");
    const timer = setTimeout(() => finish("other"), waitMs);
    socket.on("readable", onReadable);
    socket.once("end", onEnd);
  });
}
