import { strict as assert } from "node:assert";
import { AgentConnection } from "@mirrord-ts/agent-client";
import { type RunningAgent, startAgent } from "./agent-process.js";
import { http1 } from "./http-clients.js";
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
    await waitFor("the app", () => app.output().includes("listening"));
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
    assert.match(ns.natRules(), /--dport 80 -j REDIRECT/);

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
});
