/**
 * An agent's liveness lock: an abstract unix socket named after its id. Abstract sockets
 * belong to the network namespace (the pod's, which all its agents share) and the kernel
 * frees the name when the holder dies, however it dies (SIGKILL included), so "can I
 * connect to it" answers "does that agent still run" without pids, which differ across
 * the agents' pid namespaces.
 */
import { type Server, createConnection, createServer } from "node:net";

export function lockName(agentId: string): string {
  return `\0mirrord-ts-agent-${agentId}`;
}

/** Another live process already holds this agent id. */
export class LockHeldError extends Error {
  override readonly name = "LockHeldError";
}

export async function holdLivenessLock(agentId: string): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new LockHeldError(`An agent with id ${agentId} already runs in this network namespace.`) : error),
    );
    server.listen(lockName(agentId), resolve);
  });
  server.unref();
  return server;
}

export function isAgentAlive(agentId: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(lockName(agentId));
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
