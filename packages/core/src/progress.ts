/**
 * One progress interface for long work (resolving the target, starting the agent, …). The CLI
 * renders it as lines on stderr, IDE plugins of mirrord get its NDJSON (`NewTask` /
 * `FinishedTask`, as their parsers expect), and the IDE server turns it into LSP work-done
 * progress. Code that does the work only ever sees `Progress`.
 */
export interface Progress {
  /** Starts a named step; finish it with `done` or `fail`. */
  step(name: string): ProgressStep;
  info(message: string): void;
  warning(message: string): void;
}

export interface ProgressStep {
  done(message?: string): void;
  fail(message?: string): void;
}

/** Everything a renderer is told, in order. */
export type ProgressEvent =
  | { type: 'NewTask'; name: string; parent: string | null }
  | { type: 'FinishedTask'; name: string; success: boolean; message: string | null }
  | { type: 'Info'; message: string }
  | { type: 'Warning'; message: string };

/** Builds a Progress from a sink of events; steps are flat, each with the root task as parent. */
export function progressTo(emit: (event: ProgressEvent) => void, root: string | null = null): Progress {
  return {
    step(name) {
      emit({ type: 'NewTask', name, parent: root });
      let finished = false;
      const finish = (success: boolean, message?: string) => {
        if (finished) return;
        finished = true;
        emit({ type: 'FinishedTask', name, success, message: message ?? null });
      };
      return { done: (message) => finish(true, message), fail: (message) => finish(false, message) };
    },
    info: (message) => emit({ type: 'Info', message }),
    warning: (message) => emit({ type: 'Warning', message }),
  };
}

/** mirrord's NDJSON: one JSON object per line, never a blank line. */
export function ndjsonProgress(write: (line: string) => void, root: string | null = null): Progress {
  return progressTo((event) => write(`${JSON.stringify(event)}\n`), root);
}

/** Lines for a person on stderr: "mirrord: starting the agent…" then "… done (1.2 s)". */
export function humanProgress(write: (text: string) => void): Progress {
  const started = new Map<string, number>();
  return progressTo((event) => {
    switch (event.type) {
      case 'NewTask':
        started.set(event.name, Date.now());
        write(`mirrord: ${event.name}…\n`);
        break;
      case 'FinishedTask': {
        const seconds = ((Date.now() - (started.get(event.name) ?? Date.now())) / 1000).toFixed(1);
        const outcome = event.success ? 'done' : 'failed';
        write(`mirrord: ${event.name}: ${outcome}${event.message ? ` — ${event.message}` : ''} (${seconds} s)\n`);
        break;
      }
      case 'Info':
        write(`mirrord: ${event.message}\n`);
        break;
      case 'Warning':
        write(`mirrord: warning: ${event.message.replaceAll('Error: ', 'error: ')}\n`);
        break;
    }
  });
}

/** A Progress that records events (tests; the IDE server forwards them). */
export function recordingProgress(): Progress & { readonly events: ProgressEvent[] } {
  const events: ProgressEvent[] = [];
  return Object.assign(progressTo((e) => events.push(e)), { events });
}

/** Runs `work` as a step: done on success, failed (with the error's sentence) on throw. */
export async function inStep<T>(progress: Progress, name: string, work: () => Promise<T>, doneMessage?: (value: T) => string): Promise<T> {
  const step = progress.step(name);
  try {
    const value = await work();
    step.done(doneMessage?.(value));
    return value;
  } catch (error) {
    step.fail(error instanceof Error ? error.message : String(error));
    throw error;
  }
}
