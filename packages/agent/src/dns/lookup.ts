/**
 * A getaddrinfo-like look-up as the target would make it: its /etc/hosts, then its
 * resolv.conf's nameservers with the search list and ndots. Both files are read from the
 * target's root on every look-up, so edits in the pod take effect at once.
 */
import { Resolver } from "node:dns/promises";
import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import type { AddressFamily, LookupHostRequest__Output, LookupHostResponse, ResolvedAddress } from "@mirrord-ts/protocol";
import { resolveInRoot } from "../target/contained-path.js";
import { lookupHostsFile } from "./hosts.js";
import { candidateNames, parseResolvConf } from "./resolv-conf.js";

const NOT_FOUND_CODES = new Set(["ENOTFOUND", "ENODATA", "ENONAME"]);

/**
 * A file of the target's root, or the fallback. Resolved inside the root: a container's
 * /etc/resolv.conf is often an absolute symlink, which must not lead to the agent's own.
 */
async function readInRoot(root: string, path: string, fallback: string): Promise<string> {
  try {
    return await readFile(await resolveInRoot(root, path), "utf8");
  } catch {
    return fallback;
  }
}

function familyOf(ip: string): AddressFamily {
  return isIP(ip) === 6 ? "ADDRESS_FAMILY_IPV6" : "ADDRESS_FAMILY_IPV4";
}

export async function lookupHost(root: string, request: LookupHostRequest__Output): Promise<LookupHostResponse> {
  const name = request.name.trim();
  const wantV4 = request.family !== "ADDRESS_FAMILY_IPV6";
  const wantV6 = request.family !== "ADDRESS_FAMILY_IPV4";
  const keep = (ip: string): boolean => (isIP(ip) === 4 ? wantV4 : wantV6);

  if (isIP(name) !== 0) return { addresses: keep(name) ? [{ ip: name, family: familyOf(name) }] : [], canonicalName: name };

  const fromHosts = lookupHostsFile(await readInRoot(root, "/etc/hosts", ""), name).filter(keep);
  if (fromHosts.length > 0) return { addresses: fromHosts.map((ip) => ({ ip, family: familyOf(ip) })), canonicalName: name.replace(/\.$/, "") };

  const conf = parseResolvConf(await readInRoot(root, "/etc/resolv.conf", ""));
  const resolver = new Resolver({ timeout: conf.timeoutMs, tries: conf.attempts });
  resolver.setServers(conf.nameservers);

  let firstFailure: NodeJS.ErrnoException | undefined;
  for (const candidate of candidateNames(name, conf)) {
    const answers = await Promise.allSettled([
      wantV4 ? resolver.resolve4(candidate) : Promise.resolve([]),
      wantV6 ? resolver.resolve6(candidate) : Promise.resolve([]),
    ]);
    const addresses: ResolvedAddress[] = [];
    for (const answer of answers) {
      if (answer.status === "fulfilled") addresses.push(...answer.value.map((ip) => ({ ip, family: familyOf(ip) })));
      else if (!NOT_FOUND_CODES.has((answer.reason as NodeJS.ErrnoException).code ?? "")) firstFailure ??= answer.reason;
    }
    if (addresses.length > 0) return { addresses, canonicalName: candidate };
  }
  const code = firstFailure?.code ?? "ENOTFOUND";
  return { addresses: [], canonicalName: "", error: { code, message: `${name}: ${firstFailure?.message ?? "no such host"}` } };
}
