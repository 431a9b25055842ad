/** containerd-shim processes of *our* containerd: those started with our socket as -address. */
import { readdir, readFile } from "node:fs/promises";
import { CONTAINERD_SOCKET } from "../paths.js";

export async function ourShimPids(): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = (await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "")).split("\0");
    const address = argv.indexOf("-address");
    if (argv[0]?.includes("containerd-shim") && address >= 0 && argv[address + 1] === CONTAINERD_SOCKET) {
      pids.push(Number(entry));
    }
  }
  return pids;
}
