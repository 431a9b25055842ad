// A tiny DNS responder on 127.0.0.1 (UDP and TCP on one port): every A query
// is answered with ANSWER_IP, everything else with an empty NOERROR. It
// records the names it was asked for.
import dgram from "node:dgram";
import net from "node:net";

export const ANSWER_IP = "198.51.100.99";

/** The answer to one query message, or undefined when it cannot be parsed. */
export function dnsAnswer(query: Buffer, asked: string[]): Buffer | undefined {
  if (query.length < 12) return undefined;
  let off = 12;
  const labels: string[] = [];
  while (off < query.length && query[off] !== 0) {
    const n = query[off]!;
    labels.push(query.subarray(off + 1, off + 1 + n).toString());
    off += n + 1;
  }
  const qtype = query.readUInt16BE(off + 1);
  const questionEnd = off + 5;
  if (questionEnd > query.length) return undefined;
  asked.push(`${labels.join(".")}/${qtype}`);
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // id
  const rd = query[2]! & 1;
  header.writeUInt16BE(0x8080 | (rd << 8), 2); // QR, RA, RD as asked, NOERROR
  header.writeUInt16BE(1, 4);
  const a = qtype === 1;
  header.writeUInt16BE(a ? 1 : 0, 6);
  const question = query.subarray(12, questionEnd);
  if (!a) return Buffer.concat([header, question]);
  const answer = Buffer.alloc(16);
  answer.writeUInt16BE(0xc00c, 0); // name: pointer to the question
  answer.writeUInt16BE(1, 2); // A
  answer.writeUInt16BE(1, 4); // IN
  answer.writeUInt32BE(60, 6);
  answer.writeUInt16BE(4, 10);
  ANSWER_IP.split(".").forEach((o, i) => answer.writeUInt8(Number(o), 12 + i));
  return Buffer.concat([header, question, answer]);
}

export class DnsResponder {
  readonly asked: string[] = [];
  private constructor(
    readonly port: number,
    private readonly udp: dgram.Socket,
    private readonly tcp: net.Server,
  ) {}

  static async start(): Promise<DnsResponder> {
    for (let attempt = 0; ; attempt++) {
      const udp = dgram.createSocket("udp4");
      await new Promise<void>((r) => udp.bind(0, "127.0.0.1", r));
      const port = udp.address().port;
      const tcp = net.createServer();
      try {
        await new Promise<void>((resolve, reject) => {
          tcp.once("error", reject);
          tcp.listen(port, "127.0.0.1", resolve);
        });
      } catch (err) {
        udp.close();
        if (attempt < 10) continue;
        throw err;
      }
      const responder = new DnsResponder(port, udp, tcp);
      udp.on("message", (msg, rinfo) => {
        const reply = dnsAnswer(msg, responder.asked);
        if (reply) udp.send(reply, rinfo.port, rinfo.address);
      });
      tcp.on("connection", (c) => {
        let buf = Buffer.alloc(0);
        c.on("data", (d: Buffer) => {
          buf = Buffer.concat([buf, d]);
          while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
            const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
            buf = buf.subarray(2 + msg.length);
            const reply = dnsAnswer(msg, responder.asked);
            if (reply) {
              const len = Buffer.alloc(2);
              len.writeUInt16BE(reply.length);
              c.write(Buffer.concat([len, reply]));
            }
          }
        });
        c.on("error", () => {});
      });
      return responder;
    }
  }

  async close(): Promise<void> {
    this.udp.close();
    await new Promise((r) => this.tcp.close(r));
  }
}
