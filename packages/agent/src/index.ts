/** For spawners and tests: how the agent is started and what it prints when ready. */
export { type AgentArgs, AgentArgsError, type LogLevel, parseAgentArgs } from "./args.js";
export type { ReadyLine } from "./worker.js";
export { CHAIN_PREFIX, agentChains, agentIdsWithChains } from "./lifecycle/iptables.js";
