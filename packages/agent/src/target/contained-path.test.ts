import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PathError, resolveInRoot } from "./contained-path.js";

describe("resolveInRoot", () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), "mirrord-contained-"));
    mkdirSync(join(root, "a/b"), { recursive: true });
    writeFileSync(join(root, "a/b/f"), "f");
    symlinkSync("/a/b", join(root, "abs"));
    symlinkSync("../../../../..", join(root, "a/up"));
    symlinkSync("b/f", join(root, "a/rel"));
    symlinkSync("self", join(root, "self"));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("clamps .. at the root", async () => {
    assert.equal(await resolveInRoot(root, "/../../a/./b/../b/f"), join(root, "a/b/f"));
    assert.equal(await resolveInRoot(root, "/.."), root);
  });

  it("follows absolute and relative links inside the root", async () => {
    assert.equal(await resolveInRoot(root, "/abs/f"), join(root, "a/b/f"));
    assert.equal(await resolveInRoot(root, "/a/rel"), join(root, "a/b/f"));
    assert.equal(await resolveInRoot(root, "/a/up/a/b/f"), join(root, "a/b/f"));
  });

  it("keeps the last link when asked, refuses loops and relative paths", async () => {
    assert.equal(await resolveInRoot(root, "/a/rel", false), join(root, "a/rel"));
    await assert.rejects(resolveInRoot(root, "/self"), (e: unknown) => e instanceof PathError && e.code === "ELOOP");
    await assert.rejects(resolveInRoot(root, "a/b"), (e: unknown) => e instanceof PathError && e.code === "EINVAL");
  });
});
