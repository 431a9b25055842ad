/**
 * mirrord's config file, defined once: keys, shorthand forms and defaults follow mirrord's
 * published schema (mirrord-schema.json / configuration.md) so an existing
 * `.mirrord/mirrord.json` loads unchanged. `MirrordConfig` is the normalised result: every
 * shorthand expanded, every default filled in.
 */
import { parseAddressFilter, type AddressFilter } from './address-filter.js';
import {
  INVALID,
  bool,
  branch,
  compat,
  describeValue,
  formatPath,
  integer,
  list,
  number,
  object,
  oneOf,
  optional,
  record,
  semicolonList,
  shorthand,
  string,
  stringOrList,
  tuple,
  valueOf,
  withDefault,
  type Infer,
  type KeyPath,
  type ParseContext,
  type Type,
} from './dsl.js';
import { quantityValue } from '../kube/quantity.js';
import { OBJECT_FORM_KEYS, TARGET_SYNTAX_HELP, parseTargetPath, type TargetPath } from '../target/target-path.js';

const OPERATOR_ONLY = 'needs the mirrord operator, which this implementation does not use';
const MACOS_ONLY = 'applies to macOS only';
const NOT_APPLICABLE = 'has no effect in this implementation';

// ---------------------------------------------------------------- value types

/** A regular expression; mirrord's leading `(?i)` flag is accepted (matching is case-insensitive anyway where mirrord says so). */
function regex(): Type<string> {
  return string({
    expected: 'a regular expression',
    check(value) {
      try {
        new RegExp(value.replace(/^\(\?i\)/, ''));
        return undefined;
      } catch (error) {
        const why = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error);
        return `is not a valid regular expression (${why})`;
      }
    },
  });
}

const port = () => integer(0, 65535);
const seconds = () => integer(0, 86_400);
const portPair = () => tuple(port(), port());

function addressFilterEntry(): Type<AddressFilter> {
  const text = string({ expected: 'a filter like "tcp://1.1.1.0/24:1337", "google.com" or ":53"' });
  return {
    expected: text.expected,
    parse(value, path, ctx) {
      const raw = text.parse(value, path, ctx);
      if (raw === INVALID) return INVALID;
      const parsed = parseAddressFilter(raw);
      if (!parsed.ok) {
        return ctx.fail(path, `\`${formatPath(path)}\` is ${describeValue(raw)}, which ${parsed.reason}.`, 'Write entries as [tcp://|udp://][name|address|subnet/mask][:port].');
      }
      return parsed.filter;
    },
    schema: () => text.schema(),
  };
}

export interface TrafficFilter {
  /** `local`: listed traffic stays local, the rest goes remote; `remote`: the opposite. */
  readonly mode: 'local' | 'remote';
  readonly entries: AddressFilter[];
  /** The entries as written, for messages. */
  readonly written: string[];
}

/** `{ "local": [...] }` or `{ "remote": [...] }` — exactly one. */
function trafficFilter(): Type<TrafficFilter> {
  const entries = shorthand<AddressFilter[]>(
    { string: branch(addressFilterEntry(), (e) => [e]), list: branch(list(addressFilterEntry()), (e) => e) },
    'a filter string or a list of them',
  );
  const shape = object(
    {
      local: optional(entries, 'Traffic matching any of these stays local; everything else goes through the target.'),
      remote: optional(entries, 'Only traffic matching one of these goes through the target; everything else stays local.'),
    },
    {
      refine(value, path, ctx) {
        if ((value.local === null) === (value.remote === null)) {
          ctx.fail(path, `\`${formatPath(path)}\` must have exactly one of \`local\` and \`remote\`.`, 'Keep either the `local` list or the `remote` list.');
        }
      },
    },
  );
  return {
    expected: 'an object with either `local` or `remote`',
    parse(value, path, ctx) {
      const parsed = shape.parse(value, path, ctx);
      if (parsed === INVALID) return INVALID;
      const mode = parsed.local !== null ? 'local' : 'remote';
      const raw = (value as Record<string, unknown>)[mode];
      return { mode, entries: (parsed.local ?? parsed.remote)!, written: Array.isArray(raw) ? raw.map(String) : [String(raw)] };
    },
    schema: () => shape.schema(),
  };
}

