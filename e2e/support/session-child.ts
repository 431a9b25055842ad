/**
 * A session in a process of its own, for tests that SIGKILL the client: starts an agent
 * session on deployment/echo (mode from argv), steals port 8080 with a header filter, prints
 * one JSON line {agentId, pod, pid} on stdout, and then stays until it is killed.
 *
 *   node --import tsx support/session-child.ts <job|ephemeral> <session-id>
 */
import { openCluster, recordingProgress, startAgentSession } from "@mirrord-ts/core";
import { KUBECONFIG_PATH, WORKLOADS } from "../cluster/index.js";
import { configFor } from "./agent-helpers.js";

const [mode, sessionId] = process.argv.slice(2);
if ((mode !== "job" && mode !== "ephemeral") || !sessionId) {
  process.stderr.write("usage: session-child.ts <job|ephemeral> <session-id>\n");
  process.exit(2);
}
const { echo } = WORKLOADS;
const cluster = openCluster({ kubeconfig: KUBECONFIG_PATH, env: {} });
const session = await startAgentSession({ cluster, config: configFor(`deployment/${echo.name}`, { ephemeral: mode === "ephemeral" }), progress: recordingProgress(), sessionId });
await session.connection.steal(
  echo.port,
  { onRequest: (request) => ({ status: 200, headers: [{ name: "content-type", value: "text/plain" }], body: Buffer.from(`stolen by child ${request.path}`), trailers: [] }) },
  { headerRegex: "^x-mirrord-crash: yes$", pathRegex: "" },
);
process.stdout.write(`${JSON.stringify({ agentId: session.agent.agentId, pod: session.target?.pod.name, pid: process.pid })}\n`);
setInterval(() => undefined, 60_000);
