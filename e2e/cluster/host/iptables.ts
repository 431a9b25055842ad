/**
 * Removes what kube-proxy, the kubelet and the CNI plugins put in iptables and ip6tables:
 * every rule that jumps to a KUBE-* or CNI-* chain, then those chains.
 */
import { run, runUnchecked } from "../run.js";

export const CLUSTER_CHAIN = /^(KUBE-|CNI-)/;

/** Splits an `iptables -S` line into arguments, honouring double quotes. */
export function splitRule(line: string): string[] {
  const args: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const match of line.matchAll(pattern)) args.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, "$1") : match[2]!);
  return args;
}

async function tables(tool: string): Promise<string[]> {
  const save = await runUnchecked(`${tool}-save`, []);
  return [...save.stdout.matchAll(/^\*(\w+)$/gm)].map((m) => m[1]!);
}

async function cleanTable(tool: string, table: string): Promise<void> {
  const rules = (await run(tool, ["-w", "-t", table, "-S"])).split("\n").filter(Boolean);
  const clusterChains = rules.filter((l) => l.startsWith("-N ")).map((l) => l.slice(3).trim()).filter((c) => CLUSTER_CHAIN.test(c));
  // Rules in other chains that jump into ours (e.g. INPUT -j KUBE-FIREWALL).
  for (const line of rules) {
    const args = splitRule(line);
    if (args[0] !== "-A" || CLUSTER_CHAIN.test(args[1] ?? "")) continue;
    const jump = args[args.indexOf("-j") + 1] ?? args[args.indexOf("-g") + 1] ?? "";
    if (!CLUSTER_CHAIN.test(jump)) continue;
    await runUnchecked(tool, ["-w", "-t", table, "-D", ...args.slice(1)]);
  }
  for (const chain of clusterChains) await runUnchecked(tool, ["-w", "-t", table, "-F", chain]);
  for (const chain of clusterChains) await runUnchecked(tool, ["-w", "-t", table, "-X", chain]);
}

export async function removeClusterChains(): Promise<void> {
  for (const tool of ["iptables", "ip6tables"]) {
    for (const table of await tables(tool)) await cleanTable(tool, table);
  }
}

/** Lines of iptables-save/ip6tables-save that still belong to the cluster (empty after `down`). */
export async function leftoverChains(): Promise<string[]> {
  const saved = (await Promise.all(["iptables-save", "ip6tables-save"].map((tool) => runUnchecked(tool, []))))
    .map((r) => r.stdout)
    .join("\n");
  return saved.split("\n").filter((line) => /KUBE-|CNI-|cni0|10\.244\.|10\.96\.|10\.240\./.test(line));
}
