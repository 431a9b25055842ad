import { strict as assert } from "node:assert";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");

describe("package boundaries", () => {
  it("the agent depends on the protocol only, never on core (or the layer)", () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    assert.deepEqual(Object.keys(manifest.dependencies).sort(), ["@grpc/grpc-js", "@mirrord-ts/protocol"]);
    for (const entry of readdirSync(join(packageDir, "src"), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
      const text = readFileSync(join(entry.parentPath, entry.name), "utf8");
      assert.doesNotMatch(text, /from "@mirrord-ts\/(core|layer|agent-client)"/, `${entry.name} imports another package`);
    }
  });
});
