// The pass-through policy, in the session's terms, and its raw form for the addon.
import { DEFAULT_GROUPS } from "./groups.js";
import type { RawPolicy } from "./native.js";

export interface LayerPolicy {
  /** Outgoing connects/sends to these remote ports pass untouched: single ports or [from, to] ranges. */
  ignorePorts?: ReadonlyArray<number | readonly [number, number]>;
  /**
   * Outgoing connects/sends to a loopback address (127/8, ::1, 0.0.0.0) on these ports reach the
   * session anyway (they pass natively otherwise): the local stub resolver, 127.0.0.53:53 on Ubuntu.
   */
  trapLoopbackPorts?: ReadonlyArray<number | readonly [number, number]>;
  /**
   * bind/listen/accept: "pass" answers them natively (default), "session" hands all three to
   * onNotification, "bind" only bind and listen (accepts pass natively, or are served natively on
   * listeners watched with acceptOnBehalf: what a session that steals ports wants).
   */
  inbound?: "pass" | "session" | "bind";
  /** File syscalls (when the process traps the files group): to the session unless under a local prefix. */
  files?: { toSession: boolean; localPrefixes?: readonly string[] };
  /** Groups a process traps when onHello names none. */
  defaultGroups?: number;
}

function portBitmap(name: string, entries: ReadonlyArray<number | readonly [number, number]>): Buffer {
  const bitmap = Buffer.alloc(65536 / 8);
  for (const entry of entries) {
    const [from, to] = typeof entry === "number" ? [entry, entry] : entry;
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > 65535 || from > to) {
      throw new RangeError(`${name}: ${JSON.stringify(entry)} is not a port or a [from, to] range within 0..65535`);
    }
    for (let port = from; port <= to; port++) bitmap[port >> 3]! |= 1 << (port & 7);
  }
  return bitmap;
}

export function rawPolicy(policy: LayerPolicy): RawPolicy {
  return {
    ignoredPorts: portBitmap("ignorePorts", policy.ignorePorts ?? []),
    loopbackTrappedPorts: portBitmap("trapLoopbackPorts", policy.trapLoopbackPorts ?? []),
    inboundMode: policy.inbound === "session" ? 1 : policy.inbound === "bind" ? 2 : 0,
    filesToSession: policy.files?.toSession ?? false,
    localPrefixes: [...(policy.files?.localPrefixes ?? [])],
    defaultGroups: policy.defaultGroups ?? DEFAULT_GROUPS,
  };
}
