/** The environment every Go build of the harness runs with: caches outside the clone, static output. */
import { existsSync } from "node:fs";
import { GO_BUILD_CACHE, GO_MOD_CACHE } from "../paths.js";
import { runUnchecked } from "../run.js";

/** Where the machine image installs Go; added to PATH in case a CI environment lacks it. */
const USUAL_GO_DIR = "/usr/local/go/bin";

export function goEnv(): NodeJS.ProcessEnv {
  const path = process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin";
  return {
    ...process.env,
    PATH: existsSync(USUAL_GO_DIR) && !path.split(":").includes(USUAL_GO_DIR) ? `${path}:${USUAL_GO_DIR}` : path,
    GOMODCACHE: GO_MOD_CACHE,
    GOCACHE: GO_BUILD_CACHE,
    GOFLAGS: "-mod=mod",
    GOTOOLCHAIN: "local",
    CGO_ENABLED: "0",
    // Only the Go module proxy is reachable; a sum database lookup would fail.
    GOSUMDB: "off",
  };
}

/** Fails with one sentence unless a Go toolchain new enough for the workloads (1.24) is there. */
export async function ensureGoToolchain(): Promise<void> {
  const result = await runUnchecked("go", ["env", "GOVERSION"], { env: goEnv() }).catch(() => undefined);
  const match = /^go1\.(\d+)/.exec(result?.stdout.trim() ?? "");
  if (!match || Number(match[1]) < 24) {
    throw new Error(
      `The cluster is built from Go modules and needs Go 1.24 or newer on PATH or in ${USUAL_GO_DIR} (found: ${result?.stdout.trim() || "none"}).`,
    );
  }
}
