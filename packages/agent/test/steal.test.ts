import { strict as assert } from "node:assert";
import { Agent } from "node:http";
import { connect } from "node:net";
import { request as http1Request } from "node:http";
import { connect as http2Connect } from "node:http2";
import * as grpc from "@grpc/grpc-js";
import { AgentConnection, type StealHandle } from "@mirrord-ts/agent-client";
import { type RunningAgent, startAgent } from "./agent-process.js";
import { grpcFrame, grpcSay, http1, http2Requests } from "./http-clients.js";
import { TestNetns, waitFor } from "./netns.js";

const fixture = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).pathname;

describe("agent in a network namespace: steal", function () {
  this.timeout(60_000);
  let ns: TestNetns;
  let agent: RunningAgent;
  let client: AgentConnection | undefined;
  let steal: StealHandle | undefined;
  let app: string;

  before(async () => {
    ns = TestNetns.create(13);
    app = `http://${ns.podIp}`;
    const apps = [
      ns.spawn(process.execPath, [fixture("http-app.mjs"), "80"]),
      ns.spawn(process.execPath, [fixture("h2-app.mjs"), "81"]),
      ns.spawn(process.execPath, [fixture("grpc-app.mjs"), "82"], { cwd: new URL("..", import.meta.url).pathname }),
      ns.spawn(process.execPath, [fixture("echo.mjs"), "7007"]),
    ];
    await waitFor("the apps", () => apps.every((a) => a.output().includes("listening")));
    agent = await startAgent(ns, ["--exclude-source", ns.nodeIp, "--communication-timeout", "5"]);
    client = await AgentConnection.connect(agent.address);
  });

  afterEach(async () => {
    steal?.cancel();
    steal = undefined;
    await waitFor("the redirects to go", () => !/REDIRECT/.test(ns.natRules()));
  });

  after(function () {
    if (this.currentTest?.state === "failed" || process.env.AGENT_LOG) console.log(agent?.output());
    client?.close();
    ns?.destroy();
  });

  it("steals whole connections without a filter, but never the node's (kubelet) traffic", async () => {
    steal = await client!.steal(80, {
      onConnection: (connection) => {
        let request = "";
        connection.onData((data) => {
          request += data.toString();
          if (request.includes("\r\n\r\n")) {
            const body = `local-whole ${request.split(" ")[1]}`;
            connection.write(Buffer.from(`HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`));
            connection.end();
          }
        });
      },
    });
    assert.match(ns.natRules(), /--dport 80 -m mark --mark 0x10000000\/0x10000000 -j REDIRECT/);
    assert.equal((await http1(`${app}/a`)).body, "local-whole /a");
    // The kubelet probes from the node's address, which the agent excludes.
    assert.equal((await http1(`${app}/healthz`, { localAddress: ns.nodeIp })).body, "app GET /healthz ");
    // In-pod traffic to the pod's own address goes through OUTPUT, and is stolen too.
    const inPod = await ns.execAsync(process.execPath, ["-e", `fetch("http://127.0.0.1:80/in-pod").then(r => r.text()).then(t => process.stdout.write(t))`]);
    assert.equal(inPod, "local-whole /in-pod");
    steal.cancel();
    steal = undefined;
    await waitFor("the redirect to go", () => !/REDIRECT/.test(ns.natRules()));
    assert.equal((await http1(`${app}/a`)).body, "app GET /a ");
  });

  it("steals only HTTP/1.1 requests whose header matches, on one keep-alive connection", async () => {
    const seen: string[] = [];
    steal = await client!.steal(
      80,
      {
        onRequest: (request) => {
          seen.push(`${request.version} ${request.method} ${request.path} ${request.body.toString()}`);
          return { status: 201, headers: [{ name: "x-served-by", value: "local" }], body: Buffer.from(`local ${request.path}`) };
        },
      },
      { headerRegex: "^x-filter: yes$" },
    );
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    const results: string[] = [];
    for (let i = 0; i < 6; i++) {
      const matching = i % 2 === 0;
      const answer = await http1(`${app}/r${i}`, { agent: keepAlive, method: "POST", body: `b${i}`, headers: matching ? { "x-filter": "yes" } : { "x-filter": "no" } });
      results.push(`${answer.status} ${answer.headers["x-served-by"]} ${answer.body}`);
    }
    keepAlive.destroy();
    assert.deepEqual(results, [
      "201 local local /r0",
      "200 app app POST /r1 b1",
      "201 local local /r2",
      "200 app app POST /r3 b3",
      "201 local local /r4",
      "200 app app POST /r5 b5",
    ]);
    assert.deepEqual(seen, ["HTTP/1.1 POST /r0 b0", "HTTP/1.1 POST /r2 b2", "HTTP/1.1 POST /r4 b4"]);
  });

  it("answers 502 to a request the client still holds when the steal ends, at once (the debuggee was stopped at a breakpoint)", async () => {
    let held!: () => void;
    const arrived = new Promise<void>((resolve) => (held = resolve));
    steal = await client!.steal(80, { onRequest: () => { held(); return new Promise(() => {}); } }, { headerRegex: "^x-filter: yes$" });
    const answer = http1(`${app}/held`, { headers: { "x-filter": "yes" } }).then((a) => `${a.status} ${a.body}`, (e: Error) => `failed: ${e.message}`);
    await arrived;
    const cancelledAt = Date.now();
    steal.cancel();
    steal = undefined;
    const outcome = await answer;
    assert.match(outcome, /^502 mirrord: the stolen request got no response/, outcome);
    assert.ok(Date.now() - cancelledAt < 3000, `answered ${Date.now() - cancelledAt} ms after the steal ended`);
  });

  it("lets a request on its way to the app finish when the steal ends, and the app takes the next ones directly", async () => {
    steal = await client!.steal(80, { onRequest: () => ({ status: 200, headers: [], body: Buffer.from("local") }) }, { headerRegex: "^x-filter: yes$" });
    const slow = http1(`${app}/slow/700`).then((a) => `${a.status} ${a.body}`, (e: Error) => `failed: ${e.message}`);
    await new Promise((r) => setTimeout(r, 200));
    const closing = steal.close();
    steal = undefined;
    const during = http1(`${app}/during`).then((a) => `${a.status} ${a.body}`, (e: Error) => `failed: ${e.message}`);
    await closing;
    assert.equal(await slow, "200 app GET /slow/700 ");
    assert.equal(await during, "200 app GET /during ");
    assert.doesNotMatch(ns.natRules(), /REDIRECT/);
  });

  it("lets a connection the app serves whole (silent past the sniff) finish its request when the steal ends", async () => {
    steal = await client!.steal(80, { onRequest: () => ({ status: 200, headers: [], body: Buffer.from("local") }) }, { headerRegex: "^x-filter: yes$" });
    const answer = rawExchange(ns.podIp, 80, "GET /slow/600 HTTP/1.1\r\nhost: app\r\nconnection: close\r\n\r\n", 1300);
    await new Promise((r) => setTimeout(r, 1500)); // passed on whole after the sniff's 1 s, the request at the app
    const closing = steal.close();
    steal = undefined;
    await closing;
    const reply = await answer;
    assert.match(reply, /^HTTP\/1\.1 200 OK\r\n[\s\S]*app GET \/slow\/600 $/, reply);
  });

  it("keeps a held request of one port answerable while the steal of another port ends", async () => {
    let release!: (answer: { status: number; headers: never[]; body: Buffer }) => void;
    let arrived!: () => void;
    const came = new Promise<void>((resolve) => (arrived = resolve));
    steal = await client!.steal(80, { onRequest: () => { arrived(); return new Promise((resolve) => (release = resolve)); } }, { headerRegex: "^x-filter: yes$" });
    const other = await client!.steal(7007, { onConnection: () => {} });
    const answer = http1(`${app}/held`, { headers: { "x-filter": "yes" } }).then((a) => `${a.status} ${a.body}`, (e: Error) => `failed: ${e.message}`);
    await came;
    other.cancel();
    await waitFor("port 7007's redirect to go", () => !/--dport 7007 .*REDIRECT/.test(ns.natRules()));
    release({ status: 200, headers: [], body: Buffer.from("local late") });
    assert.equal(await answer, "200 local late");
  });

  it("gives the port back before close() resolves: the connection made next reaches the app and stays up (20 times)", async () => {
    // The echo app greets with "echo:" and then sends back what it gets.
    const received = new WeakMap<object, string>();
    const echoOnce = (socket: ReturnType<typeof connect>, text: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const onData = (d: Buffer): void => {
          const all = (received.get(socket) ?? "") + d.toString();
          received.set(socket, all);
          if (!all.endsWith(text)) return;
          socket.off("data", onData);
          received.set(socket, "");
          resolve(all);
        };
        socket.on("data", onData);
        socket.once("error", reject);
        socket.once("close", () => reject(new Error(`closed; got ${JSON.stringify(received.get(socket))}`)));
        socket.write(text);
      });
    for (let i = 0; i < 20; i++) {
      const handle = await client!.steal(7007, { onRequest: () => ({ status: 500, headers: [], body: Buffer.alloc(0) }) }, { headerRegex: "x" });
      await handle.close();
      assert.doesNotMatch(ns.natRules(), /--dport 7007 .*REDIRECT/, `round ${i}: the redirect is still there`);
      const socket = connect(7007, ns.podIp);
      try {
        assert.equal(await echoOnce(socket, `first ${i}\n`), `echo:first ${i}\n`);
        // Past the agent's flush window: a connection it had taken would be cut by now.
        await new Promise((r) => setTimeout(r, 100));
        assert.equal(await echoOnce(socket, `second ${i}\n`), `second ${i}\n`);
      } finally {
        socket.destroy();
      }
    }
  });

  it("filters on the path, and passes non-HTTP connections to the app unchanged", async () => {
    steal = await client!.steal(80, { onRequest: (r) => ({ status: 200, headers: [], body: Buffer.from(`local ${r.path}`) }) }, { pathRegex: "^/api/" });
    assert.equal((await http1(`${app}/api/users?x=1`)).body, "local /api/users?x=1");
    assert.equal((await http1(`${app}/web`)).body, "app GET /web ");
    // The agent reached the app at the pod's address on port 80 through OUTPUT, where the
    // first rule lets its gid through: the counter proves that rule, not luck, kept the
    // connection from being redirected back to the agent.
    const counted = ns.exec("iptables-save", ["-c", "-t", "nat"]);
    const gidRule = counted.split("\n").find((l) => /-A MIRRORD_TS_\w+_OUT -m owner --gid-owner 7148 -j RETURN/.test(l));
    assert.ok(gidRule, counted);
    assert.ok(Number(/^\[(\d+):/.exec(gidRule)![1]) > 0, `the gid exclusion was never hit: ${gidRule}`);
    steal.cancel();
    await waitFor("the redirect to go", () => !/REDIRECT/.test(ns.natRules()));

    steal = await client!.steal(7007, { onRequest: () => ({ status: 500, headers: [], body: Buffer.alloc(0) }) }, { headerRegex: "x" });
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(7007, ns.podIp, () => socket.end("not http\n"));
      let text = "";
      socket.on("data", (d: Buffer) => (text += d.toString()));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    assert.equal(reply, "echo:not http\n");
  });

  it("hands a matching HTTP/1.1 upgrade to the client whole and passes other upgrades to the app", async () => {
    steal = await client!.steal(
      80,
      {
        onRequest: () => ({ status: 500, headers: [], body: Buffer.alloc(0) }),
        onConnection: (connection) => {
          let seen = "";
          let upgraded = false;
          connection.onData((data) => {
            if (upgraded) return connection.write(Buffer.from(`local-upgraded:${data}`));
            seen += data.toString();
            if (seen.includes("\r\n\r\n")) {
              upgraded = true;
              assert.match(seen, /^GET \/ws HTTP\/1\.1\r\n/);
              connection.write(Buffer.from("HTTP/1.1 101 Switching Protocols\r\nupgrade: echo\r\nconnection: Upgrade\r\n\r\n"));
            }
          });
        },
      },
      { headerRegex: "^x-filter: yes$" },
    );
    const upgrade = (filter: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = connect(80, ns.podIp, () =>
          socket.write(`GET /ws HTTP/1.1\r\nhost: app\r\nconnection: Upgrade\r\nupgrade: echo\r\nx-filter: ${filter}\r\n\r\n`),
        );
        let text = "";
        let sent = false;
        socket.on("data", (d: Buffer) => {
          text += d.toString();
          if (!sent && text.includes("\r\n\r\n")) {
            sent = true;
            socket.write("hi");
          }
          if (/upgraded:hi$/.test(text)) {
            socket.destroy();
            resolve(text);
          }
        });
        socket.on("error", reject);
      });
    assert.match(await upgrade("yes"), /^HTTP\/1\.1 101 [^]*\r\n\r\nlocal-upgraded:hi$/);
    assert.match(await upgrade("no"), /^HTTP\/1\.1 101 [^]*\r\n\r\napp-upgraded:hi$/);
  });

  it("steals only matching HTTP/2 streams of one multiplexed h2c connection, trailers included", async () => {
    steal = await client!.steal(
      81,
      {
        onRequest: (request) => ({
          status: 200,
          headers: [{ name: "x-served-by", value: "local" }],
          body: Buffer.from(`local2 ${request.path} ${request.version} ${request.body.toString()}`),
          trailers: [{ name: "x-trailer", value: "local-done" }],
        }),
      },
      { headerRegex: "^x-filter: yes$" },
    );
    const answers = await http2Requests(`http://${ns.podIp}:81`, [
      { path: "/one", headers: { "x-filter": "yes" }, body: "p1" },
      { path: "/two" },
      { path: "/three", headers: { "x-filter": "yes" } },
      { path: "/four", body: "p4" },
    ]);
    assert.deepEqual(
      answers.map((a) => `${a.status} ${a.headers["x-served-by"]} ${a.body} ${a.trailers?.["x-trailer"]}`),
      ["200 local local2 /one HTTP/2 p1 local-done", "200 app2 app2 /two  app2-done", "200 local local2 /three HTTP/2  local-done", "200 app2 app2 /four p4 app2-done"],
    );
  });

  it("steals matching gRPC calls (metadata filter) and passes the others to the gRPC app", async () => {
    steal = await client!.steal(
      82,
      {
        onRequest: (request) => {
          const message = request.body.subarray(5).toString();
          return {
            status: 200,
            headers: [{ name: "content-type", value: "application/grpc" }],
            body: grpcFrame(Buffer.from(`local:${message}`)),
            trailers: [
              { name: "grpc-status", value: "0" },
              { name: "grpc-message", value: "" },
            ],
          };
        },
      },
      { headerRegex: "^x-mirrord-user: me$" },
    );
    const address = `${ns.podIp}:82`;
    assert.equal(await grpcSay(address, "hi", { "x-mirrord-user": "me" }), "local:hi");
    assert.equal(await grpcSay(address, "there", { "x-mirrord-user": "someone-else" }), "app:there");
    assert.equal(await grpcSay(address, "plain"), "app:plain");
  });

  it("steals over IPv6 too, and passes non-matching IPv6 requests to the app", async () => {
    steal = await client!.steal(80, { onRequest: (r) => ({ status: 200, headers: [], body: Buffer.from(`local6 ${r.path} ${r.remote?.ip}`) }) }, { headerRegex: "^x-filter: yes$" });
    assert.match(ns.natRules(), /\*nat[^]*MIRRORD_TS_\w+_PRE -p tcp -m tcp --dport 80 -m mark --mark 0x10000000\/0x10000000 -j REDIRECT[^]*\*nat[^]*MIRRORD_TS_\w+_PRE -p tcp -m tcp --dport 80 -m mark --mark 0x10000000\/0x10000000 -j REDIRECT/);
    const app6 = `http://[${ns.podIp6}]`;
    assert.equal((await http1(`${app6}/v6`, { headers: { "x-filter": "yes" } })).body, `local6 /v6 ${ns.hostIp6}`);
    assert.equal((await http1(`${app6}/v6`, { headers: { "x-filter": "no" } })).body, "app GET /v6 ");
    assert.equal((await http1(`${app}/v4`, { headers: { "x-filter": "yes" } })).body, `local6 /v4 ${ns.hostIp}`);
  });

  it("keeps every answer right under load: 500 requests, 50 at a time, each on a new connection, half matching", async () => {
    steal = await client!.steal(80, { onRequest: (r) => ({ status: 200, headers: [], body: Buffer.from(`local ${r.path}`) }) }, { headerRegex: "^x-filter: yes$" });
    const total = 500;
    let next = 0;
    const wrong: string[] = [];
    const start = Date.now();
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < total) {
          const i = next++;
          const matching = i % 2 === 0;
          const answer = await http1(`${app}/c${i}`, { headers: { "x-filter": matching ? "yes" : "no" } });
          const expected = matching ? `local /c${i}` : `app GET /c${i} `;
          if (answer.body !== expected) wrong.push(`${i}: ${answer.status} ${answer.body}`);
        }
      }),
    );
    console.log(`      filtered steal under load: ${total} requests in ${Date.now() - start} ms`);
    assert.deepEqual(wrong, []);
  });

  it("survives peers that reset in the middle of requests, bodies and responses", async () => {
    let slowAnswers = 0;
    steal = await client!.steal(
      80,
      {
        onRequest: async (r) => {
          if (r.path === "/slow") {
            slowAnswers++;
            await new Promise((resolve) => setTimeout(resolve, 300));
          }
          return { status: 200, headers: [], body: Buffer.from(`local ${r.path}`) };
        },
      },
      { headerRegex: "^x-filter: yes$" },
    );
    const rude = (payload: string, afterMs: number): Promise<void> =>
      new Promise((resolve) => {
        const socket = connect(80, ns.podIp, () => {
          socket.write(payload);
          setTimeout(() => {
            socket.resetAndDestroy();
            resolve();
          }, afterMs);
        });
        socket.on("error", () => resolve());
      });
    await Promise.all([
      rude("GET /half HTTP/1.1\r\nx-filt", 50), // headers cut off
      rude("POST /body HTTP/1.1\r\nx-filter: yes\r\ncontent-length: 100\r\n\r\nonly-part", 50), // body cut off
      rude("POST /body HTTP/1.1\r\nx-filter: no\r\ncontent-length: 100\r\n\r\nonly-part", 50), // to the app, cut off
      rude("GET /slow HTTP/1.1\r\nx-filter: yes\r\n\r\n", 50), // no Host (the app decides), gone before the client answers
      rude("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00", 50), // h2 preface, then garbage
      rude("\x16\x03\x01garbage", 50), // not HTTP
    ]);
    await waitFor("the slow request to reach the client", () => slowAnswers === 1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal((await http1(`${app}/still`, { headers: { "x-filter": "yes" } })).body, "local /still");
    assert.equal((await http1(`${app}/still`, { headers: { "x-filter": "no" } })).body, "app GET /still ");
    assert.equal(agent.child.exitCode, null, "the agent is still running");
  });

  describe("with streamed bodies", () => {
    /** A local handler that echoes each piece of the request body as soon as it arrives. */
    async function* echoPieces(body: AsyncIterable<Buffer> | undefined): AsyncIterable<Buffer> {
      for await (const piece of body ?? []) yield Buffer.concat([Buffer.from("echo:"), piece]);
    }

    it("answers an HTTP/1.1 upload piece by piece before it has ended", async () => {
      steal = await client!.steal(80, { onRequest: (_r, body) => ({ status: 200, headers: [], stream: echoPieces(body) }) }, { headerRegex: "^x-filter: yes$" }, { streamBodies: true });
      const text = await new Promise<string>((resolve, reject) => {
        const req = http1Request(`${app}/up`, { method: "POST", headers: { "x-filter": "yes", "transfer-encoding": "chunked" }, agent: false }, (res) => {
          let received = "";
          res.on("data", (d: Buffer) => {
            received += d.toString();
            // Each answer arrives while the upload is still open: only then is the next piece sent.
            if (received === "echo:one") req.write("two");
            if (received === "echo:oneecho:two") req.end();
          });
          res.on("end", () => resolve(received));
        });
        req.on("error", reject);
        req.flushHeaders();
        req.write("one");
      });
      assert.equal(text, "echo:oneecho:two");
    });

    it("answers an HTTP/2 stream piece by piece with trailers, and a bidirectional gRPC call", async () => {
      steal = await client!.steal(
        82,
        { onRequest: (_r, body) => ({ status: 200, headers: [{ name: "content-type", value: "application/grpc" }], stream: passPieces(body), trailers: [{ name: "grpc-status", value: "0" }] }) },
        { headerRegex: "^x-mirrord-user: me$" },
        { streamBodies: true },
      );
      // gRPC frames echoed back unchanged are valid answers: a bidirectional echo.
      async function* passPieces(body: AsyncIterable<Buffer> | undefined): AsyncIterable<Buffer> {
        for await (const piece of body ?? []) yield piece;
      }
      const identity = (b: Buffer): Buffer => b;
      const Client = grpc.makeGenericClientConstructor(
        { Chat: { path: "/test.Echo/Chat", requestStream: true, responseStream: true, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity } },
        "Echo",
      );
      const grpcClient = new Client(`${ns.podIp}:82`, grpc.credentials.createInsecure());
      const md = new grpc.Metadata();
      md.set("x-mirrord-user", "me");
      const chat = (grpcClient as unknown as { Chat: (md: grpc.Metadata) => grpc.ClientDuplexStream<Buffer, Buffer> }).Chat(md);
      const replies: string[] = [];
      const status = await new Promise<grpc.StatusObject>((resolve) => {
        chat.on("data", (reply: Buffer) => {
          replies.push(reply.toString());
          if (replies.length === 1) chat.write(Buffer.from("second"));
          if (replies.length === 2) chat.end();
        });
        chat.on("status", resolve);
        chat.on("error", () => {});
        chat.write(Buffer.from("first"));
      });
      grpcClient.close();
      assert.equal(status.code, grpc.status.OK);
      assert.deepEqual(replies, ["first", "second"]);

      // Plain HTTP/2 on the h2 app's port: pieces and a trailer from the local handler.
      steal.cancel();
      await waitFor("the redirect to go", () => !/REDIRECT/.test(ns.natRules()));
      steal = await client!.steal(
        81,
        { onRequest: (_r, body) => ({ status: 200, headers: [], stream: echoPieces(body), trailers: [{ name: "x-trailer", value: "local-stream" }] }) },
        { headerRegex: "^x-filter: yes$" },
        { streamBodies: true },
      );
      const session = http2Connect(`http://${ns.podIp}:81`);
      try {
        const result = await new Promise<{ text: string; trailer: unknown }>((resolve, reject) => {
          const stream = session.request({ ":method": "POST", ":path": "/s", "x-filter": "yes" });
          let text = "";
          let trailer: unknown;
          stream.on("data", (d: Buffer) => {
            text += d.toString();
            if (text === "echo:a") stream.end("b");
          });
          stream.on("trailers", (t) => (trailer = t["x-trailer"]));
          stream.on("end", () => resolve({ text, trailer }));
          stream.on("error", reject);
          stream.write("a");
        });
        assert.deepEqual(result, { text: "echo:aecho:b", trailer: "local-stream" });
      } finally {
        session.destroy();
      }
    });
  });

  it("costs little per stolen request (100 sequential matching requests on keep-alive)", async () => {
    const baselineAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 10; i++) await http1(`${app}/lat`, { agent: baselineAgent });
    const baselineStart = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) await http1(`${app}/lat`, { agent: baselineAgent });
    const baselineMs = Number(process.hrtime.bigint() - baselineStart) / 1e6 / 100;
    baselineAgent.destroy();
    steal = await client!.steal(80, { onRequest: () => ({ status: 200, headers: [], body: Buffer.from("local") }) }, { headerRegex: "^x-filter: yes$" });
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    const direct = async (n: number, headers: Record<string, string>): Promise<number> => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < n; i++) await http1(`${app}/lat`, { agent: keepAlive, headers });
      return Number(process.hrtime.bigint() - start) / 1e6 / n;
    };
    await direct(10, { "x-filter": "yes" }); // warm-up
    const stolenMs = await direct(100, { "x-filter": "yes" });
    const passedMs = await direct(100, { "x-filter": "no" });
    keepAlive.destroy();
    console.log(
      `      steal latency: ${stolenMs.toFixed(2)} ms per matching request (to the client and back), ` +
        `${passedMs.toFixed(2)} ms per non-matching request (through the agent to the app), ${baselineMs.toFixed(2)} ms without steal`,
    );
    assert.ok(stolenMs < 50, `a stolen request took ${stolenMs} ms`);
  });
});

/** Connects, waits `silentMs`, sends `request`, and resolves with everything read until the peer ends (or a failure line). */
function rawExchange(host: string, port: number, request: string, silentMs: number): Promise<string> {
  return new Promise((resolve) => {
    let read = "";
    const socket = connect({ host, port }, () => setTimeout(() => socket.write(request), silentMs));
    socket.on("data", (data: Buffer) => (read += data.toString()));
    socket.on("end", () => resolve(read));
    socket.on("error", (error) => resolve(`failed after ${JSON.stringify(read)}: ${error.message}`));
  });
}
