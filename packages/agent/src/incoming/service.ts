/** The Steal and Mirror calls: one subscription per call, one subscription per port. */
import * as grpc from "@grpc/grpc-js";
import type { AgentHandlers } from "@mirrord-ts/protocol";
import { bindStreamToSession, failStream } from "../calls.js";
import type { AgentRedirects } from "../lifecycle/iptables.js";
import type { Log } from "../log.js";
import type { SessionRegistry } from "../lifecycle/sessions.js";
import { HttpFilterError } from "./http-filter.js";
import { MirrorSubscription } from "./mirror.js";
import { StealSubscription } from "./steal.js";

type Subscription = StealSubscription | MirrorSubscription;

export class IncomingTraffic {
  private readonly byPort = new Map<number, Subscription>();
  /** Released subscriptions still draining: the agent's exit waits for them too. */
  private readonly closing = new Set<Promise<void>>();

  constructor(
    private readonly registry: SessionRegistry,
    private readonly redirects: AgentRedirects,
    private readonly log: Log,
  ) {}

  /** Ends every subscription (their rules go with them); resolves when they are closed. */
  closeAll(): Promise<unknown> {
    const closed = [...this.byPort.values()].map((subscription) => subscription.close());
    this.byPort.clear();
    return Promise.all([...closed, ...this.closing]);
  }

  stealHandler(): AgentHandlers["Steal"] {
    return (call) => {
      let subscription: StealSubscription | undefined;
      const session = bindStreamToSession(this.registry, call, () => subscription && this.release(subscription));
      if (!session) return;
      call.on("data", (message) => {
        if (subscription) return subscription.onClientMessage(message);
        if (message.message !== "subscribe" || !message.subscribe) {
          return failStream(call, grpc.status.INVALID_ARGUMENT, "The first message of Steal must be subscribe.");
        }
        const { port, httpFilter, streamBodies } = message.subscribe;
        try {
          subscription = new StealSubscription(
            port,
            httpFilter,
            streamBodies,
            (m) => call.write(m),
            (resume) => call.once("drain", resume),
          );
        } catch (error) {
          if (error instanceof HttpFilterError) return failStream(call, grpc.status.INVALID_ARGUMENT, error.message);
          throw error;
        }
        const s = subscription;
        void this.start(port, s, call, () => call.write({ subscribed: { port } }));
      });
      // The client ends its side to unsubscribe and waits for ours: it ends once the port's
      // rules are gone, so what the client does next meets the app, not a closing redirect.
      call.on("end", () => {
        void Promise.resolve(subscription && this.release(subscription)).then(() => call.end());
      });
    };
  }

  mirrorHandler(): AgentHandlers["Mirror"] {
    return (call) => {
      const port = call.request.port;
      let subscription: MirrorSubscription;
      try {
        subscription = new MirrorSubscription(
          port,
          call.request.httpFilter,
          (m) => call.write(m),
          () => call.writableLength,
        );
      } catch (error) {
        if (error instanceof HttpFilterError) return failStream(call, grpc.status.INVALID_ARGUMENT, error.message);
        throw error;
      }
      const session = bindStreamToSession(this.registry, call, () => this.release(subscription));
      if (!session) return;
      void this.start(port, subscription, call, () => call.write({ subscribed: { port } }));
    };
  }

  private async start(
    port: number,
    subscription: Subscription,
    call: Parameters<typeof failStream>[0],
    onStarted: () => void,
  ): Promise<void> {
    if (!Number.isInteger(port) || port < 1 || port > 65535) return failStream(call, grpc.status.INVALID_ARGUMENT, `Port ${port} is not a TCP port.`);
    if (this.byPort.has(port)) return failStream(call, grpc.status.ALREADY_EXISTS, `Port ${port} is already stolen or mirrored through this agent.`);
    this.byPort.set(port, subscription);
    try {
      await subscription.start(this.redirects);
    } catch (error) {
      this.release(subscription);
      this.log.error(`redirect of port ${port} failed: ${(error as Error).message}`);
      return failStream(call, grpc.status.INTERNAL, `The agent could not redirect port ${port}: ${(error as Error).message}`);
    }
    this.log.info(`${subscription instanceof StealSubscription ? "stealing" : "mirroring"} port ${port}`);
    onStarted();
  }

  private release(subscription: Subscription): Promise<void> {
    const closed = subscription.close();
    this.closing.add(closed);
    const settled = (): boolean => this.closing.delete(closed);
    closed.then(settled, settled);
    if (subscription instanceof MirrorSubscription && subscription.droppedBytes > 0) {
      this.log.info(`mirror of port ${subscription.port}: ${subscription.droppedBytes} bytes not copied, the client fell behind`);
    }
    if (this.byPort.get(subscription.port) === subscription) {
      this.byPort.delete(subscription.port);
      this.log.info(`released port ${subscription.port}`);
    }
    return closed;
  }
}
