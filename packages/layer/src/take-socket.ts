// The first step of every answer the session builds on a process's own socket.
import type { LayerSupervisor, Notification } from "./supervisor.js";
import { getFd } from "./target.js";

/**
 * Duplicates the process's socket `fd` into the session (close it when done). When the
 * process died or the fd is not there any more, the call is passed to the kernel, which says
 * so, and undefined is returned.
 */
export function takeSocket(supervisor: LayerSupervisor, n: Notification, fd: number): number | undefined {
  try {
    return getFd(n.pid, fd);
  } catch {
    supervisor.respond(n, { continue: true });
    return undefined;
  }
}
