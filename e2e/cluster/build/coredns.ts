/** Builds CoreDNS from its Go module (no replace lines needed), cached by version. */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { COREDNS_BINARY } from "../paths.js";
import { run } from "../run.js";
import { COREDNS_VERSION } from "../versions.js";
import { timedBuild } from "./build-times.js";
import { goEnv } from "./go-env.js";

export async function ensureCorednsBinary(): Promise<string> {
  if (existsSync(COREDNS_BINARY)) return COREDNS_BINARY;
  await timedBuild(`coredns ${COREDNS_VERSION}`, async () => {
    process.stderr.write(`cluster: building CoreDNS ${COREDNS_VERSION} from its Go module (about 3 min)…\n`);
    await mkdir(path.dirname(COREDNS_BINARY), { recursive: true });
    await run("go", ["install", "-trimpath", "-ldflags=-s -w", `github.com/coredns/coredns@${COREDNS_VERSION}`], {
      env: { ...goEnv(), GOBIN: path.dirname(COREDNS_BINARY), GOFLAGS: "" },
    });
  });
  return COREDNS_BINARY;
}
