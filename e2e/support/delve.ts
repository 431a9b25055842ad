/**
 * Delve for the e2e suites that debug Go: the pinned dlv in the machine's cache folder,
 * installed there with `go install` (GOBIN) when missing, with the go module and build caches
 * of the cluster build so a warm machine downloads nothing.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { CACHE_DIR, GO_BUILD_CACHE, GO_MOD_CACHE } from "../cluster/index.js";

export const DLV_VERSION = "1.27.2";
export const DLV_DIR = path.join(CACHE_DIR, `dlv-${DLV_VERSION}`);
export const DLV = path.join(DLV_DIR, "dlv");

function dlvVersion(binary: string): string | undefined {
  try {
    return /Version: (\S+)/.exec(execFileSync(binary, ["version"], { encoding: "utf8", timeout: 30_000 }))?.[1];
  } catch {
    return undefined;
  }
}

/** The path of dlv DLV_VERSION, installed with `go install …/dlv@vDLV_VERSION` when it is not cached yet. */
export function ensureDlv(): string {
  if (existsSync(DLV) && dlvVersion(DLV) === DLV_VERSION) return DLV;
  mkdirSync(DLV_DIR, { recursive: true });
  const env = { ...process.env, GOBIN: DLV_DIR, GOMODCACHE: GO_MOD_CACHE, GOCACHE: GO_BUILD_CACHE, GOFLAGS: "-modcacherw" };
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync("go", ["install", `github.com/go-delve/delve/cmd/dlv@v${DLV_VERSION}`], { env, stdio: "pipe", timeout: 900_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw new Error(`go install dlv@v${DLV_VERSION} failed: ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
    }
  }
  const installed = dlvVersion(DLV);
  if (installed !== DLV_VERSION) throw new Error(`${DLV} says version ${installed ?? "nothing"} after go install, not ${DLV_VERSION}`);
  return DLV;
}
