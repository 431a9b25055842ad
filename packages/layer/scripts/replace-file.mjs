// Puts a file in place the way a running program survives: a new file renamed over the old
// one, never a rewrite of the old one. Processes of running sessions have the layer's files
// mapped (layer.node in the CLI, libmirrord_layer.so in every intercepted program); truncating
// and rewriting such a file in place (what copyFileSync/writeFileSync do) makes the kernel drop
// every page those processes have of it, their relocated GOT included, so their next call
// through the PLT jumps to an unrelocated address (SIGSEGV), even when the new bytes are the
// same. A rename leaves them on the old inode. An identical file is left alone altogether.
import { chmodSync, copyFileSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';

function sameContent(file, data) {
  return existsSync(file) && statSync(file).size === data.length && readFileSync(file).equals(data);
}

function swapIn(dest, write, mode) {
  const tmp = `${dest}.tmp-${process.pid}`;
  try {
    write(tmp);
    if (mode !== undefined) chmodSync(tmp, mode);
    renameSync(tmp, dest);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Copies src to dest (mode included) by rename; returns false when dest already had src's bytes. */
export function replaceFile(src, dest) {
  if (sameContent(dest, readFileSync(src))) return false;
  swapIn(dest, (tmp) => copyFileSync(src, tmp), statSync(src).mode & 0o7777);
  return true;
}

/** Writes data to dest by rename (mode: dest's own when not given); returns false when dest already had these bytes. */
export function writeFileReplacing(dest, data, mode = existsSync(dest) ? statSync(dest).mode & 0o7777 : undefined) {
  if (sameContent(dest, Buffer.from(data))) {
    if (mode !== undefined && (statSync(dest).mode & 0o7777) !== mode) chmodSync(dest, mode);
    return false;
  }
  swapIn(dest, (tmp) => writeFileSync(tmp, data), mode);
  return true;
}
