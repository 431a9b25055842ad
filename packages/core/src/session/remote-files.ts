/**
 * Files of the target container for local programs (mirrord's `feature.fs`): an open of a
 * path the config reads remotely gets a descriptor whose contents come from the target
 * (fetched through the agent into a private file of the session); stat and access calls on
 * such paths are answered from the target's metadata. Everything else — system libraries,
 * the program's own files, relative paths — stays local.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentConnection } from '@mirrord-ts/agent-client';
import { writeMemory, type LayerSupervisor, type Notification } from '@mirrord-ts/layer';
import type { FsConfig } from '../config/definition.js';

export type FileRoute = 'local' | 'remote' | 'not_found';

/** Paths read locally whatever the mode (after mirrord's read_local_by_default list). */
const LOCAL_BY_DEFAULT: readonly RegExp[] = [
  /^\/(proc|sys|dev|run|tmp|snap|nix|usr|lib|lib32|lib64|libx32|bin|sbin|boot|opt|home|root|var\/tmp|var\/lib\/dpkg)(\/|$)/,
  /^\/etc\/(hosts|resolv\.conf|nsswitch\.conf|host\.conf|gai\.conf|ld\.so\..*|localtime|timezone|passwd|group|shadow|hostname|mime\.types|protocols|services|os-release|lsb-release|debian_version|ssl\/.*|ca-certificates.*|pki\/.*|alternatives\/.*|java.*|python.*|fonts\/.*|locale.*|gitconfig|npmrc)$/,
  /\.(so(\.\d+)*|py|pyc|pyi|pth|jar|class|node|js|mjs|cjs|ts|go|mod|sum)$/,
  // The folders themselves too (Python's site.py checks isdir(".../site-packages")), and a venv's
  // marker file, which sits beside bin/ (a venv outside the project finds its prefix through it).
  /\/(node_modules|site-packages|dist-packages|__pycache__|\.git)(\/|$)/,
  /\/pyvenv\.cfg$/,
];

/** Paths handled natively by the layer, never sent to the session (a subset of the above, for speed). */
export const NATIVE_LOCAL_PREFIXES = ['/proc/', '/sys/', '/dev/', '/run/', '/tmp/', '/usr/', '/lib/', '/lib64/', '/bin/', '/sbin/', '/snap/', '/nix/', '/opt/', '/home/', '/root/'];

function compiled(patterns: readonly string[]): RegExp[] {
  return patterns.map((p) => new RegExp(p.replace(/^\(\?i\)/, ''), 'i'));
}

/**
 * Decides where a path is read, following mirrord's order: mapping, user patterns, defaults,
 * mode. `localDirs` (the working directory, the folders of the program and its scripts) and
 * their ancestors are local: runtimes resolve their own paths component by component.
 */
export function fileRouter(config: FsConfig, localDirs: readonly string[]): { route(path: string, forWrite: boolean): FileRoute; map(path: string): string } {
  const mapping = Object.entries(config.mapping).map(([pattern, replacement]) => [new RegExp(pattern), replacement] as const);
  const notFound = compiled(config.not_found);
  const local = compiled(config.local);
  const readOnly = compiled(config.read_only);
  const readWrite = compiled(config.read_write);
  const map = (path: string) => {
    for (const [regex, replacement] of mapping) if (regex.test(path)) return path.replace(regex, replacement);
    return path;
  };
  const route = (raw: string, forWrite: boolean): FileRoute => {
    if (config.mode === 'local') return 'local';
    const path = map(raw);
    if (!path.startsWith('/')) return 'local';
    if (notFound.some((r) => r.test(path))) return 'not_found';
    if (local.some((r) => r.test(path))) return 'local';
    // The agent serves files read-only: a write goes to the local file system.
    if (readOnly.some((r) => r.test(path)) || readWrite.some((r) => r.test(path))) return forWrite ? 'local' : 'remote';
    if (localDirs.some((dir) => path === dir || path.startsWith(`${dir}/`) || dir.startsWith(`${path.replace(/\/$/, '')}/`))) return 'local';
    if (LOCAL_BY_DEFAULT.some((r) => r.test(path))) return 'local';
    if (config.mode === 'localwithoverrides') return 'local';
    return forWrite ? 'local' : 'remote';
  };
  return { route, map };
}

