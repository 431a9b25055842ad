/**
 * The guard: the agent's parent process. It holds the liveness lock, sweeps the chains of
 * agents that no longer run (and releases a target one of them left paused), starts the worker (with the agent gid) and, when the worker
 * dies in any way (SIGKILL included), removes this agent's chains and releases a paused
 * target, then exits with the worker's status. Signals to the guard go on to the worker.
 */
import { spawn } from "node:child_process";
import type { AgentArgs } from "./args.js";
import { Iptables, bothFamilies, removeAgentChains, sweepStaleChains } from "./lifecycle/iptables.js";
import { holdLivenessLock, isAgentAlive } from "./lifecycle/liveness-lock.js";
import { Log } from "./log.js";
import { releaseOrphanedPause, releaseTarget } from "./target/pause.js";

export const ROLE_ENV = "MIRRORD_AGENT_ROLE";

export async function runGuard(args: AgentArgs, argv: readonly string[]): Promise<void> {
  const log = new Log(`agent ${args.agentId} guard`, args.logLevel);
  const iptables = new Iptables(args.iptables);
  await holdLivenessLock(args.agentId);
  for (const family of bothFamilies(iptables)) {
    try {
      const swept = await sweepStaleChains(family, isAgentAlive);
      if (swept.length > 0) log.info(`removed the ${family.binary} chains of agents that no longer run: ${swept.join(", ")}`);
    } catch (error) {
      // No iptables (targetless use, an image without ip6tables) must not stop the agent.
      log.debug(`could not sweep stale ${family.binary} chains: ${(error as Error).message}`);
    }
  }
  if (args.targetPid && releaseOrphanedPause(args.targetPid)) {
    log.info(`released target ${args.targetPid}: an agent that no longer runs had left it paused`);
  }
  const removeOwnChains = (): void => {
    for (const family of bothFamilies(iptables)) removeAgentChains(family, args.agentId);
  };

  const worker = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...argv], {
    // The id is fixed here so the worker's chains are the ones this guard cleans up.
    env: { ...process.env, [ROLE_ENV]: "worker", MIRRORD_AGENT_ID: args.agentId },
    gid: args.agentGid,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    process.on(signal, () => worker.kill(signal));
  }
  worker.on("error", (error) => {
    // The worker could not be started at all (e.g. setgid refused): nothing to clean but us.
    log.error(`could not start the worker: ${error.message}`);
    removeOwnChains();
    process.exit(1);
  });
  worker.on("exit", (code, signal) => {
    removeOwnChains();
    if (args.targetPid && (signal || code !== 0)) releaseTarget(args.targetPid);
    log.info(`worker exited (${signal ?? `code ${code}`}); rules removed`);
    process.exit(signal ? 128 + signalNumber(signal) : (code ?? 1));
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGSEGV: 11, SIGTERM: 15, SIGABRT: 6 };
  return numbers[signal] ?? 0;
}