// ---------------------------------------------------------------- target

function targetString(): Type<TargetPath> {
  const text = string({ expected: 'a target path such as "deployment/api" or "targetless"' });
  return {
    expected: text.expected,
    parse(value, path, ctx) {
      const raw = text.parse(value, path, ctx);
      if (raw === INVALID) return INVALID;
      const parsed = parseTargetPath(raw);
      return parsed.ok ? parsed.target : ctx.fail(path, `\`${formatPath(path)}\` is ${describeValue(raw)}, which ${parsed.reason}.`, TARGET_SYNTAX_HELP);
    },
    schema: () => ({ type: 'string', pattern: '^(targetless|(pod|deployment|deploy|rollout|job|cronjob|statefulset|service|replicaset)/[^/]+(/container/[^/]+)?)$' }),
  };
}

/** mirrord's object form of a path: `{ "deployment": "api", "container": "app" }`. */
function targetObjectForm(): Type<TargetPath> {
  const kinds = Object.keys(OBJECT_FORM_KEYS);
  return {
    expected: `an object with one of ${kinds.join(', ')} and an optional container`,
    parse(value, path, ctx) {
      const entries = Object.entries(value as Record<string, unknown>);
      const kindKeys = entries.filter(([k]) => k in OBJECT_FORM_KEYS);
      const unknown = entries.filter(([k]) => !(k in OBJECT_FORM_KEYS) && k !== 'container');
      if (kindKeys.length !== 1 || unknown.length > 0) {
        const bad = unknown[0]?.[0];
        return ctx.fail(
          bad ? [...path, bad] : path,
          bad
            ? `\`${formatPath([...path, bad])}\` is not a known key; a target object has one of ${kinds.join(', ')} and an optional container.`
            : `\`${formatPath(path)}\` must name exactly one of ${kinds.join(', ')}.`,
          TARGET_SYNTAX_HELP,
        );
      }
      const [kindKey, name] = kindKeys[0]!;
      const container = (value as Record<string, unknown>).container ?? null;
      if (typeof name !== 'string' || (container !== null && typeof container !== 'string')) {
        return ctx.fail(path, `\`${formatPath(path)}\` must give the ${kindKey} name and container as strings.`, TARGET_SYNTAX_HELP);
      }
      const parsed = parseTargetPath(`${OBJECT_FORM_KEYS[kindKey]}/${name}${container ? `/container/${container}` : ''}`);
      return parsed.ok ? parsed.target : ctx.fail(path, `\`${formatPath(path)}\` ${parsed.reason}.`, TARGET_SYNTAX_HELP);
    },
    schema: () => ({
      oneOf: kinds.map((k) => ({
        type: 'object',
        properties: { [k]: { type: 'string' }, container: { type: ['string', 'null'] } },
        required: [k],
        additionalProperties: false,
      })),
    }),
  };
}

const targetPathType = () =>
  shorthand<TargetPath>(
    { string: branch(targetString(), (t) => t), object: branch(targetObjectForm(), (t) => t) },
    'a target path string such as "deployment/api/container/app" or an object such as {"deployment": "api"}',
  );

export interface TargetConfig {
  readonly path: TargetPath | null;
  readonly namespace: string | null;
}

function targetType(): Type<TargetConfig> {
  const advanced = object({
    path: optional(targetPathType(), 'The Kubernetes resource to target; unset means the IDE asks, or targetless.'),
    namespace: optional(string(), "Namespace of the target; defaults to the kubeconfig context's namespace."),
  });
  const pathOnly = targetPathType();
  return {
    expected: 'a target path string or an object with `path` and `namespace`',
    parse(value, path, ctx) {
      // `{ "deployment": "api" }` is the object form of a path; any other object is `{ path, namespace }`.
      const isObjectForm = typeof value === 'object' && value !== null && Object.keys(value).some((k) => k in OBJECT_FORM_KEYS || k === 'container');
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && !isObjectForm) {
        return advanced.parse(value, path, ctx);
      }
      const parsed = pathOnly.parse(value, path, ctx);
      return parsed === INVALID ? INVALID : { path: parsed, namespace: null };
    },
    schema: () => ({ anyOf: [pathOnly.schema(), advanced.schema()] }),
  };
}

