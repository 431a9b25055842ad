/**
 * The real debuggers the IDE-path suites hand configurations to, installed from their
 * registries into the cluster's cache folder when missing: debugpy from PyPI (a venv) and
 * Delve from Go modules (`go install …@v1.27.2`).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { CACHE_DIR, GO_BUILD_CACHE, GO_MOD_CACHE } from "../cluster/index.js";

const VENV = path.join(CACHE_DIR, "debugpy-venv");
export const venvPython = path.join(VENV, "bin/python");
export const DLV_VERSION = "1.27.2";
export const DLV = path.join(CACHE_DIR, `dlv-${DLV_VERSION}`, "dlv");

/** debugpy from PyPI, in a venv kept in the cluster's cache folder (shared with ext-debuggers.test.ts). */
export function ensureDebugpy(): void {
  const has = () => {
    try {
      execFileSync(venvPython, ["-c", "import debugpy"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  };
  if (existsSync(venvPython) && has()) return;
  execFileSync("python3", ["-m", "venv", VENV], { stdio: "ignore" });
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync(path.join(VENV, "bin/pip"), ["install", "-q", "debugpy"], { stdio: "pipe", timeout: 300_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  assert.ok(has(), "debugpy installed");
}

/** Delve from Go modules (`go install …@v1.27.2`), kept in the cache folder. */
export function ensureDlv(): void {
  const works = () => {
    try {
      return execFileSync(DLV, ["version"], { encoding: "utf8" }).includes(`Version: ${DLV_VERSION}`);
    } catch {
      return false;
    }
  };
  if (existsSync(DLV) && works()) return;
  mkdirSync(path.dirname(DLV), { recursive: true });
  execFileSync("go", ["install", `github.com/go-delve/delve/cmd/dlv@v${DLV_VERSION}`], {
    env: { ...process.env, GOBIN: path.dirname(DLV), GOMODCACHE: GO_MOD_CACHE, GOCACHE: GO_BUILD_CACHE, GOFLAGS: "-modcacherw" },
    stdio: "pipe",
    timeout: 900_000,
  });
  assert.ok(works(), `dlv ${DLV_VERSION} installed at ${DLV}`);
}