const O_ACCMODE = 3;
const O_CREAT = 0o100;
const O_TRUNC = 0o1000;
const O_DIRECTORY = 0o200000;
const O_CLOEXEC = 0o2000000;
const ERRNO = { ENOENT: 2, EIO: 5, EACCES: 13 } as const;

/** S_IF* bits for a FileType of the protocol. */
function typeBits(type: string | number): number {
  switch (type) {
    case 'FILE_TYPE_DIRECTORY':
    case 2:
      return 0o040000;
    case 'FILE_TYPE_SYMLINK':
    case 3:
      return 0o120000;
    default:
      return 0o100000;
  }
}

interface RemoteStat {
  type: string | number;
  size: number | string | { toString(): string };
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number | string | { toString(): string };
  inode: number | string | { toString(): string };
}

/** struct stat of x86_64 (144 bytes), as newfstatat/stat/lstat fill it. */
export function structStat(s: RemoteStat): Buffer {
  const b = Buffer.alloc(144);
  const size = BigInt(s.size.toString());
  const mtimeMs = BigInt(s.mtimeMs.toString());
  b.writeBigUInt64LE(BigInt(s.inode.toString()), 8);
  b.writeBigUInt64LE(1n, 16);
  b.writeUInt32LE(typeBits(s.type) | (s.mode & 0o7777), 24);
  b.writeUInt32LE(s.uid, 28);
  b.writeUInt32LE(s.gid, 32);
  b.writeBigInt64LE(size, 48);
  b.writeBigInt64LE(4096n, 56);
  b.writeBigInt64LE((size + 511n) / 512n, 64);
  for (const offset of [72, 88, 104]) {
    b.writeBigInt64LE(mtimeMs / 1000n, offset);
    b.writeBigInt64LE((mtimeMs % 1000n) * 1_000_000n, offset + 8);
  }
  return b;
}

/** struct statx (256 bytes) with the basic fields. */
export function structStatx(s: RemoteStat): Buffer {
  const b = Buffer.alloc(256);
  const size = BigInt(s.size.toString());
  const mtimeMs = BigInt(s.mtimeMs.toString());
  b.writeUInt32LE(0x7ff, 0); // STATX_BASIC_STATS
  b.writeUInt32LE(4096, 4);
  b.writeUInt32LE(1, 16);
  b.writeUInt32LE(s.uid, 20);
  b.writeUInt32LE(s.gid, 24);
  b.writeUInt16LE(typeBits(s.type) | (s.mode & 0o7777), 28);
  b.writeBigUInt64LE(BigInt(s.inode.toString()), 32);
  b.writeBigUInt64LE(size, 40);
  b.writeBigUInt64LE((size + 511n) / 512n, 48);
  for (const offset of [64, 80, 96, 112]) {
    b.writeBigInt64LE(mtimeMs / 1000n, offset);
    b.writeUInt32LE(Number((mtimeMs % 1000n) * 1_000_000n), offset + 8);
  }
  return b;
}

export class RemoteFiles {
  readonly #router: ReturnType<typeof fileRouter>;
  readonly #cacheDir: string;
  readonly #localDirs: string[];

