/**
 * The session's DNS server on 127.0.0.1 (UDP and TCP, one port). The layer redirects a
 * process's connections to its nameserver here; A/AAAA questions are answered as the target
 * pod would resolve the name (the agent applies the pod's resolv.conf: search domains, ndots),
 * other questions and names the DNS filter keeps local go to the machine's own nameserver.
 * Every answer is remembered so outgoing filters written with names can match addresses.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import dnsPacket, { type Answer, type Packet, type Question } from 'dns-packet';

export interface HostLookup {
  /** Addresses of `name` as the pod resolves it; `notFound` for NXDOMAIN. */
  lookup(name: string, family: 4 | 6): Promise<{ addresses: string[] } | { notFound: true } | { failed: string }>;
}

export interface DnsServerOptions {
  readonly remote: HostLookup;
  /** True when the name must be resolved on this machine (DNS filter). */
  readonly resolveLocally: (name: string) => boolean;
  /** The machine's nameserver, for local names and non-address questions. */
  readonly upstream: { readonly ip: string; readonly port: number } | null;
  /** Seconds the answers may be cached by the process. */
  readonly ttl?: number;
}

export class DnsServer {
  readonly #names = new Map<string, Set<string>>();
  #udp: UdpSocket | undefined;
  #tcp: Server | undefined;
  readonly #tcpSockets = new Set<Socket>();
  port = 0;

  constructor(private readonly options: DnsServerOptions) {}

  /** Names the session's DNS gave this address for. */
  namesOf = (ip: string): ReadonlySet<string> | undefined => this.#names.get(ip);

  async start(): Promise<void> {
    const tcp = createServer((socket) => this.#serveTcp(socket));
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(0, '127.0.0.1', () => resolve());
    });
    this.#tcp = tcp;
    this.port = (tcp.address() as { port: number }).port;
    // The same port number for UDP, so one redirect target serves both protocols.
    const udp = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(this.port, '127.0.0.1', () => resolve());
    });
    udp.on('message', (message, rinfo) => {
      void this.answer(message).then((reply) => reply && udp.send(reply, rinfo.port, rinfo.address));
    });
    this.#udp = udp;
  }

  async close(): Promise<void> {
    for (const socket of this.#tcpSockets) socket.destroy();
    await Promise.all([
      new Promise<void>((resolve) => (this.#tcp ? this.#tcp.close(() => resolve()) : resolve())),
      new Promise<void>((resolve) => (this.#udp ? this.#udp.close(() => resolve()) : resolve())),
    ]);
  }

  #serveTcp(socket: Socket): void {
    this.#tcpSockets.add(socket);
    socket.on('close', () => this.#tcpSockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < 2 + length) break;
        const message = buffered.subarray(2, 2 + length);
        buffered = buffered.subarray(2 + length);
        void this.answer(message).then((reply) => {
          if (!reply || socket.destroyed) return;
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(reply.length);
          socket.write(Buffer.concat([prefix, reply]));
        });
      }
    });
  }

  /** The reply to one DNS message, or undefined when it cannot be parsed (dropped, as a server would). */
  async answer(message: Buffer): Promise<Buffer | undefined> {
    let query: Packet;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return undefined;
    }
    const question = query.questions?.[0];
    const reply = (rcode: string, answers: Answer[] = []) =>
      dnsPacket.encode({
        type: 'response',
        id: query.id ?? 0,
        flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | rcodeFlag(rcode),
        questions: query.questions ?? [],
        answers,
      });
    if (!question) return reply('FORMERR');
    const name = question.name.replace(/\.$/, '').toLowerCase();
    const addressQuestion = question.type === 'A' || question.type === 'AAAA';
    if (!addressQuestion || this.options.resolveLocally(name)) return this.#forwardUpstream(message, reply);
    const result = await this.options.remote.lookup(name, question.type === 'A' ? 4 : 6);
    if ('notFound' in result) return reply('NXDOMAIN');
    if ('failed' in result) return reply('SERVFAIL');
    for (const ip of result.addresses) {
      const names = this.#names.get(ip) ?? new Set<string>();
      names.add(name);
      this.#names.set(ip, names);
    }
    return reply('NOERROR', result.addresses.map((ip) => addressAnswer(question, ip, this.options.ttl ?? 5)));
  }

  async #forwardUpstream(message: Buffer, reply: (rcode: string) => Buffer): Promise<Buffer> {
    const upstream = this.options.upstream;
    if (!upstream) return reply('SERVFAIL');
    const socket = createSocket(upstream.ip.includes(':') ? 'udp6' : 'udp4');
    try {
      return await new Promise<Buffer>((resolve) => {
        const timer = setTimeout(() => resolve(reply('SERVFAIL')), 3000);
        socket.once('message', (answer) => {
          clearTimeout(timer);
          resolve(answer);
        });
        socket.once('error', () => {
          clearTimeout(timer);
          resolve(reply('SERVFAIL'));
        });
        socket.send(message, upstream.port, upstream.ip);
      });
    } finally {
      socket.close();
    }
  }
}

function rcodeFlag(rcode: string): number {
  return { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3 }[rcode] ?? 2;
}

function addressAnswer(question: Question, ip: string, ttl: number): Answer {
  return { type: ip.includes(':') ? 'AAAA' : 'A', name: question.name, ttl, class: 'IN', data: ip } as Answer;
}

/** The first nameserver of a resolv.conf text (the machine's own DNS, for local names). */
export function firstNameserver(resolvConf: string): { ip: string; port: number } | null {
  const match = /^\s*nameserver\s+(\S+)/m.exec(resolvConf);
  return match ? { ip: match[1]!, port: 53 } : null;
}
