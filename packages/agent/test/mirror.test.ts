import { strict as assert } from "node:assert";
import { AgentConnection } from "@mirrord-ts/agent-client";
import { type RunningAgent, startAgent } from "./agent-process.js";
import { Agent } from "node:http";
import type { HttpRequest__Output } from "@mirrord-ts/protocol";
import { http1, http2Requests } from "./http-clients.js";
import { TestNetns, waitFor } from "./netns.js";

const fixture = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).pathname;

describe("agent in a network namespace: mirror", function () {
  this.timeout(120_000);
  let ns: TestNetns;
  let agent: RunningAgent;
  let client: AgentConnection | undefined;

  before(async () => {
    ns = TestNetns.create(15);
    const app = ns.spawn(process.execPath, [fixture("http-app.mjs"), "80"]);
    const app2 = ns.spawn(process.execPath, [fixture("h2-app.mjs"), "81"]);
    await waitFor("the apps", () => app.output().includes("listening") && app2.output().includes("listening"));
    agent = await startAgent(ns, ["--communication-timeout", "10"]);
    client = await AgentConnection.connect(agent.address);
  });

  after(() => {
    client?.close();
    ns?.destroy();
  });

  /** `total` GETs of /<prefix><i>, `concurrency` at a time, each on a new connection; returns the bodies and the time. */
  async function load(total: number, concurrency: number, prefix: string): Promise<{ answers: string[]; ms: number }> {
    const answers: string[] = new Array(total);
    let next = 0;
    const start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const i = next++;
          answers[i] = (await http1(`http://${ns.podIp}/${prefix}${i}`, { headers: { "x-n": String(i) } })).body;
        }
      }),
    );
    return { answers, ms: Number(process.hrtime.bigint() - start) / 1e6 };
  }

  it("passes 1,000 requests on 1,000 connections to the app while the client gets a copy of each", async () => {
    const total = 1000;
    const concurrency = 20;
    const baseline = await load(total, concurrency, "b");
    const copies = new Map<number, string>();
    const closed = new Set<number>();
    const mirror = await client!.mirror(80, (message) => {
      if (message.message === "connection" && message.connection) copies.set(message.connection.connectionId, "");
      else if (message.message === "data" && message.data) copies.set(message.data.connectionId, (copies.get(message.data.connectionId) ?? "") + message.data.data.toString());
      else if (message.message === "closed" && message.closed) closed.add(message.closed.connectionId);
    });
    assert.match(ns.natRules(), /--dport 80 -m mark --mark 0x10000000\/0x10000000 -j REDIRECT/);

    const start = process.hrtime.bigint();
    const { answers, ms: requestsMs } = await load(total, concurrency, "m");
    const requestLines = (): Set<string> => {
      const lines = new Set<string>();
      for (const text of copies.values()) for (const m of text.matchAll(/^GET (\/m\d+) HTTP\/1\.1\r\n/gm)) lines.add(m[1]!);
      return lines;
    };
    await waitFor("a copy of every request", () => requestLines().size === total, 20_000);
    const copiesMs = Number(process.hrtime.bigint() - start) / 1e6;
    console.log(`      mirror: ${total} requests answered by the app in ${requestsMs.toFixed(0)} ms (concurrency ${concurrency}); all copies at the client after ${copiesMs.toFixed(0)} ms; ${baseline.ms.toFixed(0)} ms without mirror`);

    for (let i = 0; i < total; i++) assert.equal(answers[i], `app GET /m${i} `);
    assert.equal(copies.size, total, "one mirrored connection per request");
    assert.equal(requestLines().size, total);
    await waitFor("every mirrored connection to close", () => closed.size === total, 10_000);

    mirror.cancel();
    await waitFor("the redirect to go", () => !/REDIRECT/.test(ns.natRules()));
    assert.equal((await http1(`http://${ns.podIp}/after`)).body, "app GET /after ");
  });

  it("lets requests on their way through the agent finish when the mirror ends, with and without a filter", async () => {
    for (const filter of [undefined, { headerRegex: "^x-copy: yes$" }]) {
      const mirror = await client!.mirror(80, () => {}, filter);
      const slow = http1(`http://${ns.podIp}/slow/700`, { headers: { "x-copy": "yes" } }).then((a) => `${a.status} ${a.body}`, (e: Error) => `failed: ${e.message}`);
      await new Promise((r) => setTimeout(r, 200));
      mirror.cancel();
      const during = http1(`http://${ns.podIp}/during`).then((a) => `${a.status} ${a.body}`, (e: Error) => `failed: ${e.message}`);
      assert.equal(await slow, "200 app GET /slow/700 ", `filter ${JSON.stringify(filter)}`);
      assert.equal(await during, "200 app GET /during ", `filter ${JSON.stringify(filter)}`);
      await waitFor("the redirect to go", () => !/REDIRECT/.test(ns.natRules()));
    }
  });

  it("with an HTTP filter, copies only matching HTTP/1.1 and HTTP/2 requests while the app answers all", async () => {
    const copies: HttpRequest__Output[] = [];
    const filter = { headerRegex: "^x-filter: yes$" };
    const onMessage = (message: { message?: string; httpRequest?: HttpRequest__Output | null }): void => {
      if (message.message === "httpRequest" && message.httpRequest) copies.push(message.httpRequest);
    };
    const mirror1 = await client!.mirror(80, onMessage, filter);
    const mirror2 = await client!.mirror(81, onMessage, filter);
    try {
      const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
      const answers: string[] = [];
      for (let i = 0; i < 4; i++) {
        const answer = await http1(`http://${ns.podIp}/f${i}`, { agent: keepAlive, method: "POST", body: `b${i}`, headers: { "x-filter": i % 2 === 0 ? "yes" : "no" } });
        answers.push(answer.body);
      }
      keepAlive.destroy();
      assert.deepEqual(answers, ["app POST /f0 b0", "app POST /f1 b1", "app POST /f2 b2", "app POST /f3 b3"]);
      const h2 = await http2Requests(`http://${ns.podIp}:81`, [
        { path: "/h0", headers: { "x-filter": "yes" }, body: "p0" },
        { path: "/h1" },
      ]);
      assert.deepEqual(h2.map((a) => `${a.body} ${a.trailers?.["x-trailer"]}`), ["app2 /h0 p0 app2-done", "app2 /h1  app2-done"]);
      await waitFor("three copies", () => copies.length === 3);
      assert.deepEqual(copies.map((c) => `${c.version} ${c.method} ${c.path} ${c.body.toString()}`).sort(), [
        "HTTP/1.1 POST /f0 b0",
        "HTTP/1.1 POST /f2 b2",
        "HTTP/2 POST /h0 p0",
      ]);
    } finally {
      mirror1.cancel();
      mirror2.cancel();
    }
    await waitFor("the redirects to go", () => !/REDIRECT/.test(ns.natRules()));
  });
});
