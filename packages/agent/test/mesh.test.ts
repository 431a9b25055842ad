/**
 * Steal in a pod behind a mesh sidecar: Istio's inbound capture rules (as its init container
 * writes them) send outside traffic to the sidecar, which only accepts its "mTLS" and hands the
 * plaintext to the app over lo. The agent must take requests where the sidecar hands them:
 * redirecting before the sidecar would give it encrypted bytes, pass them to the app as "not
 * HTTP", and break every request to the pod.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { connect } from "node:net";
import { AgentConnection, type StealHandle } from "@mirrord-ts/agent-client";
import { type RunningAgent, startAgent } from "./agent-process.js";
import { TestNetns, waitFor } from "./netns.js";

const fixture = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).pathname;

/** What istio-iptables writes for inbound capture of port 80 (and the OUTPUT side that matters for it). */
const ISTIO_RULES = `*nat
:ISTIO_INBOUND - [0:0]
:ISTIO_IN_REDIRECT - [0:0]
:ISTIO_OUTPUT - [0:0]
-A PREROUTING -p tcp -j ISTIO_INBOUND
-A OUTPUT -p tcp -j ISTIO_OUTPUT
-A ISTIO_INBOUND -p tcp --dport 15008 -j RETURN
-A ISTIO_INBOUND -p tcp --dport 80 -j ISTIO_IN_REDIRECT
-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006
-A ISTIO_OUTPUT -s 127.0.0.6/32 -o lo -j RETURN
-A ISTIO_OUTPUT ! -d 127.0.0.1/32 -o lo -p tcp -m owner --uid-owner 1337 -j ISTIO_IN_REDIRECT
-A ISTIO_OUTPUT -o lo -m owner ! --uid-owner 1337 -j RETURN
-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN
-A ISTIO_OUTPUT -d 127.0.0.1/32 -j RETURN
COMMIT
`;

describe("agent in a network namespace: steal and mirror behind a mesh sidecar (Istio's rules)", function () {
  this.timeout(60_000);
  let ns: TestNetns;
  let agent: RunningAgent;
  let client: AgentConnection | undefined;
  let steal: StealHandle | undefined;

  /** A request as a meshed client sends it: the mesh's "mTLS" first, then HTTP/1.1. */
  function meshRequest(path: string, headers: Record<string, string> = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: ns.podIp, port: 80 }, () => {
        const lines = [`GET ${path} HTTP/1.1`, "host: app", "connection: close", ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
        socket.write(`MTLS\n${lines.join("\r\n")}\r\n\r\n`);
      });
      let answer = "";
      socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to ${path} within 10 s`)));
      socket.on("data", (d: Buffer) => (answer += d.toString()));
      socket.on("end", () => resolve(`${answer.split("\r\n")[0]} | ${answer.slice(answer.indexOf("\r\n\r\n") + 4)}`));
      socket.on("error", reject);
    });
  }

  before(async () => {
    ns = TestNetns.create(18);
    const app = ns.spawn(process.execPath, [fixture("http-app.mjs"), "80"]);
    const sidecar = ns.spawn(process.execPath, [fixture("mesh-sidecar.mjs"), "15006", ns.podIp, "80"]);
    await waitFor("the app and the sidecar", () => app.output().includes("listening") && sidecar.output().includes("listening"));
    execFileSync("ip", ["netns", "exec", ns.name, "iptables-restore", "-n"], { input: ISTIO_RULES });
    agent = await startAgent(ns, ["--exclude-source", ns.nodeIp, "--communication-timeout", "5"]);
    client = await AgentConnection.connect(agent.address);
  });

  after(function () {
    if (this.currentTest?.state === "failed" || process.env.AGENT_LOG) console.log(agent?.output());
    steal?.cancel();
    client?.close();
    ns?.destroy();
  });

  it("takes matching requests where the sidecar hands them to the app; the app keeps answering the rest, in plaintext", async () => {
    assert.equal(await meshRequest("/before"), "HTTP/1.1 200 OK | app GET /before ", "through the sidecar to the app");
    steal = await client!.steal(80, {
      onRequest: (r) => {
        const body = Buffer.from(`local ${r.path}`);
        return { status: 200, headers: [{ name: "content-length", value: String(body.length) }], body };
      },
    }, { headerRegex: "^x-debug: yes$" });
    // Our PREROUTING jump comes after the mesh's; our OUTPUT chain stays first (IPv4: the family with the mesh's rules).
    const rules = ns.exec("iptables-save", ["-t", "nat"]).split("\n");
    const preJumps = rules.filter((l) => l.startsWith("-A PREROUTING "));
    assert.deepEqual(preJumps.map((l) => l.split(" -j ")[1]), ["ISTIO_INBOUND", preJumps[1]!.split(" -j ")[1]]);
    assert.match(preJumps[1]!, /MIRRORD_TS_\w+_PRE$/);
    assert.match(rules.find((l) => l.startsWith("-A OUTPUT "))!, /MIRRORD_TS_\w+_OUT$/);
    assert.match(agent.output(), /the pod has a mesh sidecar \(Istio\)/);

    for (let i = 0; i < 3; i++) {
      assert.equal(await meshRequest(`/stolen/${i}`, { "x-debug": "yes" }), `HTTP/1.1 200 OK | local /stolen/${i}`);
      assert.equal(await meshRequest(`/app/${i}`, { "x-debug": "no" }), `HTTP/1.1 200 OK | app GET /app/${i} `);
    }
    steal.cancel();
    steal = undefined;
    await waitFor("the redirects to go", () => !/REDIRECT --to-ports (?!15006)/.test(ns.natRules()));
    assert.equal(await meshRequest("/after", { "x-debug": "yes" }), "HTTP/1.1 200 OK | app GET /after ");
  });

  it("mirrors behind the sidecar: the client gets the plaintext copy, the app answers", async () => {
    const copies: string[] = [];
    const mirror = await client!.mirror(80, (message) => {
      if (message.message === "data" && message.data) copies.push(message.data.data.toString());
    });
    try {
      assert.equal(await meshRequest("/mirrored"), "HTTP/1.1 200 OK | app GET /mirrored ");
      await waitFor("the copy", () => copies.join("").includes("GET /mirrored HTTP/1.1"));
      assert.ok(!copies.join("").includes("MTLS"), "the copy is what the app got, not the mesh's bytes");
    } finally {
      mirror.cancel();
    }
  });
});