// ---------------------------------------------------------------- feature.env

const envObject = object({
  include: optional(semicolonList(), 'Only these remote variables are used (names, `*` and `?` wildcards; a list or a ";"-separated string).'),
  exclude: optional(semicolonList(), 'Remote variables left out (names, `*` and `?` wildcards; a list or a ";"-separated string).'),
  override: withDefault(record(string()), {}, 'Variables set locally to these values, whatever the target has.'),
  unset: withDefault(stringOrList(), [], 'Variables removed from the local process (case-insensitive).'),
  env_file: optional(string(), 'A .env file whose variables override the remote ones.'),
  mapping: optional(record(string()), 'Regex on names → replacement value for matching variables.'),
  load_from_process: withDefault(bool(), false, 'Fetch the variables after the process starts (mirrord uses this for IntelliJ on WSL).'),
});

export type EnvConfig = { enabled: boolean } & Infer<typeof envObject>;

const envType = shorthand<EnvConfig>({
  boolean: branch(bool(), (enabled) => ({ enabled, ...valueOf(envObject, {}) })),
  object: branch(envObject, (o) => ({ enabled: true, ...o })),
});

// ---------------------------------------------------------------- feature.fs

const FS_MODES = ['read', 'write', 'local', 'localwithoverrides'] as const;
export type FsMode = (typeof FS_MODES)[number];
const patterns = () => stringOrList(regex());

const fsObject = object({
  mode: withDefault(oneOf(FS_MODES), 'read', 'Default for file operations: read remote, read/write remote, local, or local with exceptions.'),
  read_write: withDefault(patterns(), [], 'Path regexes read and written on the target.'),
  read_only: withDefault(patterns(), [], 'Path regexes read from the target (opened locally when written).'),
  local: withDefault(patterns(), [], 'Path regexes always opened locally.'),
  not_found: withDefault(patterns(), [], 'Path regexes that appear not to exist.'),
  mapping: withDefault(record(string()), {}, 'Path regex → replacement applied before everything else (capture groups allowed).'),
  readonly_file_buffer: withDefault(integer(0, 1 << 30), 128000, 'Bytes read ahead for read-only remote files; 0 disables buffering.'),
});

export type FsConfig = Infer<typeof fsObject>;

const fsType = shorthand<FsConfig>({
  boolean: branch(bool(), (on) => valueOf(fsObject, { mode: on ? 'read' : 'local' })),
  string: branch(oneOf(FS_MODES), (mode) => valueOf(fsObject, { mode })),
  object: branch(fsObject, (o) => o),
});

// ---------------------------------------------------------------- feature.network

const innerHttpFilter = object(
  {
    header: optional(regex(), 'Regex matched against each `Name: value` header line.'),
    path: optional(regex(), 'Regex matched against the path (and path+query).'),
    method: optional(string(), 'HTTP method, case-insensitive.'),
    body: compat('JSON body filter', OPERATOR_ONLY),
    query: compat('JSONPath query of a body filter', OPERATOR_ONLY),
    matches: compat('Regex of a body filter', OPERATOR_ONLY),
  },
  {
    refine(value, path, ctx) {
      const set = (['header', 'path', 'method', 'body'] as const).filter((k) => value[k] !== null);
      if (set.length !== 1) {
        ctx.fail(path, `\`${formatPath(path)}\` must have exactly one of header, path, method or body.`, 'Split it into one filter per condition.');
      }
    },
  },
);

const HTTP_FILTER_KINDS = ['header_filter', 'path_filter', 'method_filter', 'all_of', 'any_of'] as const;

