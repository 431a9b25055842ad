/**
 * Where the CLI's words go. A person gets plain lines; an IDE plugin (MIRRORD_PROGRESS_MODE=json,
 * as mirrord's plugins call us) gets errors as one `Error: {json}` line on stderr, and no
 * other stderr text may contain `Error: `, because the plugins look for it anywhere.
 */
import { asMirrordError, ConfigError, type MirrordError } from '../errors.js';

export type OutputMode = 'human' | 'json';

export function outputModeOf(env: Readonly<Record<string, string | undefined>>): OutputMode {
  return env.MIRRORD_PROGRESS_MODE === 'json' ? 'json' : 'human';
}

export interface Output {
  readonly mode: OutputMode;
  stdout(text: string): void;
  stderr(text: string): void;
}

export function processOutput(mode: OutputMode): Output {
  return {
    mode,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
  };
}

/** The exit code for an error: 2 for wrong usage (as most CLIs), 1 for everything else. */
export function exitCodeOf(error: MirrordError): number {
  return error.kind === 'usage' ? 2 : 1;
}

/** Writes an error once, in the form the mode calls for, and returns the exit code. */
export function reportError(out: Output, thrown: unknown): number {
  const error = asMirrordError(thrown);
  if (out.mode === 'json') {
    const payload: Record<string, unknown> = { message: error.message, help: error.help, kind: error.kind, code: error.code };
    if (error instanceof ConfigError && error.key) payload.key = error.key;
    out.stderr(`Error: ${JSON.stringify(payload)}\n`);
  } else {
    out.stderr(`mirrord: ${error.message}\n`);
    if (error instanceof ConfigError) {
      for (const problem of error.problems.slice(1)) out.stderr(`mirrord: ${problem.message}\n`);
    }
    out.stderr(`  hint: ${error.help}\n`);
  }
  return exitCodeOf(error);
}

/** Warnings never contain the word the IDE plugins treat as an error marker. */
export function reportWarning(out: Output, warning: string): void {
  const safe = warning.replaceAll('Error: ', 'error: ');
  out.stderr(out.mode === 'json' ? `${JSON.stringify({ type: 'Warning', message: safe })}\n` : `mirrord: warning: ${safe}\n`);
}
