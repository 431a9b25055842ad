/**
 * Network safety (CLUSTER-NOTES pitfalls 2 and 3): the node IP is a /32 on lo, the pod range
 * is a blackhole (the bridge's connected /24 inside it wins), and the service range is a
 * `local` route on lo (a blackhole there would break host → ClusterIP). Installed before
 * anything starts, so no packet for the cluster's ranges can leave the machine.
 */
import { NODE_IP, POD_RANGE, SERVICE_RANGE } from "../network.js";
import { run, runUnchecked } from "../run.js";

export async function installSafetyRoutes(): Promise<void> {
  await run("ip", ["route", "replace", "blackhole", POD_RANGE]);
  await run("ip", ["route", "replace", "local", SERVICE_RANGE, "dev", "lo", "table", "local"]);
  await run("ip", ["addr", "replace", `${NODE_IP}/32`, "dev", "lo"]);
}

export async function removeSafetyRoutes(): Promise<void> {
  await runUnchecked("ip", ["route", "del", "blackhole", POD_RANGE]);
  await runUnchecked("ip", ["route", "del", "local", SERVICE_RANGE, "dev", "lo", "table", "local"]);
  await runUnchecked("ip", ["addr", "del", `${NODE_IP}/32`, "dev", "lo"]);
}

/** Lines of `ip route`/`ip addr` that still name a cluster range (empty after `down`). */
export async function leftoverRoutes(): Promise<string[]> {
  const prefixes = [POD_RANGE, SERVICE_RANGE, NODE_IP].map((r) => r.split("/")[0]!.split(".").slice(0, 2).join(".") + ".");
  const outputs = await Promise.all([
    run("ip", ["route", "show", "table", "all"]),
    run("ip", ["addr", "show", "dev", "lo"]),
  ]);
  return outputs
    .join("\n")
    .split("\n")
    .filter((line) => prefixes.some((p) => line.includes(` ${p}`) || line.startsWith(p)));
}
