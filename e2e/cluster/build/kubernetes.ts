/**
 * Builds the Kubernetes multi-call binary (e2e/cluster/go/k8s/main.go) for
 * KUBERNETES_VERSION from Go modules: k8s.io/kubernetes through the module proxy, with each
 * `./staging/...` replace of its go.mod pointed at the published staging module of the same
 * release. Output and Go caches live in the cache folder, keyed by version.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { K8S_BINARY, K8S_MAIN_SOURCE_DIR, KUBERNETES_BUILD_DIR } from "../paths.js";
import { run } from "../run.js";
import { KUBERNETES_VERSION, kubernetesVersionParts } from "../versions.js";
import { timedBuild } from "./build-times.js";
import { goEnv } from "./go-env.js";

export const K8S_COMPONENTS = [
  "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet", "kube-proxy", "kubectl",
] as const;
export type K8sComponent = (typeof K8S_COMPONENTS)[number];

/** Path of a component: a symlink to the multi-call binary named after it. */
export function componentBinary(component: K8sComponent): string {
  return path.join(path.dirname(K8S_BINARY), component);
}

/** The go.mod of our module for `version`: k8s.io/kubernetes plus one replace per staging module. */
async function goModFor(version: string): Promise<string> {
  const { stagingVersion } = kubernetesVersionParts(version);
  const download = JSON.parse(
    await run("go", ["mod", "download", "-json", `k8s.io/kubernetes@${version}`], { env: goEnv() }),
  ) as { GoMod?: string; Error?: string };
  if (!download.GoMod) throw new Error(`The Go module proxy has no k8s.io/kubernetes@${version}: ${download.Error}.`);
  const upstream = await readFile(download.GoMod, "utf8");
  const staging = [...upstream.matchAll(/^\s*(k8s\.io\/[\w.-]+)\s+=>\s+\.\/staging\//gm)].map((m) => m[1]);
  if (staging.length === 0) throw new Error(`k8s.io/kubernetes@${version}'s go.mod names no staging modules.`);
  const goDirective = /^go\s+(\S+)/m.exec(upstream)?.[1] ?? "1.22.0";
  return [
    "module mirrord-ts.local/e2e/k8s",
    "",
    `go ${goDirective}`,
    "",
    `require k8s.io/kubernetes ${version}`,
    "",
    "replace (",
    ...staging.map((module) => `\t${module} => ${module} ${stagingVersion}`),
    ")",
    "",
  ].join("\n");
}

/** Beside the binary: the hash of the main.go it was built from, so an edit rebuilds it. */
const SOURCE_STAMP = `${K8S_BINARY}.main-sha256`;

/** Builds the binary unless it is cached from the same main.go; returns its path. */
export async function ensureKubernetesBinary(): Promise<string> {
  const mainGo = await readFile(path.join(K8S_MAIN_SOURCE_DIR, "main.go"));
  const sourceHash = createHash("sha256").update(mainGo).digest("hex");
  if (existsSync(K8S_BINARY) && existsSync(SOURCE_STAMP) && (await readFile(SOURCE_STAMP, "utf8")) === sourceHash) {
    return K8S_BINARY;
  }
  const version = KUBERNETES_VERSION;
  await timedBuild(`kubernetes ${version}`, async () => {
    const { major, minor } = kubernetesVersionParts(version);
    const sourceDir = path.join(KUBERNETES_BUILD_DIR, "src");
    await mkdir(sourceDir, { recursive: true });
    await writeFile(path.join(sourceDir, "main.go"), mainGo);
    await writeFile(path.join(sourceDir, "go.mod"), await goModFor(version));
    await rm(path.join(sourceDir, "go.sum"), { force: true });
    process.stderr.write(`cluster: building Kubernetes ${version} from Go modules (12–15 min on 2 cores with nothing cached)…\n`);
    await run("go", ["mod", "tidy"], { cwd: sourceDir, env: goEnv() });
    const versionFlags = [
      `k8s.io/component-base/version.gitVersion=${version}`,
      `k8s.io/component-base/version.gitMajor=${major}`,
      `k8s.io/component-base/version.gitMinor=${minor}`,
      "k8s.io/component-base/version.gitTreeState=clean",
      `k8s.io/client-go/pkg/version.gitVersion=${version}`,
      `k8s.io/client-go/pkg/version.gitMajor=${major}`,
      `k8s.io/client-go/pkg/version.gitMinor=${minor}`,
    ].map((flag) => `-X ${flag}`);
    const partial = `${K8S_BINARY}.partial`;
    await mkdir(path.dirname(K8S_BINARY), { recursive: true });
    await run("go", ["build", "-trimpath", "-ldflags", ["-s", "-w", ...versionFlags].join(" "), "-o", partial, "."], {
      cwd: sourceDir,
      env: goEnv(),
    });
    await rename(partial, K8S_BINARY);
    await writeFile(SOURCE_STAMP, sourceHash);
  });
  await linkComponents();
  return K8S_BINARY;
}

/** kube-apiserver, kubelet, … as symlinks to the multi-call binary (it dispatches on argv[0]). */
export async function linkComponents(): Promise<void> {
  for (const component of K8S_COMPONENTS) {
    const link = componentBinary(component);
    if (!existsSync(link)) await symlink(path.basename(K8S_BINARY), link);
  }
}
