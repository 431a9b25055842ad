/** Starts the agent (guard + worker) inside a test namespace and waits for its ready line. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ReadyLine } from "../src/index.js";
import { type NetnsProcess, type TestNetns, waitFor } from "./netns.js";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");

export interface RunningAgent extends NetnsProcess {
  ready: ReadyLine;
  address: string;
}

/** Runs src/main.ts through tsx, or `options.bundle`: a built single-file agent. */
export async function startAgent(ns: TestNetns, args: readonly string[], options: { bundle?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunningAgent> {
  const entry = options.bundle ? [options.bundle] : ["--import", "tsx", join(packageDir, "src/main.ts")];
  // The tests reach the agent across the veth, not through a port-forward to 127.0.0.1.
  const listen = args.includes("--listen-host") ? [] : ["--listen-host", "0.0.0.0"];
  const proc = ns.spawn(process.execPath, [...entry, ...listen, ...args], { cwd: packageDir, env: { ...process.env, ...options.env } });
  let ready: ReadyLine | undefined;
  await waitFor(
    "the agent's ready line",
    () => {
      if (proc.child.exitCode !== null) throw new Error(`the agent exited (${proc.child.exitCode}): ${proc.output()}`);
      const line = proc.output().split("\n").find((l) => l.startsWith('{"event":"ready"'));
      if (line) ready = JSON.parse(line) as ReadyLine;
      return ready !== undefined;
    },
    20_000,
  );
  return { ...proc, ready: ready!, address: `${ns.podIp}:${ready!.port}` };
}
