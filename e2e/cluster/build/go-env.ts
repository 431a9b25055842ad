/** The environment every Go build of the harness runs with: caches outside the clone, static output. */
import { GO_BUILD_CACHE, GO_MOD_CACHE } from "../paths.js";

export function goEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOMODCACHE: GO_MOD_CACHE,
    GOCACHE: GO_BUILD_CACHE,
    GOFLAGS: "-mod=mod",
    GOTOOLCHAIN: "local",
    CGO_ENABLED: "0",
    // Only the Go module proxy is reachable; a sum database lookup would fail.
    GONOSUMDB: "*",
    GONOSUMCHECK: "1",
    GOSUMDB: "off",
  };
}
