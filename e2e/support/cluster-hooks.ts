/**
 * Mocha root hooks shared by every e2e suite: boot the cluster once before the first test
 * (or reuse a healthy one) holding the machine's cluster lock (a concurrent run from another
 * clone waits), and tear it down after the last test, failures included. Set
 * MIRRORD_E2E_KEEP_CLUSTER=1 to leave it running for debugging.
 */
import type { Context } from "mocha";
import { ensureClusterUp, teardownCluster } from "../cluster/index.js";

export const mochaHooks = {
  async beforeAll(this: Context): Promise<void> {
    // A cold machine compiles Kubernetes and CoreDNS first (about 15 minutes on 2 cores).
    this.timeout(60 * 60_000);
    await ensureClusterUp();
  },
  async afterAll(this: Context): Promise<void> {
    this.timeout(5 * 60_000);
    await teardownCluster({ keepRunning: process.env.MIRRORD_E2E_KEEP_CLUSTER === "1" });
  },
};
