/**
 * A network namespace standing in for a pod: a veth pair to the host, addresses in
 * 10.213.<index>.0/24 (host .1, "node" .3, pod .2), a blackhole route for the range so
 * nothing addressed there can leave the machine, and the processes started in it. Every
 * resource is removed by destroy(), which tests call in after/afterEach hooks.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";

export interface NetnsProcess {
  child: ChildProcess;
  output: () => string;
}

export class TestNetns {
  readonly name: string;
  readonly hostIp: string;
  readonly nodeIp: string;
  readonly podIp: string;
  readonly hostIp6: string;
  readonly podIp6: string;
  private readonly hostVeth: string;
  private readonly subnet: string;
  private readonly subnet6: string;
  private readonly processes = new Set<ChildProcess>();

  private constructor(readonly index: number) {
    this.name = `mts${process.pid}n${index}`;
    this.hostVeth = `mtsh${process.pid % 100000}${index}`.slice(0, 15);
    this.subnet = `10.213.${index}.0/24`;
    this.hostIp = `10.213.${index}.1`;
    this.podIp = `10.213.${index}.2`;
    this.nodeIp = `10.213.${index}.3`;
    this.subnet6 = `fd13:213:${index}::/64`;
    this.hostIp6 = `fd13:213:${index}::1`;
    this.podIp6 = `fd13:213:${index}::2`;
  }

  static create(index: number): TestNetns {
    const ns = new TestNetns(index);
    try {
      ns.setUp();
    } catch (error) {
      ns.destroy();
      throw error;
    }
    return ns;
  }

  private setUp(): void {
    // Behind the connected route (metric 0) while the veth exists; catches the rest.
    ip("route", "replace", "blackhole", this.subnet, "metric", "4000");
    ip("-6", "route", "replace", "blackhole", this.subnet6, "metric", "4000");
    ip("netns", "add", this.name);
    ip("link", "add", this.hostVeth, "type", "veth", "peer", "name", "eth0", "netns", this.name);
    ip("addr", "add", `${this.hostIp}/24`, "dev", this.hostVeth);
    ip("addr", "add", `${this.nodeIp}/24`, "dev", this.hostVeth);
    ip("-6", "addr", "add", `${this.hostIp6}/64`, "dev", this.hostVeth, "nodad");
    ip("link", "set", this.hostVeth, "up");
    this.exec("ip", ["link", "set", "lo", "up"]);
    this.exec("ip", ["addr", "add", `${this.podIp}/24`, "dev", "eth0"]);
    this.exec("ip", ["-6", "addr", "add", `${this.podIp6}/64`, "dev", "eth0", "nodad"]);
    this.exec("ip", ["link", "set", "eth0", "up"]);
  }

  /** Another address on the host side of the veth (a second peer outside the pod). */
  addHostAddress(ip: string): void {
    ip_("addr", "add", `${ip}/24`, "dev", this.hostVeth);
  }

  exec(command: string, args: readonly string[]): string {
    return execFileSync("ip", ["netns", "exec", this.name, command, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  }

  /** Like exec, without blocking this process (whose event loop may have to answer). */
  execAsync(command: string, args: readonly string[]): Promise<string> {
    return new Promise((resolve, reject) =>
      execFile("ip", ["netns", "exec", this.name, command, ...args], { encoding: "utf8", timeout: 20_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`${command} failed: ${stderr || error.message}`)) : resolve(stdout),
      ),
    );
  }

  /** Starts a process in the namespace; destroy() kills it by pid. */
  spawn(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): NetnsProcess {
    const child = spawn("ip", ["netns", "exec", this.name, command, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    this.processes.add(child);
    child.on("exit", () => this.processes.delete(child));
    return { child, output: () => output };
  }

  /** The nat tables (IPv4, then IPv6) as iptables-save shows them inside the namespace. */
  natRules(): string {
    return this.exec("iptables-save", ["-t", "nat"]) + this.exec("ip6tables-save", ["-t", "nat"]);
  }

  /** nat and mangle of both families: every table an agent puts rules in. */
  agentTables(): string {
    return this.natRules() + this.exec("iptables-save", ["-t", "mangle"]) + this.exec("ip6tables-save", ["-t", "mangle"]);
  }

  destroy(): void {
    for (const child of this.processes) {
      // `ip netns exec` execs the command, so the child's pid is the process itself.
      if (child.pid && child.exitCode === null) {
        try {
          process.kill(child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    this.processes.clear();
    for (const pid of this.pidsInside()) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    tryIp("netns", "del", this.name); // takes the veth pair and the namespace's rules with it
    tryIp("link", "del", this.hostVeth);
    tryIp("route", "del", "blackhole", this.subnet, "metric", "4000");
    tryIp("-6", "route", "del", "blackhole", this.subnet6, "metric", "4000");
  }

  /** Processes still in this namespace (e.g. a worker whose guard was killed). */
  pidsInside(): number[] {
    try {
      return execFileSync("ip", ["netns", "pids", this.name], { encoding: "utf8" })
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map(Number);
    } catch {
      return [];
    }
  }
}

function ip_(...args: string[]): void {
  ip(...args);
}

function ip(...args: string[]): void {
  execFileSync("ip", args, { stdio: ["ignore", "ignore", "pipe"] });
}

function tryIp(...args: string[]): void {
  try {
    ip(...args);
  } catch {
    // already gone
  }
}

/** Waits for `check` to hold, polling; throws with `what` after timeoutMs. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Whether a process (by pid) still exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
