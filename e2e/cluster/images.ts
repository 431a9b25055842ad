/**
 * The images the e2e cluster runs, built with our image builder from local binaries and
 * imported into containerd's `k8s.io` namespace (no registry: pods use imagePullPolicy Never).
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { ensureCorednsBinary } from "./build/coredns.js";
import { buildWorkloads, workloadBinary } from "./build/workloads.js";
import { busyboxEntries, imageArchive, type ImageSpec } from "./image/docker-archive.js";
import { CONTAINERD_SOCKET, IMAGE_ARCHIVES_DIR } from "./paths.js";
import { run } from "./run.js";
import { COREDNS_VERSION } from "./versions.js";

/** The registry-less domain every e2e image name starts with. */
export const IMAGE_DOMAIN = "mirrord-ts.local";
const TAG = "e2e";

export const IMAGES = {
  pause: `${IMAGE_DOMAIN}/pause:${TAG}`,
  coredns: `${IMAGE_DOMAIN}/coredns:${COREDNS_VERSION}`,
  /** HTTP/1.1 + h2c echo; also has busybox (sh, wget, nslookup, nc). */
  echo: `${IMAGE_DOMAIN}/echo:${TAG}`,
  tcpUdpEcho: `${IMAGE_DOMAIN}/tcp-udp-echo:${TAG}`,
  /** The two containers of the `multi` pod: the echo program with each its own file. */
  multiApp: `${IMAGE_DOMAIN}/multi-app:${TAG}`,
  multiSidecar: `${IMAGE_DOMAIN}/multi-sidecar:${TAG}`,
  queueBroker: `${IMAGE_DOMAIN}/queue-broker:${TAG}`,
  queueReader: `${IMAGE_DOMAIN}/queue-reader:${TAG}`,
} as const;

function goWorkloadImage(
  name: string,
  program: Parameters<typeof workloadBinary>[0],
  extraFiles: Record<string, string> = {},
): ImageSpec {
  return {
    name,
    entries: [
      ...busyboxEntries(),
      { kind: "file", hostPath: workloadBinary(program), imagePath: `/app/${program}`, mode: 0o755 },
      ...Object.entries(extraFiles).map(([imagePath, content]) => ({ kind: "content" as const, imagePath, content })),
    ],
    entrypoint: [`/app/${program}`],
    workingDir: "/app",
  };
}

/** Every image the harness imports, built from the current sources and binaries. */
export async function clusterImageSpecs(): Promise<ImageSpec[]> {
  await buildWorkloads();
  const coredns = await ensureCorednsBinary();
  return [
    {
      name: IMAGES.pause,
      entries: [{ kind: "file", hostPath: workloadBinary("pause"), imagePath: "/pause", mode: 0o755 }],
      entrypoint: ["/pause"],
    },
    {
      name: IMAGES.coredns,
      entries: [{ kind: "file", hostPath: coredns, imagePath: "/coredns", mode: 0o755 }],
      entrypoint: ["/coredns"],
    },
    goWorkloadImage(IMAGES.echo, "echo", { "/app/only-in-pod.txt": "this file exists only in the echo pod\n" }),
    goWorkloadImage(IMAGES.tcpUdpEcho, "tcp-udp-echo"),
    goWorkloadImage(IMAGES.multiApp, "echo", { "/app/only-in-app.txt": "this file exists only in the app container\n" }),
    goWorkloadImage(IMAGES.multiSidecar, "echo", {
      "/app/only-in-sidecar.txt": "this file exists only in the sidecar container\n",
    }),
    goWorkloadImage(IMAGES.queueBroker, "queue-broker"),
    goWorkloadImage(IMAGES.queueReader, "queue-reader"),
  ];
}

/** Writes the image's archive into the cache (named by its image id) unless it is there. */
export async function cachedImageArchive(spec: ImageSpec): Promise<string> {
  const { archive, imageId } = await imageArchive(spec);
  const prefix = `${spec.name.replace(/[^\w.-]+/g, "_")}-`;
  const fileName = `${prefix}${imageId.slice(7, 19)}.tar`;
  const archivePath = path.join(IMAGE_ARCHIVES_DIR, fileName);
  if (!existsSync(archivePath)) {
    await mkdir(IMAGE_ARCHIVES_DIR, { recursive: true });
    // Older builds of the same image are never imported again.
    for (const stale of (await readdir(IMAGE_ARCHIVES_DIR)).filter((f) => f.startsWith(prefix) && f !== fileName)) {
      await rm(path.join(IMAGE_ARCHIVES_DIR, stale), { force: true });
    }
    await writeFile(`${archivePath}.partial`, archive);
    await rename(`${archivePath}.partial`, archivePath);
  }
  return archivePath;
}

/** Imports an image archive into the running cluster's containerd (CRI sees it at once). */
export async function importImage(archivePath: string): Promise<void> {
  await run("ctr", ["--address", CONTAINERD_SOCKET, "-n", "k8s.io", "images", "import", archivePath]);
}

/** Builds (or reuses) and imports a list of images; other suites call this for their own images. */
export async function buildAndImportImages(specs: ImageSpec[]): Promise<void> {
  for (const spec of specs) await importImage(await cachedImageArchive(spec));
}
