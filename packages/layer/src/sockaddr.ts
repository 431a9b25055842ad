// struct sockaddr_in / sockaddr_in6 bytes, as the kernel and the layer's
// native side read them (x86_64/arm64: little-endian family, network-order port).
import { isIPv4, isIPv6 } from "node:net";

const AF_INET = 2;
const AF_INET6 = 10;

/**
 * The sockaddr for ip:port. family "inet6" writes an IPv4 address as
 * ::ffff:a.b.c.d (what an AF_INET6 socket reports); default: the address's own family.
 */
export function sockaddr(ip: string, port: number, family?: "inet" | "inet6"): Buffer {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port ${port}`);
  const v4 = isIPv4(ip) ? ip : /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if ((family ?? (v4 ? "inet" : "inet6")) === "inet") {
    if (!v4) throw new RangeError(`${ip} is not an IPv4 address`);
    const b = Buffer.alloc(16);
    b.writeUInt16LE(AF_INET, 0);
    b.writeUInt16BE(port, 2);
    v4.split(".").forEach((octet, i) => b.writeUInt8(Number(octet), 4 + i));
    return b;
  }
  const b = Buffer.alloc(28);
  b.writeUInt16LE(AF_INET6, 0);
  b.writeUInt16BE(port, 2);
  if (v4) {
    b.writeUInt16BE(0xffff, 18);
    v4.split(".").forEach((octet, i) => b.writeUInt8(Number(octet), 20 + i));
  } else {
    if (!isIPv6(ip)) throw new RangeError(`${ip} is not an IP address`);
    ipv6Bytes(ip).copy(b, 8);
  }
  return b;
}

function ipv6Bytes(ip: string): Buffer {
  const [head = "", tail] = ip.split("::");
  const parse = (s: string) => (s === "" ? [] : s.split(":").map((h) => parseInt(h, 16)));
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  const words = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  const b = Buffer.alloc(16);
  words.forEach((w, i) => b.writeUInt16BE(w, i * 2));
  return b;
}

/** ip and port of sockaddr_in/sockaddr_in6 bytes (IPv4-mapped addresses as ::ffff:a.b.c.d). */
export function parseSockaddr(b: Buffer): { family: "inet" | "inet6"; ip: string; port: number } | undefined {
  if (b.length < 2) return undefined;
  const family = b.readUInt16LE(0);
  if (family === AF_INET && b.length >= 8) {
    return { family: "inet", ip: [...b.subarray(4, 8)].join("."), port: b.readUInt16BE(2) };
  }
  if (family === AF_INET6 && b.length >= 24) {
    const a = b.subarray(8, 24);
    const mapped = a.subarray(0, 10).every((x) => x === 0) && a.readUInt16BE(10) === 0xffff;
    const ip = mapped
      ? `::ffff:${[...a.subarray(12)].join(".")}`
      : Array.from({ length: 8 }, (_, i) => a.readUInt16BE(i * 2).toString(16)).join(":");
    return { family: "inet6", ip, port: b.readUInt16BE(2) };
  }
  return undefined;
}
