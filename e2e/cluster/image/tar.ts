/**
 * A minimal deterministic tar writer (ustar, with PAX headers for long names): every
 * entry has mtime 0 and owner root, so the same inputs give byte-identical archives.
 */
export type TarEntry =
  | { type: "file"; path: string; mode: number; content: Buffer }
  | { type: "dir"; path: string; mode: number }
  | { type: "symlink"; path: string; target: string };

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

function header(name: string, typeflag: string, size: number, mode: number, linkname = ""): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, "utf8");
  block.write(octal(mode & 0o7777, 8), 100, "ascii");
  block.write(octal(0, 8), 108, "ascii"); // uid
  block.write(octal(0, 8), 116, "ascii"); // gid
  block.write(octal(size, 12), 124, "ascii");
  block.write(octal(0, 12), 136, "ascii"); // mtime
  block.write("        ", 148, "ascii"); // checksum placeholder
  block.write(typeflag, 156, "ascii");
  block.write(linkname, 157, 100, "utf8");
  block.write("ustar\0", 257, "ascii");
  block.write("00", 263, "ascii");
  let checksum = 0;
  for (const byte of block) checksum += byte;
  block.write(octal(checksum, 7) + " ", 148, "ascii");
  return block;
}

function padded(content: Buffer): Buffer[] {
  const rest = content.length % BLOCK;
  return rest === 0 ? [content] : [content, Buffer.alloc(BLOCK - rest)];
}

/** A PAX extended header carrying a path or link name too long for ustar's fields. */
function paxHeader(records: Record<string, string>): Buffer[] {
  let body = "";
  for (const [key, value] of Object.entries(records)) {
    const tail = ` ${key}=${value}\n`;
    let length = tail.length + 1;
    while (String(length).length + tail.length !== length) length = String(length).length + tail.length;
    body += `${length}${tail}`;
  }
  const content = Buffer.from(body, "utf8");
  return [header("PaxHeader", "x", content.length, 0o644), ...padded(content)];
}

export function tarArchive(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const name = entry.type === "dir" ? `${entry.path}/` : entry.path;
    const linkname = entry.type === "symlink" ? entry.target : "";
    const pax: Record<string, string> = {};
    if (Buffer.byteLength(name) > 99) pax.path = name;
    if (Buffer.byteLength(linkname) > 99) pax.linkpath = linkname;
    if (Object.keys(pax).length > 0) parts.push(...paxHeader(pax));
    const shortName = name.slice(0, 99);
    if (entry.type === "file") {
      parts.push(header(shortName, "0", entry.content.length, entry.mode), ...padded(entry.content));
    } else if (entry.type === "dir") {
      parts.push(header(shortName, "5", 0, entry.mode));
    } else {
      parts.push(header(shortName, "2", 0, 0o777, linkname.slice(0, 99)));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}
