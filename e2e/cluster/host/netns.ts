/** Network namespaces and links the CNI plugins made for pods. */
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { BRIDGE_NAME } from "../network.js";
import { runUnchecked } from "../run.js";

export async function podNetworkNamespaces(): Promise<string[]> {
  if (!existsSync("/run/netns")) return [];
  return (await readdir("/run/netns")).filter((name) => name.startsWith("cni-"));
}

export async function removePodNetworking(): Promise<void> {
  for (const name of await podNetworkNamespaces()) await runUnchecked("ip", ["netns", "delete", name]);
  await runUnchecked("ip", ["link", "delete", BRIDGE_NAME]);
}

export async function bridgeExists(): Promise<boolean> {
  return (await runUnchecked("ip", ["link", "show", BRIDGE_NAME])).code === 0;
}
