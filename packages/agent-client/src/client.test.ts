import { strict as assert } from "node:assert";
import * as grpc from "@grpc/grpc-js";
import { PROTOCOL_VERSION, ProtocolVersionMismatchError, agentService } from "@mirrord-ts/protocol";
import type { AgentHandlers, SessionAgentMessage, SessionClientMessage__Output } from "@mirrord-ts/protocol";
import { AgentCallError, AgentConnection } from "./index.js";

/** An in-process stand-in for the agent's Session call: answers hello with `agentVersion`, counts pings. */
async function fakeAgent(agentVersion: string, communicationTimeoutMs: number, extra: Partial<AgentHandlers> = {}): Promise<{ address: string; pings: () => number; server: grpc.Server }> {
  let pings = 0;
  const server = new grpc.Server();
  const Session: AgentHandlers["Session"] = (call: grpc.ServerDuplexStream<SessionClientMessage__Output, SessionAgentMessage>) => {
    call.on("data", (message: SessionClientMessage__Output) => {
      if (message.message === "hello") {
        call.write({ hello: { protocolVersion: agentVersion, agentId: "0000abcd", sessionId: "s1", communicationTimeoutMs, targetPid: 0 } });
      } else if (message.message === "ping") {
        pings++;
        call.write({ pong: { seq: message.ping?.seq ?? 0 } });
      }
    });
    call.on("end", () => call.end());
  };
  // Only Session (and what a test adds) is served; the client's other calls get UNIMPLEMENTED.
  server.addService(agentService().service, { Session, ...extra } as unknown as AgentHandlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return { address: `127.0.0.1:${port}`, pings: () => pings, server };
}

describe("AgentConnection", () => {
  it("refuses an agent that answers with another protocol version, naming both", async () => {
    const agent = await fakeAgent("7.0.0", 30_000);
    try {
      await assert.rejects(AgentConnection.connect(agent.address), (error: unknown) => {
        assert.ok(error instanceof ProtocolVersionMismatchError);
        assert.equal(error.agentVersion, "7.0.0");
        assert.equal(error.clientVersion, PROTOCOL_VERSION);
        assert.match(error.message, /agent speaks protocol 7\.0\.0 but this client speaks protocol/);
        return true;
      });
    } finally {
      agent.server.forceShutdown();
    }
  });

  it("pings more often than the agent's communication timeout", async () => {
    const agent = await fakeAgent(PROTOCOL_VERSION, 900);
    const client = await AgentConnection.connect(agent.address);
    try {
      await new Promise((r) => setTimeout(r, 1000));
      assert.ok(agent.pings() >= 3, `only ${agent.pings()} pings in 1 s with a 900 ms timeout`);
    } finally {
      client.close();
      agent.server.forceShutdown();
    }
  });

  it("turns a failed call into AgentCallError with its status", async () => {
    const agent = await fakeAgent(PROTOCOL_VERSION, 30_000);
    const client = await AgentConnection.connect(agent.address);
    try {
      await assert.rejects(client.getEnv(), (error: unknown) => error instanceof AgentCallError && error.status === grpc.status.UNIMPLEMENTED);
    } finally {
      client.close();
      agent.server.forceShutdown();
    }
  });

  // The agent ends a ConnectTcp call without "connected" when the session it belongs to ends
  // (CANCELLED "The session ended.", e.g. no ping got through for communication_timeout) or
  // when it shuts down; a connect waiting for it must fail, or the program's connect() that
  // waits on it (a trapped syscall) blocks forever.
  for (const [how, end] of [
    ["CANCELLED by the agent", (call: grpc.ServerDuplexStream<unknown, unknown>) => call.emit("error", Object.assign(new Error("The session ended."), { code: grpc.status.CANCELLED, details: "The session ended." }))],
    ["ended with OK", (call: grpc.ServerDuplexStream<unknown, unknown>) => call.end()],
  ] as const) {
    it(`a connect the agent ends without answering (${how}) fails instead of waiting forever`, async () => {
      const ConnectTcp = (call: grpc.ServerDuplexStream<unknown, unknown>) => call.once("data", () => setTimeout(() => end(call), 50));
      const agent = await fakeAgent(PROTOCOL_VERSION, 30_000, { ConnectTcp } as unknown as Partial<AgentHandlers>);
      const client = await AgentConnection.connect(agent.address);
      try {
        const outcome = await Promise.race([
          client.connectTcp("10.0.0.1", 80, 10_000).then(
            () => "connected",
            (error: unknown) => `rejected: ${(error as Error).message}`,
          ),
          new Promise((r) => setTimeout(() => r("still waiting after 3 s"), 3000)),
        ]);
        assert.match(String(outcome), /^rejected: /);
      } finally {
        client.close();
        agent.server.forceShutdown();
      }
    });
  }
});
