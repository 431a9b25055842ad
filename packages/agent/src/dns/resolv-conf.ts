/** /etc/resolv.conf as glibc reads it: nameservers, search list, ndots, timeout, attempts. */
export interface ResolvConf {
  nameservers: string[];
  search: string[];
  ndots: number;
  timeoutMs: number;
  attempts: number;
}

export function parseResolvConf(text: string): ResolvConf {
  const conf: ResolvConf = { nameservers: [], search: [], ndots: 1, timeoutMs: 5000, attempts: 2 };
  for (const rawLine of text.split("\n")) {
    const line = rawLine.replace(/[#;].*$/, "").trim();
    if (!line) continue;
    const [keyword, ...rest] = line.split(/\s+/);
    if (keyword === "nameserver" && rest[0]) {
      if (conf.nameservers.length < 3) conf.nameservers.push(rest[0]);
    } else if (keyword === "search" || keyword === "domain") {
      // the last search/domain line wins, as in glibc
      conf.search = rest.map((d) => d.replace(/\.$/, "")).filter((d) => d !== "");
    } else if (keyword === "options") {
      for (const option of rest) {
        const [name, value] = option.split(":");
        const n = Number(value);
        if (name === "ndots" && Number.isInteger(n)) conf.ndots = Math.min(Math.max(n, 0), 15);
        if (name === "timeout" && Number.isInteger(n) && n > 0) conf.timeoutMs = Math.min(n, 30) * 1000;
        if (name === "attempts" && Number.isInteger(n) && n > 0) conf.attempts = Math.min(n, 5);
      }
    }
  }
  if (conf.nameservers.length === 0) conf.nameservers.push("127.0.0.1");
  return conf;
}

/**
 * The names to ask for, in order: an absolute name (trailing dot) alone; a name with at
 * least ndots dots as given first, then with each search domain; a shorter one with the
 * search domains first and as given last.
 */
export function candidateNames(name: string, conf: Pick<ResolvConf, "search" | "ndots">): string[] {
  if (name.endsWith(".")) return [name.slice(0, -1)];
  const dots = name.split(".").length - 1;
  const searched = conf.search.map((domain) => `${name}.${domain}`);
  return dots >= conf.ndots ? [name, ...searched] : [...searched, name];
}
