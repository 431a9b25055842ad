import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AgentConnection } from "@mirrord-ts/agent-client";
import { type RunningAgent, startAgent } from "./agent-process.js";
import { processTree } from "../src/target/process-tree.js";
import { type NetnsProcess, TestNetns, alive, waitFor } from "./netns.js";

/** A process in its own root (chroot), like a container's main process. */
function startChrooted(ns: TestNetns, root: string, marker: string): NetnsProcess {
  const script = "import os,sys,time; os.chroot(sys.argv[1]); os.chdir('/'); print('ready', flush=True); time.sleep(3600)";
  return ns.spawn("python3", ["-c", script, root], { env: { PATH: process.env.PATH, MARKER: marker, SHARED: `from-${marker}` } });
}

function processState(pid: number): string {
  // /proc/<pid>/stat: "pid (comm) S ..."; the state follows the last ")".
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
}

describe("agent in a network namespace: env, files and pause of the target", function () {
  this.timeout(60_000);
  let ns: TestNetns;
  let rootA: string;
  let rootB: string;
  let target: NetnsProcess;
  let agent: RunningAgent;
  let client: AgentConnection | undefined;

  before(async () => {
    ns = TestNetns.create(12);
    rootA = mkdtempSync(join(tmpdir(), "mirrord-root-a-"));
    rootB = mkdtempSync(join(tmpdir(), "mirrord-root-b-"));
    for (const [root, name] of [
      [rootA, "a"],
      [rootB, "b"],
    ] as const) {
      mkdirSync(join(root, "etc"));
      mkdirSync(join(root, "data/sub"), { recursive: true });
      writeFileSync(join(root, "etc/hostname"), `pod-${name}\n`);
      writeFileSync(join(root, "data/big.bin"), Buffer.alloc(700_000, name));
      writeFileSync(join(root, "data/sub/x.txt"), "x");
    }
    symlinkSync("/etc/hostname", join(rootA, "data/abs-link")); // absolute: must stay inside the root
    symlinkSync("../../../../../../etc/hostname", join(rootA, "data/rel-escape"));
    symlinkSync("/../../../../etc/passwd", join(rootA, "data/passwd-escape"));
    symlinkSync("loop2", join(rootA, "data/loop1"));
    symlinkSync("loop1", join(rootA, "data/loop2"));
    target = startChrooted(ns, rootA, "first");
    const other = startChrooted(ns, rootB, "second");
    await waitFor("both target processes", () => target.output().includes("ready") && other.output().includes("ready"));
    agent = await startAgent(ns, ["--target-pid", String(target.child.pid), "--communication-timeout", "5"]);
    client = await AgentConnection.connect(agent.address);
  });

  after(() => {
    client?.close();
    ns?.destroy();
    for (const root of [rootA, rootB]) if (root) rmSync(root, { recursive: true, force: true });
  });

  it("returns the targeted process's environment only", async () => {
    const env = await client!.getEnv();
    assert.equal(env.MARKER, "first");
    assert.equal(env.SHARED, "from-first");
    assert.equal(client!.hello.targetPid, target.child.pid);
  });

  it("reads a file of the target's root, in chunks", async () => {
    assert.equal((await client!.readWholeFile("/etc/hostname")).toString(), "pod-a\n");
    const big = await client!.readWholeFile("/data/big.bin");
    assert.equal(big.length, 700_000);
    assert.ok(big.every((b) => b === "a".charCodeAt(0)));
  });

  it("stats and lists directories as the target sees them", async () => {
    const stat = await client!.statFile("/data/big.bin");
    assert.equal(stat.type, "FILE_TYPE_FILE");
    assert.equal(stat.size, 700_000);
    const entries = await client!.readDir("/data");
    const byName = Object.fromEntries(entries.map((e) => [e.name, e.type]));
    assert.equal(byName.sub, "FILE_TYPE_DIRECTORY");
    assert.equal(byName["abs-link"], "FILE_TYPE_SYMLINK");
    assert.equal(byName["big.bin"], "FILE_TYPE_FILE");
  });

  it("describes and reads symlinks themselves (lstat, readlink)", async () => {
    assert.equal((await client!.statFile("/data/abs-link", true)).type, "FILE_TYPE_SYMLINK");
    assert.equal((await client!.statFile("/data/abs-link")).type, "FILE_TYPE_FILE");
    assert.equal(await client!.readLink("/data/abs-link"), "/etc/hostname");
    await assert.rejects(client!.readLink("/etc/hostname"), (e: { code?: string }) => e.code === "EINVAL");
  });

  it("never leaves the root through .. or symlinks", async () => {
    assert.equal((await client!.readWholeFile("/../../../../etc/hostname")).toString(), "pod-a\n");
    assert.equal((await client!.readWholeFile("/data/abs-link")).toString(), "pod-a\n");
    assert.equal((await client!.readWholeFile("/data/rel-escape")).toString(), "pod-a\n");
    // The host has /etc/passwd; the target's root has none.
    await assert.rejects(client!.readWholeFile("/data/passwd-escape"), (e: { code?: string }) => e.code === "ENOENT");
    await assert.rejects(client!.readWholeFile("/../etc/passwd"), (e: { code?: string }) => e.code === "ENOENT");
    await assert.rejects(client!.statFile("/data/loop1"), (e: { code?: string }) => e.code === "ELOOP");
  });

  it("stops and continues the target, and continues it when the session ends", async () => {
    const pid = target.child.pid!;
    assert.equal(await client!.pause(true), true);
    await waitFor("the target to stop", () => processState(pid) === "T");
    assert.equal(await client!.pause(false), false);
    await waitFor("the target to run again", () => processState(pid) !== "T");

    assert.equal(await client!.pause(true), true);
    await waitFor("the target to stop", () => processState(pid) === "T");
    client!.close();
    client = undefined;
    await waitFor("the target to run again after the session closed", () => processState(pid) !== "T", 5000);
  });

  it("stops and continues a target's children too (a shell or init as the main process)", async () => {
    const shell = ns.spawn("sh", ["-c", "sleep 1000 & sleep 1000 & echo started; wait"]);
    await waitFor("the shell's children", () => shell.output().includes("started") && processTree(shell.child.pid!).length === 3);
    const tree = processTree(shell.child.pid!);
    const agentForShell = await startAgent(ns, ["--target-pid", String(shell.child.pid), "--communication-timeout", "5"]);
    const pausing = await AgentConnection.connect(agentForShell.address);
    try {
      await pausing.pause(true);
      await waitFor("the whole tree to stop", () => tree.every((pid) => processState(pid) === "T"));
      await pausing.pause(false);
      await waitFor("the whole tree to run", () => tree.every((pid) => processState(pid) !== "T"));
      await pausing.pause(true);
      await waitFor("the whole tree to stop", () => tree.every((pid) => processState(pid) === "T"));
      process.kill(agentForShell.ready.pid, "SIGKILL");
      await waitFor("the guard to continue the whole tree", () => tree.every((pid) => processState(pid) !== "T"), 5000);
    } finally {
      pausing.close();
    }
  });

  it("continues the target when the worker is killed while the target is paused", async () => {
    const pid = target.child.pid!;
    const second = await startAgent(ns, ["--target-pid", String(pid), "--communication-timeout", "5"]);
    const pausing = await AgentConnection.connect(second.address);
    try {
      await pausing.pause(true);
      await waitFor("the target to stop", () => processState(pid) === "T");
      process.kill(second.ready.pid, "SIGKILL");
      await waitFor("the guard to continue the target", () => processState(pid) !== "T", 5000);
    } finally {
      pausing.close();
    }
  });

  it("a target left paused by an agent killed with both processes is released by the next agent on the pod, and a live agent's pause is kept", async () => {
    const pid = target.child.pid!;
    const holder = await startAgent(ns, ["--target-pid", String(pid), "--communication-timeout", "30"]);
    const dead = await startAgent(ns, ["--target-pid", String(pid), "--communication-timeout", "30"]);
    const holding = await AgentConnection.connect(holder.address);
    const pausing = await AgentConnection.connect(dead.address);
    try {
      // While a live agent holds a pause, a new agent leaves the target alone.
      await holding.pause(true);
      await waitFor("the target to stop", () => processState(pid) === "T");
      const bystander = await startAgent(ns, ["--target-pid", String(pid), "--communication-timeout", "2"]);
      assert.equal(processState(pid), "T", "a live agent's pause is kept");
      assert.doesNotMatch(bystander.output(), /released target/);
      await holding.pause(false);
      await waitFor("the target to run again", () => processState(pid) !== "T");

      await pausing.pause(true);
      await waitFor("the target to stop", () => processState(pid) === "T");
      // Both processes at once: neither can undo the pause.
      process.kill(dead.ready.pid, "SIGSTOP");
      process.kill(dead.child.pid!, "SIGKILL");
      process.kill(dead.ready.pid, "SIGKILL");
      await waitFor("the agent's processes to go", () => !alive(dead.ready.pid) && !alive(dead.child.pid!));
      assert.equal(processState(pid), "T", "the killed agent left the target stopped");
      const next = await startAgent(ns, ["--target-pid", String(pid), "--communication-timeout", "2"]);
      await waitFor("the next agent to release the target", () => processState(pid) !== "T", 5000);
      assert.match(next.output(), new RegExp(`released target ${pid}: an agent that no longer runs had left it paused`));
    } finally {
      holding.close();
      pausing.close();
    }
  });
});
