import { strict as assert } from "node:assert";
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AgentConnection } from "@mirrord-ts/agent-client";
import { type RunningAgent, startAgent } from "./agent-process.js";
import { http1 } from "./http-clients.js";
import { TestNetns, alive, waitFor } from "./netns.js";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const fixture = (name: string): string => join(packageDir, "test/fixtures", name);
const TIMEOUT_S = 2;

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

describe("agent in a network namespace: lifecycle and cleanup", function () {
  this.timeout(60_000);
  let ns: TestNetns;
  const clients: ChildProcess[] = [];
  const connections: AgentConnection[] = [];

  before(async () => {
    ns = TestNetns.create(14);
    const app = ns.spawn(process.execPath, [fixture("http-app.mjs"), "80"]);
    const app8080 = ns.spawn(process.execPath, [fixture("http-app.mjs"), "8080"]);
    await waitFor("the apps", () => app.output().includes("listening") && app8080.output().includes("listening"));
  });

  afterEach(() => {
    for (const c of connections.splice(0)) c.close();
    for (const child of clients.splice(0)) if (child.pid && child.exitCode === null && child.signalCode === null) process.kill(child.pid, "SIGKILL");
  });

  after(() => ns?.destroy());

  const ourChains = (): string[] => ns.agentTables().split("\n").filter((l) => l.includes("MIRRORD_TS_"));

  /** A client in its own process that steals port 80; resolves once it steals. */
  async function startClientProcess(agent: RunningAgent): Promise<ChildProcess> {
    const child = spawn(process.execPath, ["--import", "tsx", fixture("steal-client.ts"), agent.address, "80"], { cwd: packageDir, stdio: ["ignore", "pipe", "inherit"] });
    clients.push(child);
    let out = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    await waitFor("the client process to steal", () => out.includes("stealing"), 20_000);
    return child;
  }

  it("exits within communication_timeout when nobody connects", async () => {
    const agent = await startAgent(ns, ["--communication-timeout", String(TIMEOUT_S)]);
    const start = Date.now();
    const { code } = await exited(agent.child);
    assert.equal(code, 0);
    assert.ok(Date.now() - start < TIMEOUT_S * 1000 + 1500, `took ${Date.now() - start} ms`);
  });

  it("SIGKILL of the client: the agent is gone within the timeout and no rule of ours is left", async () => {
    const agent = await startAgent(ns, ["--communication-timeout", String(TIMEOUT_S)]);
    const client = await startClientProcess(agent);
    assert.ok(ourChains().some((l) => l.includes("REDIRECT")), "the steal rules are in place");
    const killedAt = Date.now();
    process.kill(client.pid!, "SIGKILL");
    await exited(agent.child);
    const took = Date.now() - killedAt;
    console.log(`      agent exit after client SIGKILL: ${took} ms (timeout ${TIMEOUT_S * 1000} ms)`);
    assert.ok(took < TIMEOUT_S * 1000 + 1500, `took ${took} ms`);
    assert.deepEqual(ourChains(), []);
    assert.equal((await http1(`http://${ns.podIp}/after`)).body, "app GET /after ");
  });

  it("a silent client (SIGSTOP, connection open): the agent exits one timeout after its last ping", async () => {
    const agent = await startAgent(ns, ["--communication-timeout", String(TIMEOUT_S)]);
    const client = await startClientProcess(agent);
    const stoppedAt = Date.now();
    process.kill(client.pid!, "SIGSTOP");
    await exited(agent.child);
    const took = Date.now() - stoppedAt;
    console.log(`      agent exit after client SIGSTOP: ${took} ms`);
    assert.ok(took < TIMEOUT_S * 1000 + 1500, `took ${took} ms`);
    assert.deepEqual(ourChains(), []);
  });

  it("SIGKILL of the worker: the guard removes the rules and exits", async () => {
    const agent = await startAgent(ns, ["--communication-timeout", "30"]);
    const client = await AgentConnection.connect(agent.address);
    connections.push(client);
    await client.steal(80, { onConnection: (c) => c.end() });
    assert.ok(ourChains().length > 0);
    process.kill(agent.ready.pid, "SIGKILL");
    const { code } = await exited(agent.child);
    assert.equal(code, 128 + 9);
    assert.deepEqual(ourChains(), []);
    assert.equal((await http1(`http://${ns.podIp}/w`)).body, "app GET /w ");
  });

  it("SIGKILL of the guard: the worker notices, removes its rules and exits", async () => {
    const agent = await startAgent(ns, ["--communication-timeout", "30"]);
    const client = await AgentConnection.connect(agent.address);
    connections.push(client);
    await client.steal(80, { onConnection: (c) => c.end() });
    process.kill(agent.child.pid!, "SIGKILL");
    await waitFor("the worker to exit", () => !alive(agent.ready.pid), 5000);
    assert.deepEqual(ourChains(), []);
  });

  it("SIGTERM: a clean exit that removes the rules", async () => {
    const agent = await startAgent(ns, ["--communication-timeout", "30"]);
    const client = await AgentConnection.connect(agent.address);
    connections.push(client);
    await client.steal(80, { onConnection: (c) => c.end() });
    process.kill(agent.child.pid!, "SIGTERM");
    const { code } = await exited(agent.child);
    assert.equal(code, 0);
    assert.deepEqual(ourChains(), []);
  });

  it("a new agent sweeps the chains of agents that died with both processes, and keeps a live agent's", async () => {
    const live = await startAgent(ns, ["--communication-timeout", "30"]);
    const liveClient = await AgentConnection.connect(live.address);
    connections.push(liveClient);
    await liveClient.steal(80, { onConnection: (c) => c.end() });

    const dead = await startAgent(ns, ["--communication-timeout", "30"]);
    const deadClient = await AgentConnection.connect(dead.address);
    connections.push(deadClient);
    const answer = Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nstolen");
    await deadClient.steal(8080, { onConnection: (c) => c.onData(() => (c.write(answer), c.end())) });
    assert.equal((await http1(`http://${ns.podIp}:8080/before`)).body, "stolen", "the dead-to-be agent steals port 8080");
    // Both processes die at once: nobody is left to clean up.
    process.kill(dead.ready.pid, "SIGKILL");
    process.kill(dead.child.pid!, "SIGKILL");
    await waitFor("the dead agent's processes to go", () => !alive(dead.ready.pid) && !alive(dead.child.pid!));
    const deadId = dead.ready.agentId;
    const liveId = live.ready.agentId;
    const leftovers = ourChains().filter((l) => l.includes(deadId));
    assert.ok(leftovers.some((l) => l.includes("NFQUEUE") && l.includes("--queue-bypass")), `the dead agent's gated chains are left behind: ${leftovers.join(" | ")}`);
    // Its gate died with it, so its leftover rules let the port through to the app at once.
    assert.equal((await http1(`http://${ns.podIp}:8080/stale`)).body, "app GET /stale ");

    const fresh = await startAgent(ns, ["--communication-timeout", "30"]);
    await waitFor("the sweep", () => !ourChains().some((l) => l.includes(deadId)), 5000);
    assert.ok(ourChains().some((l) => l.includes(`MIRRORD_TS_${liveId}_PRE`) && l.includes("REDIRECT")), "the live agent's rules stay");
    assert.match(fresh.output(), new RegExp(`removed the iptables chains of agents that no longer run: ${deadId}`));
    assert.match(fresh.output(), new RegExp(`removed the ip6tables chains of agents that no longer run: ${deadId}`));

    process.kill(fresh.child.pid!, "SIGTERM");
    process.kill(live.child.pid!, "SIGTERM");
    await Promise.all([exited(fresh.child), exited(live.child)]);
    assert.deepEqual(ourChains(), []);
  });
});
