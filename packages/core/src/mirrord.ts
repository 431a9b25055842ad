#!/usr/bin/env node
/** Entry point of the `mirrord` binary. */
import { runCli } from './cli/main.js';

const code = await runCli({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd() });
process.exitCode = code;
