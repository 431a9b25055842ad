#!/usr/bin/env node
/** Entry point of the IDE server bundle (dist/ide-server.js), which IDE packages ship: `node ide-server.js --stdio`. */
import { ideServerCommand } from './server.js';

await ideServerCommand({ stdio: process.argv.includes('--stdio') }, { env: process.env, cwd: process.cwd() }).catch((error: unknown) => {
  process.stderr.write(`mirrord: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