const httpFilterType = object(
  {
    header_filter: optional(regex(), 'Steal only requests with a header line (`Name: value`) matching this regex.'),
    path_filter: optional(regex(), 'Steal only requests whose path matches this regex.'),
    method_filter: optional(string(), 'Steal only requests with this HTTP method.'),
    all_of: optional(list(innerHttpFilter, { minItems: 1 }), 'Steal requests matching every one of these filters.'),
    any_of: optional(list(innerHttpFilter, { minItems: 1 }), 'Steal requests matching any of these filters.'),
    ports: optional(list(port()), 'Filter HTTP only on these ports; unset means every stolen port.'),
    body_filter: compat('JSON body filter', OPERATOR_ONLY),
  },
  {
    description: 'Steal only matching HTTP requests; the rest go on to the target unchanged.',
    refine(value, path, ctx) {
      const set = HTTP_FILTER_KINDS.filter((k) => value[k] !== null);
      if (set.length > 1) {
        ctx.fail(path, `\`${formatPath(path)}\` sets ${set.join(' and ')}, but only one of them may be set.`, 'Combine conditions with `all_of` or `any_of`.');
      }
    },
  },
);

export type HttpFilterConfig = Infer<typeof httpFilterType>;

const INCOMING_MODES = ['mirror', 'steal', 'off'] as const;
export type IncomingMode = (typeof INCOMING_MODES)[number];

const incomingObject = object(
  {
    mode: withDefault(oneOf(INCOMING_MODES), 'mirror', 'mirror: copy incoming traffic to the local process; steal: take it; off: neither.'),
    http_filter: withDefault(httpFilterType, {}, 'HTTP filter for steal mode.'),
    port_mapping: withDefault(list(portPair()), [], 'Pairs [local, remote]: the local process listening on `local` gets the remote port `remote`.'),
    listen_ports: withDefault(list(portPair()), [], 'Pairs [remote, local]: listen on `local` for traffic of remote port `remote`.'),
    ignore_localhost: withDefault(bool(), false, 'Leave ports the local process binds on localhost alone.'),
    ignore_ports: withDefault(list(port()), [], 'Ports never mirrored or stolen.'),
    ports: optional(list(port()), 'Only these ports are mirrored or stolen.'),
    on_concurrent_steal: compat('What to do when another session steals the port', OPERATOR_ONLY),
    tls_delivery: compat('How stolen TLS traffic is delivered', OPERATOR_ONLY),
    https_delivery: compat('Deprecated name of tls_delivery', OPERATOR_ONLY),
  },
  {
    refine(value, path, ctx) {
      if (value.ports !== null && value.ignore_ports.length > 0) {
        ctx.fail(path, `\`${formatPath(path)}\` sets both ports and ignore_ports, which exclude each other.`, 'Keep only one of `ports` and `ignore_ports`.');
      }
    },
  },
);

export type IncomingConfig = Infer<typeof incomingObject>;

const incomingType = shorthand<IncomingConfig>({
  boolean: branch(bool(), (on) => valueOf(incomingObject, { mode: on ? 'mirror' : 'off' })),
  string: branch(oneOf(INCOMING_MODES), (mode) => valueOf(incomingObject, { mode })),
  object: branch(incomingObject, (o) => o),
});

const outgoingObject = object({
  tcp: withDefault(bool(), true, 'Send outgoing TCP through the target.'),
  udp: withDefault(bool(), true, 'Send outgoing UDP through the target.'),
  ignore_localhost: withDefault(bool(), false, 'Keep connections to localhost local (they always are for the debugger).'),
  filter: optional(trafficFilter(), 'Which destinations go remote or stay local: `{ "local": [...] }` or `{ "remote": [...] }`.'),
  unix_streams: withDefault(stringOrList(regex()), [], 'Unix socket path regexes connected on the target.'),
});

export type OutgoingConfig = Infer<typeof outgoingObject>;

const outgoingType = shorthand<OutgoingConfig>({
  boolean: branch(bool(), (on) => valueOf(outgoingObject, { tcp: on, udp: on })),
  string: branch(oneOf(['remote', 'local'] as const), (where) => valueOf(outgoingObject, { tcp: where === 'remote', udp: where === 'remote' })),
  object: branch(outgoingObject, (o) => o),
});

