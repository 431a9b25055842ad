/**
 * The `mirrord` command line. Verbs and flags follow mirrord's CLI so scripts and IDE plugins
 * written for it keep working. Every failure is rendered once, by `reportError`.
 */
import { Command, CommanderError, Option } from 'commander';
import { UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import { outputModeOf, processOutput, reportError, type Output } from './output.js';
import { execCommand, type ExecFlags } from './exec.js';
import { extCommand, type ExtFlags } from './ext.js';
import { lsCommand } from './ls.js';
import { restoreCommand } from './restore.js';
import { verifyConfigCommand } from './verify-config.js';

export interface CliContext {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly out?: Output;
}

/** Runs the CLI and resolves to the exit code; never throws. */
export async function runCli(context: CliContext): Promise<number> {
  const out = context.out ?? processOutput(outputModeOf(context.env));
  let exitCode = 0;

  const program = new Command('mirrord')
    .description('Run a local process as if it ran inside a Kubernetes pod.')
    .version(`mirrord ${VERSION}`, '-V, --version', 'print the version as "mirrord <version>"')
    .exitOverride()
    // `exec … -- cmd --flag`: options after the command belong to the command.
    .enablePositionalOptions()
    .configureOutput({
      writeOut: (text) => out.stdout(text),
      // Commander's own error lines are replaced by ours (see the catch below).
      writeErr: () => undefined,
    });

  program
    .command('verify-config')
    .description('check a config file; with --ide, answer in the JSON shape mirrord\'s IDE plugins read')
    .option('--ide', 'print mirrord\'s JSON verdict and always exit 0', false)
    .argument('<path>', 'config file (.json, .yaml, .yml or .toml)')
    .action((path: string, options: { ide: boolean }) => {
      exitCode = verifyConfigCommand(out, path, { ide: options.ide, cwd: context.cwd, env: context.env });
    });

  program
    .command('exec')
    .description('run a command with the target\'s traffic, DNS, env and files')
    .option('-f, --config-file <path>', 'config file')
    .option('-t, --target <target>', 'target path, e.g. deployment/api/container/app')
    .option('-n, --target-namespace <namespace>', 'namespace of the target')
    .option('-a, --agent-namespace <namespace>', 'namespace of the agent')
    .option('-i, --agent-image <image>', 'agent image')
    .option('-e, --ephemeral-container', 'run the agent as an ephemeral container in the target pod')
    .option('--agent-ttl <seconds>', 'seconds the agent pod is kept after the agent exits')
    .option('--agent-startup-timeout <seconds>', 'seconds to wait for the agent')
    .option('--steal', 'steal incoming traffic instead of mirroring it')
    .option('--fs-mode <mode>', 'read, write, local or localwithoverrides')
    .option('--no-outgoing', 'keep outgoing traffic local')
    .option('--no-tcp-outgoing', 'keep outgoing TCP local')
    .option('--no-udp-outgoing', 'keep outgoing UDP local')
    .option('--no-remote-dns', 'resolve names locally')
    .option('-x, --override-env-vars-exclude <names>', 'remote env vars to leave out, ";"-separated')
    .option('-s, --override-env-vars-include <names>', 'only these remote env vars, ";"-separated')
    .option('--skip-processes <names>', 'processes to leave alone, ";"-separated')
    .option('--context <context>', 'kubeconfig context')
    .argument('<command...>', 'the command to run, after --')
    .passThroughOptions()
    .action(async (command: string[], flags: ExecFlags) => {
      exitCode = await execCommand(out, command, flags, { cwd: context.cwd, env: context.env });
    });

  program
    .command('ls')
    .description('list targets as JSON (rich form with MIRRORD_LS_RICH_OUTPUT=true), as IDE target pickers use it')
    .option('-f, --config-file <path>', 'config file')
    .option('-n, --namespace <namespace>', 'namespace to list (default: the config\'s target namespace, then the context\'s)')
    .option('-t, --target-type <kind...>', 'kinds to list, e.g. -t deployment -t pod')
    .option('--verbose', 'also say why a target is unavailable', false)
    .addOption(new Option('-o, --output <format>', 'output format').choices(['json']).default('json'))
    .action(async (options: { configFile?: string; namespace?: string; targetType?: string[]; verbose: boolean }) => {
      exitCode = await lsCommand(out, { ...options, types: options.targetType, cwd: context.cwd, env: context.env });
    });

  program
    .command('restore')
    .description('bring back a workload a session scaled down (copy_target.scale_down) whose session is gone')
    .option('-f, --config-file <path>', 'config file')
    .option('-n, --namespace <namespace>', 'namespace of the workload (default: the config\'s target namespace, then the context\'s)')
    .option('--force', 'restore even while the session that scaled it down seems alive', false)
    .argument('[target]', 'the workload, e.g. deployment/orders-reader; all scaled-down ones of the namespace if left out')
    .action(async (target: string | undefined, options: { configFile?: string; namespace?: string; force: boolean }) => {
      exitCode = await restoreCommand(out, target, { ...options, cwd: context.cwd, env: context.env });
    });

  program
    .command('ext')
    .description('start a session for an IDE plugin and print its environment as NDJSON progress')
    .option('-f, --config-file <path>', 'config file')
    .option('-t, --target <target>', 'target path')
    .option('-e, --executable <path>', 'the executable the IDE will start (macOS only in mirrord; ignored)')
    .action(async (flags: ExtFlags) => {
      exitCode = await extCommand(out, flags, { cwd: context.cwd, env: context.env });
    });

  program
    .command('ide-server')
    .description('JSON-RPC server for the VS Code and JetBrains clients')
    .option('--stdio', 'speak over stdin/stdout')
    .action(async (options: { stdio?: boolean }) => { exitCode = await (await import('../ide/server.js')).ideServerCommand(options, context); });

  try {
    await program.parseAsync([...context.argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      const message = error.message.replace(/^error: /, '');
      const sentence = message.charAt(0).toUpperCase() + message.slice(1).replace(/\.?$/, '.');
      return reportError(out, new UsageError(error.code, sentence, 'Run `mirrord --help` to see the commands and their options.'));
    }
    return reportError(out, error);
  }
}
