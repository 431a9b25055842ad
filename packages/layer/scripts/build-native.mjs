// Builds the layer's native pieces with plain gcc (no node-gyp): the
// LD_PRELOAD library, the static launcher and the N-API addon. Runs on
// `pnpm install` (the package's install script) and as `pnpm run build`.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { replaceFile } from "./replace-file.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const native = join(root, "native");
const out = join(root, "build");
const cc = process.env.CC ?? "gcc";
const warnings = ["-Wall", "-Wextra", "-Werror"];
const common = ["-std=gnu11", "-O2", "-g", ...warnings];
const at = (dir, files) => files.map((f) => join(native, dir, f));
const shared = at("common", ["syscalls.c", "filter.c", "handshake.c", "lineage.c"]);

if (process.platform !== "linux" || !["x64", "arm64"].includes(process.arch)) {
  console.log(`layer: no native build on ${process.platform}/${process.arch} (the layer is Linux x86_64/arm64 only)`);
  process.exit(0);
}

// The linker rewrites an existing output in place, which crashes every running process that
// has it loaded (see replace-file.mjs): link to a temporary name, then rename it into place.
function build(what, args) {
  console.log(`layer: building ${what}`);
  const final = join(out, what);
  const tmp = `${final}.build-${process.pid}`;
  try {
    execFileSync(cc, [...args, "-o", tmp], { stdio: "inherit" });
    replaceFile(tmp, final);
  } finally {
    rmSync(tmp, { force: true });
  }
}

mkdirSync(out, { recursive: true });

build("libmirrord_layer.so", [
  ...common, "-shared", "-fPIC", "-fvisibility=hidden", "-Wl,-z,defs",
  ...at("preload", ["preload.c"]), ...shared,
]);

// Static: it must run before any filter exists and must not load the preload
// library itself (LD_PRELOAD may be set in the same environment).
build("mirrord-layer-exec", [
  ...common, "-static", ...at("exec", ["launcher.c"]), ...shared,
]);

const require = createRequire(import.meta.url);
const napiInclude = require("node-api-headers").include_dir;
build("layer.node", [
  ...common, "-shared", "-fPIC", "-fvisibility=hidden", "-pthread", `-I${napiInclude}`,
  ...at("addon", ["binding.c", "js_events.c", "napi_util.c", "supervisor.c", "handshake_server.c", "listeners.c", "notifications.c", "inbound.c", "datagrams.c", "policy.c", "target.c", "sockaddr.c", "kernel_check.c"]),
  join(native, "common", "syscalls.c"),
]);
