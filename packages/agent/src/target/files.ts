/** Read-only file access in the target's root, with per-session open handles. */
import { constants } from "node:fs";
import type { Stats } from "node:fs";
import { type FileHandle, lstat, open, readdir, readlink, stat } from "node:fs/promises";
import type { DirEntry, FileStat, FileType } from "@mirrord-ts/protocol";
import { resolveInRoot } from "./contained-path.js";

const MAX_READ = 1024 * 1024;

function fileType(s: Pick<Stats, "isFile" | "isDirectory" | "isSymbolicLink">): FileType {
  if (s.isFile()) return "FILE_TYPE_FILE";
  if (s.isDirectory()) return "FILE_TYPE_DIRECTORY";
  if (s.isSymbolicLink()) return "FILE_TYPE_SYMLINK";
  return "FILE_TYPE_OTHER";
}

export function toFileStat(s: Stats): FileStat {
  return { type: fileType(s), size: s.size, mode: s.mode, uid: s.uid, gid: s.gid, mtimeMs: Math.floor(s.mtimeMs), inode: s.ino };
}

export class TargetFiles {
  private readonly handles = new Map<number, FileHandle>();
  private nextHandle = 1;

  constructor(private readonly root: string) {}

  async stat(path: string, followLast = true): Promise<FileStat> {
    const hostPath = await resolveInRoot(this.root, path, followLast);
    return toFileStat(followLast ? await stat(hostPath) : await lstat(hostPath));
  }

  async readLink(path: string): Promise<string> {
    return readlink(await resolveInRoot(this.root, path, false));
  }

  async readDir(path: string): Promise<DirEntry[]> {
    const entries = await readdir(await resolveInRoot(this.root, path), { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, type: fileType(e) }));
  }

  async open(path: string): Promise<{ handle: number; stat: FileStat }> {
    const hostPath = await resolveInRoot(this.root, path);
    const file = await open(hostPath, constants.O_RDONLY | constants.O_NOFOLLOW);
    const handle = this.nextHandle++;
    this.handles.set(handle, file);
    return { handle, stat: toFileStat(await file.stat()) };
  }

  async read(handle: number, offset: number, length: number): Promise<{ data: Buffer; eof: boolean }> {
    const file = this.handles.get(handle);
    if (!file) throw Object.assign(new Error(`No open file with handle ${handle}.`), { code: "EBADF" });
    const wanted = Math.min(length, MAX_READ);
    const buffer = Buffer.alloc(wanted);
    const { bytesRead } = await file.read(buffer, 0, wanted, offset);
    return { data: buffer.subarray(0, bytesRead), eof: bytesRead < wanted };
  }

  async close(handle: number): Promise<void> {
    const file = this.handles.get(handle);
    this.handles.delete(handle);
    await file?.close();
  }

  async closeAll(): Promise<void> {
    const files = [...this.handles.values()];
    this.handles.clear();
    await Promise.allSettled(files.map((f) => f.close()));
  }
}
