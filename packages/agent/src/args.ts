/**
 * How the agent is started: every setting, its flag, its environment variable and its
 * default, parsed in this one place. Flags win over environment variables.
 *
 *   node agent.js [--port N] [--communication-timeout SECONDS] [--target-pid PID] ...
 *
 * | flag                      | env                                   | default |
 * |---------------------------|---------------------------------------|---------|
 * | --port                    | MIRRORD_AGENT_PORT                    | 0 (any; the ready line names it) |
 * | --listen-host             | MIRRORD_AGENT_LISTEN_HOST             | 127.0.0.1 (a port-forward arrives there; nobody else in the cluster can) |
 * | --communication-timeout   | MIRRORD_AGENT_COMMUNICATION_TIMEOUT   | 30 (seconds; mirrord's agent.communication_timeout) |
 * | --target-pid              | MIRRORD_AGENT_TARGET_PID              | none (targetless: no env, files, pause) |
 * | --resolv-root             | MIRRORD_AGENT_RESOLV_ROOT             | /proc/<target-pid>/root, or / when targetless |
 * | --iptables                | MIRRORD_AGENT_IPTABLES                | iptables (or iptables-legacy; `<name>-save` must exist) |
 * | --exclude-source (repeat) | MIRRORD_AGENT_EXCLUDE_SOURCES (comma) | MIRRORD_AGENT_NODE_IP/32 when set |
 * | --agent-gid               | MIRRORD_AGENT_GID                     | 7148 |
 * | --agent-id                | MIRRORD_AGENT_ID                      | 8 random hex digits |
 * | --log-level               | MIRRORD_AGENT_LOG_LEVEL               | info (error, info, debug) |
 *
 * MIRRORD_AGENT_NODE_IP is meant for the Downward API's status.hostIP: the kubelet probes
 * from the node's address, so traffic from there is never stolen or mirrored.
 */
import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { parseArgs } from "node:util";

export type LogLevel = "error" | "info" | "debug";

export interface AgentArgs {
  /** TCP port of the gRPC server; 0 picks a free one. */
  port: number;
  listenHost: string;
  /** The agent exits this long after its last session is gone (or if none ever comes). */
  communicationTimeoutMs: number;
  /** The target container's process: env, files (/proc/<pid>/root) and pause act on it. */
  targetPid: number | undefined;
  /** Root whose /etc/resolv.conf and /etc/hosts DNS look-ups follow. */
  resolvRoot: string;
  /** iptables binary for the nat rules. */
  iptables: string;
  /** Source CIDRs never redirected (the node's address: kubelet probes). */
  excludeSources: string[];
  /** The worker runs with this gid; the OUTPUT rules skip sockets of that gid. */
  agentGid: number;
  /** Names this agent's iptables chains and its liveness lock: 8 hex digits. */
  agentId: string;
  logLevel: LogLevel;
}

/** A flag or environment variable has a value the agent cannot use. */
export class AgentArgsError extends Error {
  override readonly name = "AgentArgsError";
}

const OPTIONS = {
  port: { type: "string" },
  "listen-host": { type: "string" },
  "communication-timeout": { type: "string" },
  "target-pid": { type: "string" },
  "resolv-root": { type: "string" },
  iptables: { type: "string" },
  "exclude-source": { type: "string", multiple: true },
  "agent-gid": { type: "string" },
  "agent-id": { type: "string" },
  "log-level": { type: "string" },
} as const;

export function parseAgentArgs(argv: readonly string[], env: NodeJS.ProcessEnv): AgentArgs {
  let values;
  try {
    values = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new AgentArgsError((error as Error).message);
  }
  const pick = (flag: keyof typeof OPTIONS, envName: string): { value: string; source: string } | undefined => {
    const fromFlag = values[flag];
    if (typeof fromFlag === "string") return { value: fromFlag, source: `--${flag}` };
    const fromEnv = env[envName];
    if (fromEnv !== undefined && fromEnv !== "") return { value: fromEnv, source: envName };
    return undefined;
  };
  const integer = (flag: keyof typeof OPTIONS, envName: string, min: number, max: number): number | undefined => {
    const picked = pick(flag, envName);
    if (!picked) return undefined;
    const n = Number(picked.value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new AgentArgsError(`${picked.source} must be an integer from ${min} to ${max}, not "${picked.value}".`);
    }
    return n;
  };

  const targetPid = integer("target-pid", "MIRRORD_AGENT_TARGET_PID", 1, 2 ** 22);
  const timeoutSeconds = pickTimeout(pick("communication-timeout", "MIRRORD_AGENT_COMMUNICATION_TIMEOUT"));
  const agentId = pick("agent-id", "MIRRORD_AGENT_ID")?.value ?? randomBytes(4).toString("hex");
  if (!/^[0-9a-f]{8}$/.test(agentId)) throw new AgentArgsError(`The agent id must be 8 lower-case hex digits, not "${agentId}".`);
  const logLevel = pick("log-level", "MIRRORD_AGENT_LOG_LEVEL")?.value ?? "info";
  if (logLevel !== "error" && logLevel !== "info" && logLevel !== "debug") {
    throw new AgentArgsError(`The log level must be error, info or debug, not "${logLevel}".`);
  }

  return {
    port: integer("port", "MIRRORD_AGENT_PORT", 0, 65535) ?? 0,
    listenHost: pick("listen-host", "MIRRORD_AGENT_LISTEN_HOST")?.value ?? "127.0.0.1",
    communicationTimeoutMs: Math.round(timeoutSeconds * 1000),
    targetPid,
    resolvRoot: pick("resolv-root", "MIRRORD_AGENT_RESOLV_ROOT")?.value ?? (targetPid ? `/proc/${targetPid}/root` : "/"),
    iptables: pick("iptables", "MIRRORD_AGENT_IPTABLES")?.value ?? "iptables",
    excludeSources: excludeSources(values["exclude-source"], env),
    agentGid: integer("agent-gid", "MIRRORD_AGENT_GID", 1, 2 ** 31 - 2) ?? 7148,
    agentId,
    logLevel,
  };
}

function pickTimeout(picked: { value: string; source: string } | undefined): number {
  if (!picked) return 30;
  const seconds = Number(picked.value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400) {
    throw new AgentArgsError(`${picked.source} must be a number of seconds above 0, not "${picked.value}".`);
  }
  return seconds;
}

function excludeSources(fromFlags: string[] | undefined, env: NodeJS.ProcessEnv): string[] {
  const listed = fromFlags ?? (env.MIRRORD_AGENT_EXCLUDE_SOURCES ?? "").split(",").filter((s) => s.trim() !== "");
  const nodeIp = env.MIRRORD_AGENT_NODE_IP;
  const all = [...listed.map((s) => s.trim()), ...(nodeIp ? [nodeIp] : [])];
  return [...new Set(all.map(toCidr))];
}

function toCidr(source: string): string {
  const [ip, bits] = source.split("/");
  const family = isIP(ip ?? "");
  const maxBits = family === 6 ? 128 : 32;
  const prefix = bits === undefined ? maxBits : Number(bits);
  if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > maxBits) {
    throw new AgentArgsError(`An excluded source must be an IP address or CIDR, not "${source}".`);
  }
  return `${ip}/${prefix}`;
}
