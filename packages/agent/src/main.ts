/**
 * The agent's entry point (bundled to dist/agent.js). Started once as the guard, which
 * starts itself again as the worker (MIRRORD_AGENT_ROLE=worker). See args.ts for the
 * settings and worker.ts for the ready line on stdout.
 */
import { AgentArgsError, parseAgentArgs } from "./args.js";
import { ROLE_ENV, runGuard } from "./guard.js";
import { runWorker } from "./worker.js";

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let args;
  try {
    args = parseAgentArgs(argv, process.env);
  } catch (error) {
    if (error instanceof AgentArgsError) {
      process.stderr.write(`mirrord agent: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (process.env[ROLE_ENV] === "worker") await runWorker(args);
  else await runGuard(args, argv);
}

main().catch((error: unknown) => {
  process.stderr.write(`mirrord agent: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
