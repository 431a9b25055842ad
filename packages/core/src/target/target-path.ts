/**
 * mirrord's target syntax: `targetless`, `<kind>/<name>[/container/<container>]`, or the
 * object form `{ "deployment": "api", "container": "app" }` of mirrord's config file.
 */
export const TARGET_KINDS = ['pod', 'deployment', 'rollout', 'job', 'cronjob', 'statefulset', 'service', 'replicaset'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export type TargetPath =
  | { readonly kind: 'targetless' }
  | { readonly kind: TargetKind; readonly name: string; readonly container: string | null };

/** Spellings mirrord accepts for a kind in the string form. */
const KIND_ALIASES: Readonly<Record<string, TargetKind>> = { deploy: 'deployment' };

/** Keys of mirrord's object form; `cron_job`, `stateful_set` and `replica_set` are its serde names. */
export const OBJECT_FORM_KEYS: Readonly<Record<string, TargetKind>> = {
  pod: 'pod',
  deployment: 'deployment',
  rollout: 'rollout',
  job: 'job',
  cron_job: 'cronjob',
  stateful_set: 'statefulset',
  service: 'service',
  replica_set: 'replicaset',
};

export const TARGET_SYNTAX_HELP =
  'Use `targetless` or `<kind>/<name>[/container/<container>]` with kind one of ' + TARGET_KINDS.join(', ') + ', e.g. `deployment/api/container/app`.';

/** Kubernetes object names: DNS-1123 subdomain (pods, deployments, …) — also valid for containers' DNS-1123 labels. */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** Names in messages are cut short: a pasted megabyte must not become a megabyte of error. */
function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

export type TargetParseResult = { ok: true; target: TargetPath } | { ok: false; reason: string };

/** Parses the string form; `reason` is a sentence fragment ("has no name after `pod/`"). */
export function parseTargetPath(input: string): TargetParseResult {
  if (input === 'targetless') return { ok: true, target: { kind: 'targetless' } };
  const parts = input.split('/');
  const rawKind = parts[0] ?? '';
  const kind = KIND_ALIASES[rawKind] ?? (TARGET_KINDS as readonly string[]).find((k) => k === rawKind);
  if (kind === undefined) {
    if (parts.length === 1) return { ok: false, reason: `has no kind; did you mean \`pod/${short(input)}\` or \`deployment/${short(input)}\`` };
    return { ok: false, reason: `starts with \`${short(rawKind)}\`, which is not a target kind (use ${TARGET_KINDS.join(', ')} or targetless)` };
  }
  const name = parts[1];
  if (!name) return { ok: false, reason: `has no name after \`${short(rawKind)}/\`` };
  if (!OBJECT_NAME.test(name)) return { ok: false, reason: `names \`${short(name)}\`, which is not a valid Kubernetes object name (lower-case letters, digits, "-" and ".")` };
  if (parts.length === 2) return { ok: true, target: { kind: kind as TargetKind, name, container: null } };
  if (parts.length === 4 && parts[2] === 'container') {
    const container = parts[3]!;
    if (!OBJECT_NAME.test(container)) return { ok: false, reason: `names container \`${short(container)}\`, which is not a valid container name` };
    return { ok: true, target: { kind: kind as TargetKind, name, container } };
  }
  return { ok: false, reason: `has \`${short(parts.slice(2).join('/'))}\` after the name, where only \`/container/<name>\` may follow` };
}

export function formatTargetPath(target: TargetPath): string {
  if (target.kind === 'targetless') return 'targetless';
  return `${target.kind}/${target.name}${target.container ? `/container/${target.container}` : ''}`;
}
