import { strict as assert } from "node:assert";
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AgentConnection, AgentHandshakeError } from "@mirrord-ts/agent-client";
import { PROTOCOL_VERSION } from "@mirrord-ts/protocol";
import { type RunningAgent, startAgent } from "./agent-process.js";
import { TestNetns, waitFor } from "./netns.js";

const fixture = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).pathname;

describe("agent in a network namespace: handshake, outgoing traffic, DNS", function () {
  this.timeout(60_000);
  let ns: TestNetns;
  let agent: RunningAgent;
  let client: AgentConnection | undefined;
  let fakeRoot: string;

  before(async () => {
    ns = TestNetns.create(11);
    fakeRoot = mkdtempSync(join(tmpdir(), "mirrord-resolv-"));
    mkdirSync(join(fakeRoot, "etc"));
    // Like many images: /etc/resolv.conf is an absolute symlink, to be followed inside the root.
    mkdirSync(join(fakeRoot, "run"));
    writeFileSync(join(fakeRoot, "run/pod-resolv.conf"), `# pod resolv.conf\nnameserver ${ns.podIp}\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5 timeout:1 attempts:1\n`);
    symlinkSync("/run/pod-resolv.conf", join(fakeRoot, "etc/resolv.conf"));
    writeFileSync(join(fakeRoot, "etc/hosts"), `127.0.0.1 localhost\n10.213.11.77 pinned.example\n`);
    const zone = {
      "api.default.svc.cluster.local": { A: ["10.213.11.20"] },
      "db.svc.cluster.local": { A: ["10.213.11.21"], AAAA: ["fd00::21"] },
      "external.example.com": { A: ["10.213.11.22"] },
      "external.example.com.default.svc.cluster.local": { A: ["10.213.11.99"] },
    };
    const dns = ns.spawn(process.execPath, [fixture("dns-server.mjs"), `${ns.podIp}:53`, JSON.stringify(zone)]);
    const echo = ns.spawn(process.execPath, [fixture("echo.mjs"), "7007"]);
    await waitFor("dns and echo servers", () => dns.output().includes("dns listening") && echo.output().includes("echo listening"));
    agent = await startAgent(ns, ["--resolv-root", fakeRoot, "--communication-timeout", "5"]);
  });

  after(() => {
    client?.close();
    ns?.destroy();
    if (fakeRoot) rmSync(fakeRoot, { recursive: true, force: true });
  });

  it("refuses a client of another protocol version with one sentence naming both", async () => {
    await assert.rejects(AgentConnection.connect(agent.address, { protocolVersion: "0.9.0" }), (error: unknown) => {
      assert.ok(error instanceof AgentHandshakeError);
      assert.match(error.message, new RegExp(`agent speaks protocol ${PROTOCOL_VERSION.replace(/\./g, "\\.")} but this client speaks protocol 0\\.9\\.0`));
      return true;
    });
  });

  it("completes the handshake", async () => {
    client = await AgentConnection.connect(agent.address, { clientName: "outgoing test" });
    assert.equal(client.hello.protocolVersion, PROTOCOL_VERSION);
    assert.equal(client.hello.agentId, agent.ready.agentId);
    assert.equal(client.hello.communicationTimeoutMs, 5000);
  });

  it("connects TCP from the namespace and relays both ways, with half-close", async () => {
    const stream = await client!.connectTcp("127.0.0.1", 7007);
    assert.equal(stream.local?.ip, "127.0.0.1");
    const received: Buffer[] = [];
    stream.on("data", (d: Buffer) => received.push(d));
    const ended = new Promise((r) => stream.once("end", r));
    stream.write("hello ");
    stream.end("pod");
    await ended;
    assert.equal(Buffer.concat(received).toString(), "echo:hello pod");
  });

  it("moves a megabyte through one TCP connection intact", async () => {
    const stream = await client!.connectTcp(ns.podIp, 7007);
    const payload = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) % 251;
    const received: Buffer[] = [];
    stream.on("data", (d: Buffer) => received.push(d));
    const ended = new Promise((r) => stream.once("end", r));
    stream.end(payload);
    await ended;
    assert.ok(Buffer.concat(received).equals(Buffer.concat([Buffer.from("echo:"), payload])));
  });

  it("reports a refused TCP connect with its errno name", async () => {
    await assert.rejects(client!.connectTcp("127.0.0.1", 7999), (error: { code?: string }) => error.code === "ECONNREFUSED");
  });

  it("sends and receives UDP datagrams with the peer of each", async () => {
    const socket = await client!.udpSocket();
    const replies: Array<{ text: string; port: number }> = [];
    socket.onMessage((payload, peer) => replies.push({ text: payload.toString(), port: peer.port }));
    socket.send(Buffer.from("one"), ns.podIp, 7007);
    socket.send(Buffer.from("two"), "127.0.0.1", 7007);
    await waitFor("two UDP replies", () => replies.length === 2);
    assert.deepEqual(replies.map((r) => r.text).sort(), ["echo:one", "echo:two"]);
    assert.ok(replies.every((r) => r.port === 7007));
    socket.close();
  });

  it("resolves a short name through the search list (ndots:5)", async () => {
    const answer = await client!.lookupHost("api");
    assert.equal(answer.error, null);
    assert.equal(answer.canonicalName, "api.default.svc.cluster.local");
    assert.deepEqual(answer.addresses.map((a) => a.ip), ["10.213.11.20"]);
  });

  it("returns A and AAAA, or one family when asked", async () => {
    const both = await client!.lookupHost("db");
    assert.deepEqual(both.addresses.map((a) => `${a.family} ${a.ip}`).sort(), ["ADDRESS_FAMILY_IPV4 10.213.11.21", "ADDRESS_FAMILY_IPV6 fd00::21"]);
    const v6 = await client!.lookupHost("db", "ADDRESS_FAMILY_IPV6");
    assert.deepEqual(v6.addresses.map((a) => a.ip), ["fd00::21"]);
  });

  it("tries the search list before the name itself when it has fewer than ndots dots", async () => {
    // glibc with ndots:5: external.example.com (2 dots) gets the search domains first.
    const answer = await client!.lookupHost("external.example.com");
    assert.equal(answer.canonicalName, "external.example.com.default.svc.cluster.local");
    const absolute = await client!.lookupHost("external.example.com.");
    assert.deepEqual(absolute.addresses.map((a) => a.ip), ["10.213.11.22"]);
  });

  it("answers from the target's /etc/hosts first, and ENOTFOUND for unknown names", async () => {
    const pinned = await client!.lookupHost("pinned.example");
    assert.deepEqual(pinned.addresses.map((a) => a.ip), ["10.213.11.77"]);
    const missing = await client!.lookupHost("nope");
    assert.equal(missing.error?.code, "ENOTFOUND");
    assert.deepEqual(missing.addresses, []);
  });
});
