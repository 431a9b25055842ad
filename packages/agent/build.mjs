// Bundles the agent into one file, dist/agent.js, that runs with a bare Node binary
// (no node_modules): what the agent's container image ships.
import { execFileSync } from "node:child_process";
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = dirname(fileURLToPath(import.meta.url));

export async function buildAgent(outfile = join(packageDir, "dist/agent.js")) {
  await build({
    entryPoints: [join(packageDir, "src/main.ts")],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    sourcemap: "linked",
    legalComments: "none",
    // grpc-js and protobufjs are CommonJS and require() node builtins.
    banner: { js: "import { createRequire as __agentCreateRequire } from 'node:module'; const require = __agentCreateRequire(import.meta.url);" },
    logLevel: "warning",
  });
  return outfile;
}

/** The steal gate (native/nfq-gate.c), static so the image needs no libc of its own. */
export function buildGate(outfile = join(packageDir, "dist/nfq-gate")) {
  execFileSync("gcc", ["-O2", "-Wall", "-Wextra", "-Werror", "-static", "-o", outfile, join(packageDir, "native/nfq-gate.c")], { stdio: "inherit" });
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await buildAgent();
  console.log(`built ${out} and ${buildGate()}`);
}
