/**
 * Errors a person can act on. Each carries one sentence (`message`) and the next step
 * (`help`); `kind` says whose fault it is. They are created where the problem is found
 * and rendered once, at the edge (CLI line + exit code, JSON for IDEs).
 */
export type ErrorKind = 'config' | 'cluster' | 'kernel' | 'usage' | 'bug';

export abstract class MirrordError extends Error {
  abstract readonly kind: ErrorKind;
  /** Stable machine-readable code, e.g. `config.unknown_key`. */
  readonly code: string;
  readonly help: string;

  constructor(code: string, message: string, help: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.help = help;
    this.name = new.target.name;
  }
}

/** One problem found in a config file, with where it is. */
export interface ConfigProblem {
  /** Dotted key path, e.g. `feature.network.incoming.mode`; empty for the whole file. */
  readonly key: string;
  /** One sentence naming the key, the bad value and what is allowed. */
  readonly message: string;
  /** What to do about it. */
  readonly help: string;
  /** 1-based line and column in the file, when the parser knows them. */
  readonly position?: { readonly line: number; readonly column: number };
}

export class ConfigError extends MirrordError {
  readonly kind = 'config' as const;
  readonly file: string | undefined;
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], file?: string) {
    const first = problems[0];
    if (!first) throw new BugError('ConfigError needs at least one problem.');
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    super('config.invalid', first.message + more, first.help);
    this.file = file;
    this.problems = problems;
  }

  /** The key path of the first problem, for IDEs that jump to it. */
  get key(): string {
    return this.problems[0]?.key ?? '';
  }
}

export class ClusterError extends MirrordError {
  readonly kind = 'cluster' as const;
}

export class KernelError extends MirrordError {
  readonly kind = 'kernel' as const;
}

/** Wrong command-line usage: an unknown flag, a missing argument, a command not built yet. */
export class UsageError extends MirrordError {
  readonly kind = 'usage' as const;
}

/** Something that should not happen; the message still says what to do. */
export class BugError extends MirrordError {
  readonly kind = 'bug' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super('bug', message, 'This is a bug in mirrord; please report it with the command you ran.', options);
  }
}

/** Turns anything thrown into a MirrordError, so nothing reaches the user as a stack trace. */
export function asMirrordError(error: unknown): MirrordError {
  if (error instanceof MirrordError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new BugError(`Unexpected internal error: ${detail.split('\n')[0]}.`, { cause: error });
}
