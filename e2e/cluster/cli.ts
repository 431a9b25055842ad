/** `pnpm cluster up | down | status`: the e2e cluster from a shell. */
import { clusterDown } from "./down.js";
import { clusterStatus, formatStatus } from "./status.js";
import { clusterUp } from "./up.js";

const usage = "usage: pnpm cluster up | down | status";

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case "up": {
      const report = await clusterUp();
      console.log(report.booted ? `cluster up in ${report.seconds.toFixed(1)} s` : "cluster already up");
      return 0;
    }
    case "down":
      await clusterDown();
      console.log("cluster down");
      return 0;
    case "status": {
      const status = await clusterStatus();
      console.log(formatStatus(status));
      return status.up ? 0 : 3;
    }
    default:
      console.error(usage);
      return 2;
  }
}

if (process.getuid?.() !== 0) {
  console.error("cluster: run this as root: it starts containerd and the kubelet and changes routes.");
  process.exit(1);
}
main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`cluster: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
