/** /etc/hosts look-up, consulted before DNS as glibc's default "hosts: files dns" does. */
import { isIP } from "node:net";

export function lookupHostsFile(text: string, name: string): string[] {
  const wanted = name.replace(/\.$/, "").toLowerCase();
  const found: string[] = [];
  for (const rawLine of text.split("\n")) {
    const [address, ...names] = rawLine.replace(/#.*$/, "").trim().split(/\s+/);
    if (!address || isIP(address) === 0) continue;
    if (names.some((n) => n.toLowerCase() === wanted)) found.push(address);
  }
  return found;
}
