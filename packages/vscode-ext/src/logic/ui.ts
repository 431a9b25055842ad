/** The status-bar item's look, error notifications' actions, and where a config key is in its file. */
import * as jsonc from 'jsonc-parser';
import type { ErrorData } from '@mirrord-ts/core/ide-protocol';

export interface StatusLook {
  readonly text: string;
  readonly tooltip: string;
}

export function statusLook(enabled: boolean, running: readonly string[]): StatusLook {
  if (running.length > 0) {
    const what = running.length === 1 ? running[0]! : `${running.length} sessions`;
    return { text: `$(broadcast) mirrord: ${what}`, tooltip: `mirrord session running (${running.join(', ')}); click to turn mirroring off for new debug sessions` };
  }
  return enabled
    ? { text: '$(plug) mirrord: on', tooltip: 'Debug sessions of this workspace run with mirrord; click to turn off' }
    : { text: '$(debug-disconnect) mirrord: off', tooltip: 'Debug sessions run without mirrord unless their configuration says "mirrord": true; click to turn on' };
}

export const OPEN_CONFIG = 'Open config';
export const SHOW_LOGS = 'Show logs';

/** The notification for a protocol error: its sentence, the next step, and actions. */
export function errorNotification(message: string, data: ErrorData | undefined): { text: string; actions: string[] } {
  const help = data?.help ? ` ${data.help}` : '';
  const actions = data?.kind === 'config' && (data.file || data.key) ? [OPEN_CONFIG, SHOW_LOGS] : [SHOW_LOGS];
  return { text: `mirrord: ${message}${help}`, actions };
}

/**
 * The offset of a dotted key (`feature.network.incoming.mode`) in a config file's text, for
 * "Open config": the key itself when it is there, else its nearest parent, else 0.
 */
export function keyOffset(text: string, key: string | undefined, path: string): number {
  if (!key) return 0;
  const segments = key.split('.').filter(Boolean);
  if (/\.json$/i.test(path)) {
    const tree = jsonc.parseTree(text);
    if (!tree) return 0;
    for (let n = segments.length; n > 0; n--) {
      const node = jsonc.findNodeAtLocation(tree, segments.slice(0, n));
      if (node) return node.parent?.type === 'property' ? node.parent.offset : node.offset;
    }
    return 0;
  }
  // YAML / TOML: the last segment's key, searched after its parents in order.
  let from = 0;
  for (const segment of segments) {
    const match = new RegExp(`(^|[\\s{,"'\\[.])${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*[:=\\]]`, 'm').exec(text.slice(from));
    if (!match) break;
    from += match.index + match[1]!.length;
  }
  return from;
}
