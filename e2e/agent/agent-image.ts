/**
 * The agent's container image, built from this checkout (packages/agent/dist/agent.js) with
 * the e2e image builder and imported into the test cluster under the name core uses by
 * default, so sessions started by the CLI, `ext` and the IDE server find it.
 *
 * Contents: node and its libraries, the agent bundle and its steal gate, iptables (nft backend, its
 * extension modules), busybox (sh, grep, nsenter, mount) and /app/enter-container, the entry of
 * job mode that finds the target container's process on the node and enters its network
 * namespace before the agent starts.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildAndImportImages, busyboxEntries, executableWithLibraries, type ImageEntry, type ImageSpec } from "../cluster/index.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const AGENT_BUNDLE = path.join(repoRoot, "packages/agent/dist/agent.js");
/** The steal gate, a static binary the agent finds next to its bundle. */
export const AGENT_GATE = path.join(repoRoot, "packages/agent/dist/nfq-gate");
/** Must equal core's DEFAULT_AGENT_IMAGE (mirrord-ts.local/agent:<version>); the test checks it. */
export const AGENT_IMAGE = `mirrord-ts.local/agent:${(JSON.parse(readFileSync(path.join(repoRoot, "packages/core/package.json"), "utf8")) as { version: string }).version}`;

const XTABLES_DIR = "/usr/lib/x86_64-linux-gnu/xtables";

/** Finds `$1`'s process on the node (hostPID) and runs the rest in its network namespace, adding --target-pid. */
export const ENTER_CONTAINER_SCRIPT = `#!/bin/sh
# Usage: enter-container <container-id> -- <command> [args...]
set -eu
id="$1"; shift
[ "\${1:-}" = "--" ] && shift
pid=""
for dir in /proc/[0-9]*; do
  # A zombie (an orphan the container's init never reaped) keeps its cgroup but has no namespaces.
  [ -e "$dir/ns/net" ] || continue
  if grep -q "$id" "$dir/cgroup" 2>/dev/null; then
    candidate="\${dir#/proc/}"
    if [ -z "$pid" ] || [ "$candidate" -lt "$pid" ]; then pid="$candidate"; fi
  fi
done
if [ -z "$pid" ]; then
  echo "mirrord agent: no process of container $id runs on this node" >&2
  exit 3
fi
exec nsenter -t "$pid" -n -- "$@" --target-pid "$pid"
`;

export async function agentImageSpec(): Promise<ImageSpec> {
  for (const built of [AGENT_BUNDLE, AGENT_GATE]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`pnpm --filter @mirrord-ts/agent build\` first.`);
  }
  const entries: ImageEntry[] = [
    ...busyboxEntries(),
    { kind: "symlink", imagePath: "/bin/nsenter", target: "busybox" },
    // The ephemeral agent mounts the cgroup freezer hierarchy to pause its target.
    { kind: "symlink", imagePath: "/bin/mount", target: "busybox" },
    ...(await executableWithLibraries(process.execPath, "/usr/bin/node")),
    ...(await executableWithLibraries("/usr/sbin/xtables-nft-multi")),
    ...["iptables", "iptables-save", "iptables-restore", "ip6tables", "ip6tables-save", "ip6tables-restore"].map(
      (name): ImageEntry => ({ kind: "symlink", imagePath: `/usr/sbin/${name}`, target: "xtables-nft-multi" }),
    ),
    ...readdirSync(XTABLES_DIR)
      .filter((f) => f.endsWith(".so"))
      .map((f): ImageEntry => ({ kind: "file", hostPath: path.join(XTABLES_DIR, f), imagePath: path.join(XTABLES_DIR, f), mode: 0o644 })),
    { kind: "file", hostPath: AGENT_BUNDLE, imagePath: "/app/agent.js", mode: 0o644 },
    { kind: "file", hostPath: AGENT_GATE, imagePath: "/app/nfq-gate", mode: 0o755 },
    { kind: "content", content: ENTER_CONTAINER_SCRIPT, imagePath: "/app/enter-container", mode: 0o755 },
    { kind: "content", content: "root:x:0:0:root:/root:/bin/sh\n", imagePath: "/etc/passwd", mode: 0o644 },
    { kind: "content", content: "root:x:0:\n", imagePath: "/etc/group", mode: 0o644 },
  ];
  return {
    name: AGENT_IMAGE,
    entries,
    env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" },
    entrypoint: ["/usr/bin/node", "/app/agent.js"],
    workingDir: "/app",
  };
}

/** Builds (cached by content) and imports the agent image into the running test cluster. */
export async function importAgentImage(): Promise<string> {
  await buildAndImportImages([await agentImageSpec()]);
  return AGENT_IMAGE;
}
