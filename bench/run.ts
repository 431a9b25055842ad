/**
 * `pnpm bench <name> [args…]`: runs one of the repository's benchmarks by name.
 * Add an entry per benchmark: name → script (relative to this folder).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BENCHES: Record<string, string> = {
  ide: "../e2e/vscode/bench.ts",
  layer: "layer.ts",
  tunnel: "../e2e/bench/tunnel.ts",
};

const [name, ...args] = process.argv.slice(2);
const script = name ? BENCHES[name] : undefined;
if (!script) {
  console.error(`usage: pnpm bench <${Object.keys(BENCHES).sort().join("|")}> [args…]`);
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const result = spawnSync(process.execPath, ["--import", "tsx", path.join(here, script), ...args], { stdio: "inherit" });
process.exit(result.status ?? 1);