  constructor(
    private readonly supervisor: LayerSupervisor,
    private readonly agent: AgentConnection,
    config: FsConfig,
    sessionDir: string,
    ownDirs: readonly string[],
    private readonly log: (line: string) => void,
  ) {
    this.#localDirs = [sessionDir, ...ownDirs];
    this.#router = fileRouter(config, this.#localDirs);
    this.#cacheDir = join(sessionDir, 'files');
    mkdirSync(this.#cacheDir, { recursive: true, mode: 0o700 });
  }

  /** Keeps a folder local from now on (the folder of a program or script a process was started with). */
  addLocalDir(dir: string): void {
    if (dir !== '/' && !this.#localDirs.includes(dir)) this.#localDirs.push(dir);
  }

  static wanted(config: FsConfig): boolean {
    return config.mode !== 'local';
  }

  /** True when the notification was a file call (answered here, now or later). */
  handle(n: Notification): boolean {
    if (n.path === undefined) return false;
    const path = n.path;
    switch (n.syscall) {
      case 'open':
      case 'openat': {
        const flags = Number(n.syscall === 'open' ? n.args[1] : n.args[2]);
        const forWrite = (flags & O_ACCMODE) !== 0 || (flags & (O_CREAT | O_TRUNC)) !== 0;
        return this.#dispatch(n, path, forWrite, () => this.#open(n, path, flags));
      }
      case 'stat':
      case 'lstat':
        return this.#dispatch(n, path, false, () => this.#stat(n, path, n.args[1]!, structStat));
      case 'newfstatat':
        // An empty path with AT_EMPTY_PATH is fstat of dirfd: local.
        return this.#dispatch(n, path, false, () => this.#stat(n, path, n.args[2]!, structStat));
      case 'statx':
        return this.#dispatch(n, path, false, () => this.#stat(n, path, n.args[4]!, structStatx));
      case 'access':
      case 'faccessat':
      case 'faccessat2':
        return this.#dispatch(n, path, false, () => this.#access(n, path));
      default:
        return false;
    }
  }

  #dispatch(n: Notification, rawPath: string, forWrite: boolean, remote: () => Promise<void>): boolean {
    const route = this.#router.route(rawPath, forWrite);
    if (route === 'local') return false;
    if (route === 'not_found') {
      this.supervisor.respond(n, { error: ERRNO.ENOENT });
      return true;
    }
    void remote().catch((error: unknown) => {
      this.log(`${n.syscall} ${rawPath}: ${error instanceof Error ? error.message : String(error)}`);
      this.supervisor.respond(n, { error: ERRNO.EIO });
    });
    return true;
  }

  async #open(n: Notification, rawPath: string, flags: number): Promise<void> {
    const path = this.#router.map(rawPath);
    let content: Buffer;
    try {
      content = await this.agent.readWholeFile(path);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'EISDIR' || (flags & O_DIRECTORY) !== 0) {
        // Directories of the target are not materialised: the local one (if any) is opened.
        this.supervisor.respond(n, { continue: true });
        return;
      }
      this.supervisor.respond(n, { error: code === 'ENOENT' || code === 'ENOTDIR' ? ERRNO.ENOENT : code === 'EACCES' ? ERRNO.EACCES : ERRNO.EIO });
      return;
    }
    const copy = join(this.#cacheDir, createHash('sha256').update(path).digest('hex').slice(0, 24));
    writeFileSync(copy, content, { mode: 0o400 });
    const fd = openSync(copy, 'r');
    try {
      this.supervisor.addFd(n, fd, { send: true, cloexec: (flags & O_CLOEXEC) !== 0 });
    } finally {
      closeSync(fd);
    }
  }

  async #stat(n: Notification, rawPath: string, buffer: bigint, encode: (s: RemoteStat) => Buffer): Promise<void> {
    let stat;
    try {
      stat = await this.agent.statFile(this.#router.map(rawPath));
    } catch (error) {
      const code = (error as { code?: string }).code;
      this.supervisor.respond(n, { error: code === 'ENOENT' || code === 'ENOTDIR' ? ERRNO.ENOENT : code === 'EACCES' ? ERRNO.EACCES : ERRNO.EIO });
      return;
    }
    if (!this.supervisor.isValid(n)) return;
    writeMemory(n.tid, buffer, encode(stat as unknown as RemoteStat));
    this.supervisor.respond(n, { val: 0 });
  }

  async #access(n: Notification, rawPath: string): Promise<void> {
    try {
      await this.agent.statFile(this.#router.map(rawPath));
      this.supervisor.respond(n, { val: 0 });
    } catch (error) {
      const code = (error as { code?: string }).code;
      this.supervisor.respond(n, { error: code === 'ENOENT' || code === 'ENOTDIR' ? ERRNO.ENOENT : ERRNO.EACCES });
    }
  }
}
