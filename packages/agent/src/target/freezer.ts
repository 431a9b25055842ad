/**
 * Freezes the target container through its cgroup freezer: the pause of an agent that shares
 * the target's PID namespace (ephemeral mode), where the target is PID 1 and ignores SIGSTOP
 * sent from inside its namespace. Needs CAP_SYS_ADMIN (to mount the hierarchy, the agent
 * container only sees its own cgroup) and a cgroup the mount can reach: cgroup v1's freezer
 * or a v2 hierarchy without a cgroup namespace in between.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const MOUNT_ROOT = "/run/mirrord-agent-cgroup";

/** The target's cgroup cannot be frozen from here; the message says why. */
export class FreezerUnavailable extends Error {
  override readonly name = "FreezerUnavailable";
}

interface FreezerFiles {
  /** The file to write, and the values that freeze and thaw. */
  control: string;
  frozen: string;
  thawed: string;
  /** Reads whether the freeze has taken effect on every task. */
  isFrozen: () => boolean;
}

export class CgroupFreezer {
  private constructor(private readonly files: FreezerFiles) {}

  /** Finds (mounting if needed) the freezer of `pid`'s cgroup, or says why it cannot. */
  static locate(pid: number, readCgroups = (p: number) => readFileSync(`/proc/${p}/cgroup`, "utf8")): CgroupFreezer {
    const lines = readCgroups(pid).split("\n");
    const v1 = lines.map((line) => /^\d+:(?:[^:]*,)?freezer(?:,[^:]*)?:(.*)$/.exec(line)?.[1]).find((p) => p !== undefined);
    if (v1 !== undefined) {
      const dir = path.join(mountHierarchy("freezer", ["-t", "cgroup", "-o", "freezer", "cgroup"]), v1);
      const control = path.join(dir, "freezer.state");
      if (!existsSync(control)) throw new FreezerUnavailable(`the target's freezer cgroup ${v1} is not visible from the agent`);
      return new CgroupFreezer({ control, frozen: "FROZEN", thawed: "THAWED", isFrozen: () => readFileSync(control, "utf8").trim() === "FROZEN" });
    }
    const v2 = lines.map((line) => /^0::(.*)$/.exec(line)?.[1]).find((p) => p !== undefined);
    if (v2 === undefined) throw new FreezerUnavailable("the target's cgroups name no freezer");
    if (v2.startsWith("/..")) throw new FreezerUnavailable("the target's cgroup lies outside the agent's cgroup namespace");
    const dir = path.join(mountHierarchy("unified", ["-t", "cgroup2", "cgroup2"]), v2);
    const control = path.join(dir, "cgroup.freeze");
    if (!existsSync(control)) throw new FreezerUnavailable(`the target's cgroup ${v2} has no cgroup.freeze`);
    return new CgroupFreezer({ control, frozen: "1", thawed: "0", isFrozen: () => /^frozen 1$/m.test(readFileSync(path.join(dir, "cgroup.events"), "utf8")) });
  }

  get frozen(): boolean {
    return this.files.isFrozen();
  }

  /** Freezes and waits until every task is frozen (a task in a syscall can take a moment). */
  async freeze(timeoutMs = 5_000): Promise<void> {
    writeFileSync(this.files.control, this.files.frozen);
    const deadline = Date.now() + timeoutMs;
    while (!this.files.isFrozen()) {
      if (Date.now() > deadline) {
        this.thaw();
        throw new FreezerUnavailable(`the target's cgroup did not freeze within ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  thaw(): void {
    writeFileSync(this.files.control, this.files.thawed);
  }
}

/** Mounts a cgroup hierarchy once per agent container (its /sys/fs/cgroup shows only its own cgroup). */
function mountHierarchy(name: string, mountArgs: string[]): string {
  const dir = path.join(MOUNT_ROOT, name);
  const mounted = readFileSync("/proc/self/mounts", "utf8").split("\n").some((line) => line.split(" ")[1] === dir);
  if (mounted) return dir;
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync("mount", [...mountArgs, dir], { stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new FreezerUnavailable(`mounting the ${name} cgroup hierarchy failed (${stderr || (error as Error).message}); the agent needs CAP_SYS_ADMIN for it`);
  }
  return dir;
}
