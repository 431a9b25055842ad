import { strict as assert } from "node:assert";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AgentConnection } from "@mirrord-ts/agent-client";
// @ts-expect-error build.mjs is plain JavaScript without types
import { buildAgent } from "../build.mjs";
import { startAgent } from "./agent-process.js";
import { TestNetns, waitFor } from "./netns.js";

const fixture = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).pathname;

describe("the bundled agent (dist/agent.js)", function () {
  this.timeout(60_000);
  let ns: TestNetns;
  let dir: string;

  before(() => {
    ns = TestNetns.create(16);
    dir = mkdtempSync(join(tmpdir(), "mirrord-agent-bundle-"));
  });

  after(() => {
    ns?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is one file that runs without node_modules and serves the protocol", async () => {
    const built: string = await (buildAgent as (out: string) => Promise<string>)(join(dir, "build/agent.js"));
    // Alone in a folder: nothing to resolve packages from.
    const alone = join(dir, "agent.js");
    copyFileSync(built, alone);
    const text = readFileSync(alone, "utf8");
    const imports = [...text.matchAll(/^import .* from "([^"]+)";$/gm), ...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!);
    assert.ok(imports.length > 0);
    const nonBuiltin = imports.filter((name) => !name.startsWith("node:") && !/^(dns|events|fs|http|http2|net|os|path|process|stream|tls|url|util|zlib|crypto|child_process|dgram|module)$/.test(name));
    assert.deepEqual(nonBuiltin, []);

    const echo = ns.spawn(process.execPath, [fixture("echo.mjs"), "7007"]);
    const target = ns.spawn(process.execPath, [fixture("env-process.mjs")], { env: { PATH: process.env.PATH, MARKER: "bundled" } });
    await waitFor("echo and target", () => echo.output().includes("listening") && target.output().includes("env-process"));
    const spawnedAt = Date.now();
    const agent = await startAgent(ns, ["--target-pid", String(target.child.pid), "--communication-timeout", "2"], { bundle: alone });
    console.log(`      bundled agent: ready ${Date.now() - spawnedAt} ms after spawn (guard + worker), ${(readFileSync(alone).length / 1024).toFixed(0)} KiB`);
    const client = await AgentConnection.connect(agent.address);
    try {
      assert.equal((await client.getEnv()).MARKER, "bundled");
      const stream = await client.connectTcp("127.0.0.1", 7007);
      const received: Buffer[] = [];
      stream.on("data", (d: Buffer) => received.push(d));
      const ended = new Promise((r) => stream.once("end", r));
      stream.end("bundle");
      await ended;
      assert.equal(Buffer.concat(received).toString(), "echo:bundle");
    } finally {
      client.close();
    }
    await new Promise((r) => agent.child.once("exit", r));
    assert.equal(agent.child.exitCode, 0);
  });
});