const dnsObject = object({
  enabled: withDefault(bool(), true, 'Resolve names as the target pod does.'),
  filter: optional(trafficFilter(), 'Which names resolve remotely or locally.'),
});

export type DnsConfig = Infer<typeof dnsObject>;

const dnsType = shorthand<DnsConfig>({
  boolean: branch(bool(), (enabled) => valueOf(dnsObject, { enabled })),
  object: branch(dnsObject, (o) => o),
});

const networkObject = object({
  incoming: withDefault(incomingType, 'mirror', 'Incoming traffic: "mirror" (default), "steal", "off", true/false or an object.'),
  outgoing: withDefault(outgoingType, true, 'Outgoing traffic through the target.'),
  dns: withDefault(dnsType, true, 'DNS through the target.'),
  ipv6: withDefault(bool(), false, 'Handle IPv6 traffic too.'),
});

export type NetworkConfig = Infer<typeof networkObject>;

const networkType = shorthand<NetworkConfig>({
  boolean: branch(bool(), (on) => valueOf(networkObject, on ? {} : { incoming: 'off', outgoing: false, dns: false })),
  object: branch(networkObject, (o) => o),
});

// ---------------------------------------------------------------- feature.copy_target

const copyTargetObject = object({
  enabled: withDefault(bool(), true, 'Run the session against a copy of the target pod.'),
  scale_down: withDefault(bool(), false, 'Scale the target workload to 0 while the session runs; it is restored on every exit.'),
  exclude_containers: withDefault(list(string()), [], 'Containers left out of the copy.'),
  exclude_init_containers: withDefault(list(string()), [], 'Init containers left out of the copy.'),
});

export type CopyTargetConfig = Infer<typeof copyTargetObject>;

const copyTargetType = shorthand<CopyTargetConfig>({
  boolean: branch(bool(), (enabled) => valueOf(copyTargetObject, { enabled })),
  object: branch(copyTargetObject, (o) => o),
});

const featureObject = object({
  env: withDefault(envType, true, "The target container's environment variables: true/false or an object."),
  fs: withDefault(fsType, 'read', 'File operations: "read" (default), "write", "local", "localwithoverrides", true/false or an object.'),
  network: withDefault(networkType, {}, 'Incoming, outgoing and DNS traffic.'),
  copy_target: withDefault(copyTargetType, false, 'Use a copy of the target pod (with scale_down: take the workload out while debugging).'),
  hostname: withDefault(bool(), true, "Report the target pod's hostname."),
  magic: withDefault(object({ aws: withDefault(bool(), true, 'Hide local AWS credentials so the pod identity is used.') }), {}, 'Sensible defaults.'),
  split_queues: compat('Queue splitting', OPERATOR_ONLY),
  db_branches: compat('Database branches', OPERATOR_ONLY),
  preview: compat('Preview environments', OPERATOR_ONLY),
});

// ---------------------------------------------------------------- agent

const agentImage = shorthand<string>({
  string: branch(string(), (s) => s),
  object: branch(
    object({ registry: withDefault(string(), 'mirrord-ts.local/agent', 'Image repository.'), tag: withDefault(string(), 'latest', 'Image tag.') }),
    (o) => `${o.registry}:${o.tag}`,
  ),
});

const quantity = shorthand<string>({
  string: branch(string({ expected: 'a Kubernetes quantity such as "250m" or "128Mi"', check: (v) => (quantityValue(v) === undefined ? 'is not a Kubernetes quantity' : undefined) }), (v) => v),
  number: branch(number(0, 1_000_000), (n) => String(n)),
}, 'a Kubernetes quantity such as "250m" or "128Mi"');
const resourceAmounts = object({
  cpu: optional(quantity, 'CPU, e.g. "100m".'),
  memory: optional(quantity, 'Memory, e.g. "128Mi".'),
});
const agentResources = object({
  requests: optional(resourceAmounts, 'What the agent is guaranteed.'),
  limits: optional(resourceAmounts, 'What the agent may use at most.'),
});

