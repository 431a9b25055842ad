/**
 * The image builder: a single-layer docker-archive tarball (manifest.json + config +
 * layer.tar), deterministic, that `ctr -n k8s.io images import` loads without a registry.
 *
 *   const image: ImageSpec = {
 *     name: "mirrord-ts.local/agent:e2e",
 *     entries: [...await executableWithLibraries("/usr/bin/node", "/usr/bin/node"),
 *               { kind: "file", hostPath: "dist/agent.js", imagePath: "/app/agent.js" }],
 *     entrypoint: ["/usr/bin/node", "/app/agent.js"],
 *   };
 *   await writeImageArchive(image, "/tmp/agent.tar");
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { sharedLibrariesOf } from "./ldd.js";
import { tarArchive, type TarEntry } from "./tar.js";

export type ImageEntry =
  /** A host file copied into the image (symlinks on the host are followed). */
  | { kind: "file"; hostPath: string; imagePath: string; mode?: number }
  /** A file whose content is given here. */
  | { kind: "content"; content: string | Buffer; imagePath: string; mode?: number }
  | { kind: "symlink"; imagePath: string; target: string }
  | { kind: "dir"; imagePath: string; mode?: number };

export interface ImageSpec {
  /** Fully qualified name with tag, e.g. `mirrord-ts.local/echo:e2e`. */
  name: string;
  entries: ImageEntry[];
  env?: Record<string, string>;
  entrypoint?: string[];
  cmd?: string[];
  workingDir?: string;
}

/** Directories every image gets, so runtimes and tools find their usual mount points. */
const BASE_DIRS: Array<[string, number]> = [
  ["/bin", 0o755], ["/dev", 0o755], ["/etc", 0o755], ["/proc", 0o555], ["/sys", 0o555],
  ["/tmp", 0o1777], ["/var", 0o755], ["/run", 0o755], ["/root", 0o700],
];

/** A host executable plus every shared library `ldd` reports, each at its host path. */
export async function executableWithLibraries(hostPath: string, imagePath = hostPath): Promise<ImageEntry[]> {
  const entries: ImageEntry[] = [{ kind: "file", hostPath, imagePath, mode: 0o755 }];
  for (const library of await sharedLibrariesOf(hostPath)) {
    entries.push({ kind: "file", hostPath: library, imagePath: library, mode: 0o755 });
  }
  return entries;
}

/** Debian's busybox-static as /bin/busybox with sh, wget, … linked to it (for exec and probes). */
export function busyboxEntries(hostBusybox = "/bin/busybox"): ImageEntry[] {
  const applets = [
    "sh", "ash", "cat", "echo", "env", "ls", "ps", "sleep", "wget", "nc", "nslookup", "netstat",
    "ip", "grep", "head", "tail", "id", "hostname", "mkdir", "rm", "cp", "mv", "touch", "kill",
    "printf", "test", "[", "true", "false", "date", "uname", "wc", "sed", "tr", "timeout",
  ];
  return [
    { kind: "file", hostPath: hostBusybox, imagePath: "/bin/busybox", mode: 0o755 },
    ...applets.map((applet): ImageEntry => ({ kind: "symlink", imagePath: `/bin/${applet}`, target: "busybox" })),
  ];
}

function normalised(imagePath: string): string {
  const clean = path.posix.normalize(`/${imagePath}`).replace(/^\/+/, "").replace(/\/+$/, "");
  if (clean === "" || clean.startsWith("..")) throw new Error(`Image path "${imagePath}" does not name a file in the image.`);
  return clean;
}

/** The layer's entries: parents first, sorted by path, later entries overriding earlier ones. */
async function layerEntries(spec: ImageSpec): Promise<TarEntry[]> {
  const byPath = new Map<string, TarEntry>();
  const addParents = (entryPath: string) => {
    const parts = entryPath.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      if (!byPath.has(dir)) byPath.set(dir, { type: "dir", path: dir, mode: 0o755 });
    }
  };
  for (const [dir, mode] of BASE_DIRS) byPath.set(normalised(dir), { type: "dir", path: normalised(dir), mode });
  for (const entry of spec.entries) {
    const entryPath = normalised(entry.imagePath);
    addParents(entryPath);
    if (entry.kind === "file") {
      const content = await readFile(entry.hostPath).catch((error: Error) => {
        throw new Error(`Image ${spec.name} needs ${entry.hostPath}, which cannot be read: ${error.message}.`);
      });
      const mode = entry.mode ?? (await stat(entry.hostPath)).mode & 0o7777;
      byPath.set(entryPath, { type: "file", path: entryPath, mode, content });
    } else if (entry.kind === "content") {
      byPath.set(entryPath, { type: "file", path: entryPath, mode: entry.mode ?? 0o644, content: Buffer.from(entry.content) });
    } else if (entry.kind === "symlink") {
      byPath.set(entryPath, { type: "symlink", path: entryPath, target: entry.target });
    } else {
      byPath.set(entryPath, { type: "dir", path: entryPath, mode: entry.mode ?? 0o755 });
    }
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function sha256(content: Buffer | string): string {
  return createHash("sha256").update(content).digest("hex");
}

/** Builds the image archive in memory; the same spec and files always give the same bytes. */
export async function imageArchive(spec: ImageSpec): Promise<{ archive: Buffer; imageId: string }> {
  if (!/^[a-z0-9.-]+\.[a-z]+\/[a-z0-9._/-]+:[\w.-]+$/.test(spec.name)) {
    throw new Error(`Image name "${spec.name}" must be fully qualified as <domain>/<name>:<tag>.`);
  }
  const layer = tarArchive(await layerEntries(spec));
  const layerDigest = sha256(layer);
  const config = JSON.stringify({
    architecture: "amd64",
    os: "linux",
    created: "1970-01-01T00:00:00Z",
    config: {
      Env: Object.entries({ PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", ...spec.env })
        .map(([key, value]) => `${key}=${value}`),
      ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
      ...(spec.cmd ? { Cmd: spec.cmd } : {}),
      WorkingDir: spec.workingDir ?? "/",
    },
    rootfs: { type: "layers", diff_ids: [`sha256:${layerDigest}`] },
    history: [{ created: "1970-01-01T00:00:00Z", created_by: "mirrord-ts e2e image builder" }],
  });
  const configDigest = sha256(config);
  const manifest = JSON.stringify([
    { Config: `${configDigest}.json`, RepoTags: [spec.name], Layers: [`${layerDigest}/layer.tar`] },
  ]);
  const archive = tarArchive([
    { type: "dir", path: layerDigest, mode: 0o755 },
    { type: "file", path: `${layerDigest}/layer.tar`, mode: 0o644, content: layer },
    { type: "file", path: `${configDigest}.json`, mode: 0o644, content: Buffer.from(config) },
    { type: "file", path: "manifest.json", mode: 0o644, content: Buffer.from(manifest) },
  ]);
  return { archive, imageId: `sha256:${configDigest}` };
}

/** Writes the image archive to `archivePath` (atomically) and returns its image id. */
export async function writeImageArchive(spec: ImageSpec, archivePath: string): Promise<string> {
  const { archive, imageId } = await imageArchive(spec);
  await mkdir(path.dirname(archivePath), { recursive: true });
  const partial = `${archivePath}.partial-${process.pid}`;
  await writeFile(partial, archive);
  await rename(partial, archivePath);
  return imageId;
}
