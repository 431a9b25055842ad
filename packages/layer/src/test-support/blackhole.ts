// Network safety for tests that name TEST-NET addresses: a blackhole route
// makes sure a layer bug can never send a packet off the machine.
import { execFileSync } from "node:child_process";

export const TEST_NET = "203.0.113.0/24";

/** Adds the route if missing; returns the function that undoes exactly that. */
export function ensureBlackhole(prefix = TEST_NET): () => void {
  const present = execFileSync("ip", ["route", "show", "type", "blackhole", prefix], { encoding: "utf8" }).trim() !== "";
  if (present) return () => {};
  execFileSync("ip", ["route", "add", "blackhole", prefix]);
  return () => {
    execFileSync("ip", ["route", "del", "blackhole", prefix]);
  };
}
