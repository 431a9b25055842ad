/**
 * Where the kubelet's probes come from, so they are never stolen or mirrored. The kubelet
 * runs in the node's network namespace, so its packets reach the pod either from the node's
 * address (routed CNIs such as Calico: MIRRORD_AGENT_NODE_IP, from the Downward API's
 * status.hostIP) or, on bridge CNIs, from the bridge's address, which is the pod's default
 * gateway. Other pods never use the gateway's address as their source, so excluding it
 * takes nothing else away.
 */
import { readFileSync } from "node:fs";

/** The IPv4 default gateways in /proc/net/route text (addresses are little-endian hex). */
export function defaultGateways(procNetRoute: string): string[] {
  const gateways: string[] = [];
  for (const line of procNetRoute.split("\n").slice(1)) {
    const [, destination, gateway, , , , , mask] = line.trim().split(/\s+/);
    if (destination !== "00000000" || mask !== "00000000" || !gateway || gateway === "00000000") continue;
    const n = Number.parseInt(gateway, 16);
    gateways.push([n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join("."));
  }
  return [...new Set(gateways)];
}

/** The configured exclusions plus this namespace's default gateways, as /32 CIDRs. */
export function probeSources(configured: readonly string[], procNetRoute = readProcNetRoute()): string[] {
  return [...new Set([...configured, ...defaultGateways(procNetRoute).map((ip) => `${ip}/32`)])];
}

function readProcNetRoute(): string {
  try {
    return readFileSync("/proc/net/route", "utf8");
  } catch {
    return "";
  }
}
