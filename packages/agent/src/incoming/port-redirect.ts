/**
 * One redirected port: a listener of the agent's and the nat rules that send the port's
 * traffic to it. One listener per port, so the accepting listener tells the original
 * port (node has no SO_ORIGINAL_DST). After REDIRECT the socket's local address is the
 * address the peer dialled (the pod's address, or 127.0.0.1 for in-pod traffic), so the
 * original destination is (localAddress, port). The agent reaches it without being caught
 * again: PREROUTING never sees locally made connections, and the OUTPUT chain lets the
 * worker's gid through first.
 */
import { type Server, type Socket, createConnection, createServer } from "node:net";
import type { Duplex } from "node:stream";
import type { AgentRedirects } from "../lifecycle/iptables.js";

export class PortRedirect {
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly port: number,
    private readonly server: Server,
    private readonly redirects: AgentRedirects,
    private readonly listenPort: number,
  ) {}

  static async open(redirects: AgentRedirects, port: number, onConnection: (socket: Socket) => void): Promise<PortRedirect> {
    let redirect: PortRedirect | undefined;
    const server = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => {
      redirect?.track(socket);
      onConnection(socket);
    });
    // "::" takes IPv4 (as ::ffff:a.b.c.d) and IPv6; a namespace without IPv6 gets 0.0.0.0.
    for (const host of ["::", "0.0.0.0"]) {
      try {
        await new Promise<void>((resolve, reject) => {
          server.once("error", reject);
          server.listen(0, host, () => {
            server.off("error", reject);
            resolve();
          });
        });
        break;
      } catch (error) {
        if (host === "0.0.0.0") throw error;
      }
    }
    const listenPort = (server.address() as { port: number }).port;
    try {
      redirects.add(port, listenPort);
    } catch (error) {
      server.close();
      throw error;
    }
    redirect = new PortRedirect(port, server, redirects, listenPort);
    return redirect;
  }

  /** New connections go to the app from now on (where the rules can tell them apart); close() follows. */
  stopNew(): void {
    this.redirects.stopNew(this.port, this.listenPort);
  }

  /**
   * Ends the port's connections, then removes the rules (new connections go straight to the
   * app), then the listener. The order matters: our REDIRECT rule can be what keeps conntrack
   * running in the pod's namespace, and a socket that closes after it is gone sends its FIN
   * from the agent's port, untranslated: the peer never sees it and waits for ever.
   */
  close(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.redirects.remove(this.port, this.listenPort);
    this.server.close();
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
  }
}

/** An address as the peer knows it: IPv4 peers of the dual-stack listener without ::ffff:. */
export function plainAddress(address: string | undefined): string {
  return (address ?? "").replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
}

/** Where a redirected connection was going. */
export function originalDestination(socket: Socket, port: number): { host: string; port: number } {
  return { host: plainAddress(socket.localAddress) || "127.0.0.1", port };
}

/** Connects to the app on the original port, outside the redirect. */
export function connectToOriginal(socket: Socket, port: number): Socket {
  const { host } = originalDestination(socket, port);
  return createConnection({ host, port, noDelay: true, allowHalfOpen: true });
}

/** Sends a connection on to the app unchanged: `head` (bytes already read) first. */
export function passThrough(socket: Socket, port: number, head: Buffer = Buffer.alloc(0)): void {
  passThroughStream(socket, connectToOriginal(socket, port), head);
}

/** Joins a peer's stream (a socket, or what is left of one after an HTTP upgrade) to the app's. */
export function passThroughStream(peer: Duplex, upstream: Socket, head: Buffer): void {
  if (head.length > 0) upstream.write(head);
  peer.pipe(upstream);
  upstream.pipe(peer);
  const destroyBoth = (): void => {
    peer.destroy();
    upstream.destroy();
  };
  peer.on("error", destroyBoth);
  upstream.on("error", destroyBoth);
  // A clean close already ended the other side through pipe(); destroying it here
  // would drop bytes still queued.
  peer.on("close", () => !peer.writableFinished && upstream.destroy());
  upstream.on("close", (hadError) => hadError && peer.destroy());
}
