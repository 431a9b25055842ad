import { strict as assert } from "node:assert";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { GENERATED_DIR, generate } from "../scripts/generate.js";

function filesUnder(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files.set(relative(dir, path), readFileSync(path, "utf8"));
    }
  }
  return files;
}

describe("generated code", () => {
  it("matches what the generator makes from proto/ now (run `pnpm generate` if not)", function () {
    this.timeout(60_000);
    const fresh = mkdtempSync(join(tmpdir(), "mirrord-proto-gen-"));
    try {
      generate(fresh);
      const expected = filesUnder(fresh);
      const committed = filesUnder(GENERATED_DIR);
      assert.deepEqual([...committed.keys()].sort(), [...expected.keys()].sort(), "generated file list is stale");
      for (const [name, text] of expected) {
        assert.equal(committed.get(name), text, `src/generated/${name} is stale: run \`pnpm --filter @mirrord-ts/protocol generate\``);
      }
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