const agentObject = object({
  log_level: withDefault(string(), 'info', 'Agent log level.'),
  json_log: withDefault(bool(), false, 'Agent logs as JSON.'),
  namespace: optional(string(), "Namespace of the agent pod; defaults to the target's."),
  image: optional(agentImage, "The agent's container image; defaults to the image matching this CLI's version."),
  image_pull_policy: withDefault(string(), 'IfNotPresent', 'Pull policy of the agent image.'),
  image_pull_secrets: optional(list(record(string())), 'Secrets for pulling the agent image, as [{ "name": … }].'),
  ttl: withDefault(seconds(), 1, 'Seconds the agent pod is kept after the agent exits.'),
  ephemeral: withDefault(bool(), false, 'Run the agent as an ephemeral container in the target pod.'),
  communication_timeout: withDefault(integer(1, 86_400), 30, 'Seconds the agent lives on without a client before it exits and cleans up.'),
  startup_timeout: withDefault(integer(1, 86_400), 60, 'Seconds to wait for the agent to start.'),
  network_interface: optional(string(), 'Network interface the agent uses in the target pod.'),
  flush_connections: withDefault(bool(), true, 'Flush existing connections when stealing starts.'),
  labels: optional(record(string()), 'Extra labels of the agent pod.'),
  annotations: optional(record(string()), 'Extra annotations of the agent pod.'),
  node_selector: optional(record(string()), 'Node selector of a targetless agent pod.'),
  tolerations: optional(list(record(string())), 'Tolerations of the agent pod.'),
  resources: optional(agentResources, 'Resource requests and limits of the agent (job and targetless modes; an ephemeral container takes none), over the defaults requests cpu 1m, memory 16Mi, limits cpu 500m, memory 256Mi.'),
  service_account: optional(string(), 'Service account of the agent pod.'),
  priority_class: optional(string(), 'Priority class of the agent pod.'),
  privileged: withDefault(bool(), false, 'Run the agent privileged.'),
  disabled_capabilities: optional(list(oneOf(['NET_ADMIN', 'SYS_PTRACE', 'SYS_ADMIN', 'NET_RAW', 'SYS_RESOURCE'] as const)), 'Capabilities the agent goes without.'),
  check_out_of_pods: withDefault(bool(), true, "Check that the target's node has room for the agent pod."),
  clean_iptables_on_start: withDefault(bool(), true, 'Remove rules left by agents that no longer run before starting.'),
  nftables: optional(bool(), 'iptables-nft (true) or iptables-legacy (false); unset detects it.'),
  dns: optional(object({ attempts: optional(integer(1, 100), 'Attempts per look-up.'), timeout: optional(integer(1, 600), 'Seconds per attempt.') }), 'DNS look-ups by the agent.'),
  exclude_from_mesh: withDefault(bool(), false, "Exclude the agent's port from the service mesh sidecar."),
  disable_mesh_sidecar_injection: withDefault(bool(), true, 'Keep Istio, Linkerd and Kuma from injecting a sidecar into the agent pod.'),
  inject_headers: withDefault(bool(), false, 'Add a `Mirrord-Agent` header to responses that went through the agent.'),
  max_body_buffer_size: withDefault(integer(0, 1 << 30), 65535, 'Bytes of request body buffered for body filters.'),
  max_body_buffer_timeout: withDefault(integer(0, 600_000), 1000, 'Milliseconds to wait for a request body for body filters.'),
  metrics: compat('Prometheus metrics address', NOT_APPLICABLE),
  security_context: compat('Security context of the agent pod', NOT_APPLICABLE),
  jaq_time_limit: compat('Time limit of jq body filters', OPERATOR_ONLY),
});

// ---------------------------------------------------------------- root

const internalProxyObject = object({
  start_idle_timeout: withDefault(integer(1, 86_400), 60, 'Seconds a session waits for its first process before it ends.'),
  idle_timeout: withDefault(integer(0, 86_400), 5, 'Seconds a session lives on after its last process exits.'),
  socket_timeout: withDefault(integer(1, 86_400), 31, 'Seconds a process may go silent before the session drops it.'),
  log_level: optional(string(), 'Session log level.'),
  log_destination: optional(string(), 'File or folder for the session log.'),
  json_log: withDefault(bool(), true, 'Session logs as JSON.'),
  process_logging_interval: optional(integer(1, 86_400), 'Seconds between logs of connected processes.'),
});

