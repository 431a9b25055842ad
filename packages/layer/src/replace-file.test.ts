// scripts/replace-file.mjs, the way the builds install the layer's files: a process that
// has layer.node loaded survives its copy being replaced, while an in-place rewrite of the
// same bytes (what copyFileSync does) kills it at its next call into the addon — the SIGSEGV
// seen in `mirrord ext` sessions while a test suite rebuilt packages/core.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, copyFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { layerPaths } from "./paths.js";

const replaceScript = fileURLToPath(new URL("../scripts/replace-file.mjs", import.meta.url));

/** A node process with `addon` loaded, a supervisor started; on "go" it calls into the addon and exits. */
function holder(addonPath: string, dir: string) {
  const script = `
    const addon = require(${JSON.stringify(addonPath)});
    const h = addon.createSupervisor(${JSON.stringify(join(dir, "s.sock"))}, () => {});
    console.log("loaded");
    process.stdin.once("data", () => { addon.checkKernel(); addon.closeSupervisor(h); console.log("called"); process.exit(0); });`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const loaded = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes("loaded")) {
        clearInterval(timer);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`holder exited ${child.exitCode}`));
      }
    }, 20);
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, out })));
  return { loaded, go: () => child.stdin.write("go\n"), done, kill: () => child.kill("SIGKILL") };
}

function replace(src: string, dest: string): void {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", `import { replaceFile } from ${JSON.stringify(replaceScript)}; console.log(replaceFile(${JSON.stringify(src)}, ${JSON.stringify(dest)}));`], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
}

describe("replacing the layer's files under running sessions (scripts/replace-file.mjs)", function () {
  let dir: string;
  let loaded: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "layer-replace-"));
    loaded = join(dir, "layer.node");
    copyFileSync(layerPaths.addon, loaded);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("an in-place rewrite of the same bytes kills the process that has it loaded (why the builds rename)", async () => {
    const p = holder(loaded, dir);
    try {
      await p.loaded;
      copyFileSync(layerPaths.addon, loaded);
      p.go();
      const { signal, out } = await p.done;
      assert.equal(signal, "SIGSEGV", `expected the in-place rewrite to crash the holder; it printed ${JSON.stringify(out)}`);
    } finally {
      p.kill();
    }
  });

  it("replaceFile leaves the running process on its old file, with new bytes and with the same bytes", async () => {
    // Different bytes (an appended byte keeps the ELF valid): a real replacement, a new inode.
    const changed = join(dir, "changed.node");
    copyFileSync(layerPaths.addon, changed);
    appendFileSync(changed, Buffer.from([0]));
    for (const source of [changed, layerPaths.addon]) {
      const p = holder(loaded, dir);
      try {
        await p.loaded;
        const before = statSync(loaded);
        replace(source, loaded);
        const after = statSync(loaded);
        assert.equal(after.size, statSync(source).size);
        assert.equal(after.mode & 0o777, statSync(source).mode & 0o777);
        if (source === changed) assert.notEqual(after.ino, before.ino, "replaced by rename");
        p.go();
        const { code, signal, out } = await p.done;
        assert.equal(signal, null, `the holder crashed (${signal})`);
        assert.equal(code, 0);
        assert.match(out, /called/);
      } finally {
        p.kill();
      }
    }
  });
});