const startupRetryObject = object({
  min_ms: withDefault(integer(0, 600_000), 500, 'Shortest wait between retries of start-up Kubernetes calls.'),
  max_ms: withDefault(integer(0, 600_000), 5000, 'Longest wait between retries.'),
  max_retries: withDefault(integer(0, 100), 2, 'Retries of start-up Kubernetes calls; 0 disables them.'),
});

export const configType = object(
  {
    target: withDefault(targetType(), {}, 'The target: "deployment/api/container/app", "pod/x", "targetless", or { path, namespace }.'),
    feature: withDefault(featureObject, {}, 'What the local process gets from the target.'),
    agent: withDefault(agentObject, {}, 'The agent started in the cluster.'),
    pause: withDefault(bool(), false, "Freeze the target container while the session runs (caveat: a frozen queue consumer keeps its broker connection, so messages can stall on it; prefer copy_target.scale_down)."),
    kube_context: optional(string(), 'kubeconfig context to use; the current context if unset.'),
    kubeconfig: optional(string(), 'kubeconfig file; KUBECONFIG or ~/.kube/config if unset.'),
    accept_invalid_certificates: optional(bool(), "Accept the API server's certificate even if it does not verify."),
    skip_processes: withDefault(semicolonList(), [], 'Processes (by name) the layer leaves alone, e.g. "bash;node".'),
    skip_build_tools: withDefault(bool(), true, 'Leave build tools (go, gcc, cargo, dlv, …) alone.'),
    skip_extra_build_tools: withDefault(stringOrList(), [], 'More build tools to leave alone.'),
    internal_proxy: withDefault(internalProxyObject, {}, 'The local session process.'),
    startup_retry: withDefault(startupRetryObject, {}, 'Retries of Kubernetes calls at start-up.'),
    key: optional(string(), 'Session key, usable as {{ key }} in the config.'),
    operator: optional(bool(), 'Use the mirrord operator; this implementation never does.'),
    telemetry: withDefault(bool(), true, 'Accepted for compatibility; this implementation sends no telemetry.'),
    use_proxy: withDefault(bool(), true, 'Use HTTP(S)_PROXY for Kubernetes API calls.'),
    experimental: compat('Experimental features', NOT_APPLICABLE),
    external_proxy: compat('External proxy of `mirrord container`', NOT_APPLICABLE),
    container: compat('`mirrord container` settings', NOT_APPLICABLE),
    sip_binaries: compat('Binaries to patch for macOS SIP', MACOS_ONLY),
    skip_sip: compat('Binaries not to patch for macOS SIP', MACOS_ONLY),
    profile: compat('mirrord profile', OPERATOR_ONLY),
    ci: compat('`mirrord ci` settings', OPERATOR_ONLY),
    api: compat('Local session monitor socket', NOT_APPLICABLE),
    baggage: compat('OpenTelemetry baggage', OPERATOR_ONLY),
    traceparent: compat('OpenTelemetry trace context', OPERATOR_ONLY),
    connect_tcp: compat('Legacy key of old mirrord versions', NOT_APPLICABLE),
  },
  {
    description: 'mirrord configuration (.mirrord/mirrord.json). Keys and defaults follow mirrord.',
    refine(value, path: KeyPath, ctx: ParseContext) {
      if (value.agent.ephemeral && value.target.path?.kind === 'targetless') {
        ctx.fail([...path, 'agent', 'ephemeral'], '`agent.ephemeral` is true, but a targetless session has no pod to add an ephemeral container to.', 'Set agent.ephemeral to false or choose a target.');
      }
      const kind = value.target.path?.kind;
      if ((kind === 'job' || kind === 'cronjob') && !value.feature.copy_target.enabled) {
        ctx.fail([...path, 'target'], `\`target\` is a ${kind}, whose pods may be gone, so it needs \`feature.copy_target\`.`, 'Set feature.copy_target to true.');
      }
    },
  },
);

export type MirrordConfig = Infer<typeof configType>;
