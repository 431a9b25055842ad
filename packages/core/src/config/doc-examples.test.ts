/**
 * Config examples from mirrord's public documentation (configuration.md and the schema's
 * descriptions), each loaded as JSON and as the same config written in YAML and in TOML:
 * all three must give the same normalised object, and the object must say what the
 * documentation says the example means.
 */
import assert from 'node:assert/strict';
import { stringify as toToml } from 'smol-toml';
import { stringify as toYaml } from 'yaml';
import { parseConfigText } from './load.js';
import type { MirrordConfig } from './definition.js';

interface DocExample {
  readonly name: string;
  readonly json: string;
  readonly check: (config: MirrordConfig) => void;
  /** Some docs examples use JSON-only syntax (comments, trailing commas) or values TOML cannot hold. */
  readonly jsonOnly?: boolean;
}

const env = { TARGET: undefined } as Record<string, string | undefined>;

function load(text: string, format: 'json' | 'yaml' | 'toml', extraEnv: Record<string, string> = {}): MirrordConfig {
  return parseConfigText(text, format, `example.${format}`, { env: { ...env, ...extraEnv } }).config;
}

const examples: DocExample[] = [
  {
    name: 'basic config',
    json: `{ "target": "pod/bear-pod", "feature": { "env": true, "fs": "read", "network": true } }`,
    check: (c) => {
      assert.deepEqual(c.target.path, { kind: 'pod', name: 'bear-pod', container: null });
      assert.equal(c.feature.env.enabled, true);
      assert.equal(c.feature.fs.mode, 'read');
      assert.equal(c.feature.network.incoming.mode, 'mirror');
      assert.equal(c.feature.network.outgoing.tcp, true);
    },
  },
  {
    name: 'complete config (trailing comma as in the docs)',
    jsonOnly: true,
    json: `{
      "accept_invalid_certificates": false,
      "skip_processes": "ide-debugger",
      "target": { "path": "pod/bear-pod", "namespace": "default" },
      "connect_tcp": null,
      "agent": {
        "log_level": "info", "json_log": false, "labels": { "user": "meow" },
        "annotations": { "cats.io/inject": "enabled" }, "namespace": "default",
        "image": "ghcr.io/metalbear-co/mirrord:latest", "image_pull_policy": "IfNotPresent",
        "image_pull_secrets": [ { "secret-key": "secret" } ], "ttl": 30, "ephemeral": false,
        "communication_timeout": 30, "startup_timeout": 360, "flush_connections": true,
        "metrics": "0.0.0.0:9000",
      },
      "feature": {
        "env": { "include": "DATABASE_USER;PUBLIC_ENV", "exclude": "DATABASE_PASSWORD;SECRET_ENV",
                 "override": { "DATABASE_CONNECTION": "db://localhost:7777/my-db", "LOCAL_BEAR": "panda" },
                 "mapping": { ".+_TIMEOUT": "1000" } },
        "fs": { "mode": "write", "read_write": ".+\\\\.json", "read_only": [ ".+\\\\.yaml", ".+important-file\\\\.txt" ], "local": [ ".+\\\\.js", ".+\\\\.mjs" ] },
        "network": {
          "incoming": { "mode": "steal", "http_filter": { "header_filter": "host: api\\\\..+" }, "port_mapping": [[ 7777, 8888 ]], "ignore_localhost": false, "ignore_ports": [9999, 10000] },
          "outgoing": { "tcp": true, "udp": true, "filter": { "local": ["tcp://1.1.1.0/24:1337", "1.1.5.0/24", "google.com", ":53"] }, "ignore_localhost": false, "unix_streams": "bear.+" },
          "dns": { "enabled": true, "filter": { "local": ["1.1.1.0/24:1337", "1.1.5.0/24", "google.com"] } }
        },
        "copy_target": { "scale_down": false }
      },
      "operator": true, "kubeconfig": "~/.kube/config", "sip_binaries": "bash", "telemetry": true, "kube_context": "my-cluster"
    }`,
    check: (c) => {
      assert.deepEqual(c.skip_processes, ['ide-debugger']);
      assert.equal(c.target.namespace, 'default');
      assert.equal(c.agent.startup_timeout, 360);
      assert.equal(c.agent.ttl, 30);
      assert.deepEqual(c.feature.env.include, ['DATABASE_USER', 'PUBLIC_ENV']);
      assert.deepEqual(c.feature.fs.read_write, ['.+\\.json']);
      assert.equal(c.feature.network.incoming.http_filter.header_filter, 'host: api\\..+');
      assert.equal(c.feature.network.outgoing.filter?.entries.length, 4);
      assert.equal(c.feature.copy_target.enabled, true);
      assert.equal(c.feature.copy_target.scale_down, false);
      assert.equal(c.kube_context, 'my-cluster');
    },
  },
  {
    name: 'target shortened',
    json: `{ "target": "pod/bear-pod" }`,
    check: (c) => assert.deepEqual(c.target, { path: { kind: 'pod', name: 'bear-pod', container: null }, namespace: null }),
  },
  {
    name: 'target with container',
    json: `{ "target": "pod/bear-pod/container/bear-pod-container" }`,
    check: (c) => assert.deepEqual(c.target.path, { kind: 'pod', name: 'bear-pod', container: 'bear-pod-container' }),
  },
  {
    name: 'target complete object form',
    json: `{ "target": { "path": { "pod": "bear-pod", "container": "bear-pod-container" }, "namespace": "bear-pod-namespace" } }`,
    check: (c) => assert.deepEqual(c.target, { path: { kind: 'pod', name: 'bear-pod', container: 'bear-pod-container' }, namespace: 'bear-pod-namespace' }),
  },
  {
    name: 'targetless with namespace',
    json: `{ "target": { "path": "targetless", "namespace": "bear-namespace" } }`,
    check: (c) => assert.deepEqual(c.target, { path: { kind: 'targetless' }, namespace: 'bear-namespace' }),
  },
  {
    name: 'deployment target with deploy alias',
    json: `{ "target": "deploy/api/container/app" }`,
    check: (c) => assert.deepEqual(c.target.path, { kind: 'deployment', name: 'api', container: 'app' }),
  },
  {
    name: 'rollout target',
    json: `{ "target": "rollout/checkout" }`,
    check: (c) => assert.equal(c.target.path?.kind, 'rollout'),
  },
  {
    name: 'statefulset object form (serde name stateful_set)',
    json: `{ "target": { "stateful_set": "db", "container": "pg" } }`,
    check: (c) => assert.deepEqual(c.target.path, { kind: 'statefulset', name: 'db', container: 'pg' }),
  },
  {
    name: 'cronjob target with copy_target',
    json: `{ "target": "cronjob/nightly", "feature": { "copy_target": true } }`,
    check: (c) => {
      assert.equal(c.target.path?.kind, 'cronjob');
      assert.equal(c.feature.copy_target.enabled, true);
    },
  },
  {
    name: 'agent defaults example',
    json: `{ "agent": { "log_level": "info", "json_log": false, "namespace": "default", "image": "ghcr.io/metalbear-co/mirrord:latest", "image_pull_policy": "IfNotPresent", "image_pull_secrets": [ { "secret-key": "secret" } ], "ttl": 30, "ephemeral": false, "communication_timeout": 30, "startup_timeout": 360, "flush_connections": false, "exclude_from_mesh": false, "inject_headers": false, "max_body_buffer_size": 65535, "max_body_buffer_timeout": 1000 } }`,
    check: (c) => {
      assert.equal(c.agent.namespace, 'default');
      assert.equal(c.agent.flush_connections, false);
      assert.equal(c.agent.communication_timeout, 30);
      assert.deepEqual(c.agent.image_pull_secrets, [{ 'secret-key': 'secret' }]);
    },
  },
  {
    name: 'agent annotations',
    json: `{ "agent": { "annotations": { "cats.io/inject": "enabled", "prometheus.io/scrape": "true", "prometheus.io/port": "9000" } } }`,
    check: (c) => assert.equal(c.agent.annotations?.['prometheus.io/port'], '9000'),
  },
  {
    name: 'agent image string',
    json: `{ "agent": { "image": "internal.repo/images/mirrord:latest" } }`,
    check: (c) => assert.equal(c.agent.image, 'internal.repo/images/mirrord:latest'),
  },
  {
    name: 'agent image registry and tag',
    json: `{ "agent": { "image": { "registry": "internal.repo/images/mirrord", "tag": "latest" } } }`,
    check: (c) => assert.equal(c.agent.image, 'internal.repo/images/mirrord:latest'),
  },
  {
    name: 'agent image pull secrets',
    json: `{ "agent": { "image_pull_secrets": [ { "name": "secret-key-1" }, { "name": "secret-key-2" } ] } }`,
    check: (c) => assert.deepEqual(c.agent.image_pull_secrets, [{ name: 'secret-key-1' }, { name: 'secret-key-2' }]),
  },
  {
    name: 'agent json_log',
    json: `{ "agent": { "json_log": true } }`,
    check: (c) => assert.equal(c.agent.json_log, true),
  },
  {
    name: 'agent labels',
    json: `{ "agent": { "labels": { "user": "meow", "state": "asleep" } } }`,
    check: (c) => assert.deepEqual(c.agent.labels, { user: 'meow', state: 'asleep' }),
  },
  {
    name: 'agent log_level filter string',
    json: `{ "agent": { "log_level": "mirrord=debug,warn" } }`,
    check: (c) => assert.equal(c.agent.log_level, 'mirrord=debug,warn'),
  },
  {
    name: 'agent node_selector',
    json: `{ "agent": { "node_selector": { "kubernetes.io/hostname": "node1" } } }`,
    check: (c) => assert.deepEqual(c.agent.node_selector, { 'kubernetes.io/hostname': 'node1' }),
  },
  {
    name: 'agent priority_class',
    json: `{ "agent": { "priority_class": "my-priority-class-name" } }`,
    check: (c) => assert.equal(c.agent.priority_class, 'my-priority-class-name'),
  },
  {
    name: 'agent service_account',
    json: `{ "agent": { "service_account": "my-service-account" } }`,
    check: (c) => assert.equal(c.agent.service_account, 'my-service-account'),
  },
  {
    name: 'agent tolerations',
    json: `{ "agent": { "tolerations": [ { "key": "meow", "operator": "Exists", "effect": "NoSchedule" } ] } }`,
    check: (c) => assert.deepEqual(c.agent.tolerations, [{ key: 'meow', operator: 'Exists', effect: 'NoSchedule' }]),
  },
  {
    name: 'feature block from the feature section',
    json: `{ "feature": { "env": { "include": "DATABASE_USER;PUBLIC_ENV", "exclude": "DATABASE_PASSWORD;SECRET_ENV", "override": { "DATABASE_CONNECTION": "db://localhost:7777/my-db", "LOCAL_BEAR": "panda" } }, "fs": { "mode": "write", "read_write": ".+\\\\.json", "read_only": [ ".+\\\\.yaml", ".+important-file\\\\.txt" ], "local": [ ".+\\\\.js", ".+\\\\.mjs" ] }, "network": { "incoming": { "mode": "steal", "http_filter": { "header_filter": "host: api\\\\..+" }, "port_mapping": [[ 7777, 8888 ]], "ignore_localhost": false, "ignore_ports": [9999, 10000] }, "outgoing": { "tcp": true, "udp": true, "filter": { "local": ["tcp://1.1.1.0/24:1337", "1.1.5.0/24", "google.com", ":53"] }, "ignore_localhost": false, "unix_streams": "bear.+" }, "dns": false }, "copy_target": false, "hostname": true } }`,
    check: (c) => {
      assert.equal(c.feature.network.dns.enabled, false);
      assert.equal(c.feature.copy_target.enabled, false);
      assert.deepEqual(c.feature.network.incoming.port_mapping, [[7777, 8888]]);
      assert.deepEqual(c.feature.network.outgoing.unix_streams, ['bear.+']);
    },
  },
  {
    name: 'env include with wildcard and mapping',
    json: `{ "feature": { "env": { "include": "DATABASE_USER;PUBLIC_ENV;MY_APP_*", "exclude": "DATABASE_PASSWORD;SECRET_ENV", "override": { "DATABASE_CONNECTION": "db://localhost:7777/my-db", "LOCAL_BEAR": "panda" }, "mapping": { ".+_TIMEOUT": "1000" } } } }`,
    check: (c) => {
      assert.deepEqual(c.feature.env.include, ['DATABASE_USER', 'PUBLIC_ENV', 'MY_APP_*']);
      assert.deepEqual(c.feature.env.mapping, { '.+_TIMEOUT': '1000' });
      assert.equal(c.feature.env.override.LOCAL_BEAR, 'panda');
    },
  },
  {
    name: 'env disabled',
    json: `{ "feature": { "env": false } }`,
    check: (c) => assert.equal(c.feature.env.enabled, false),
  },
  {
    name: 'env include as a list and unset',
    json: `{ "feature": { "env": { "include": ["A", "B_*"], "unset": ["AWS_PROFILE"] } } }`,
    check: (c) => {
      assert.deepEqual(c.feature.env.include, ['A', 'B_*']);
      assert.deepEqual(c.feature.env.unset, ['AWS_PROFILE']);
    },
  },
  {
    name: 'fs with not_found',
    json: `{ "feature": { "fs": { "mode": "write", "read_write": ".+\\\\.json", "read_only": [ ".+\\\\.yaml", ".+important-file\\\\.txt" ], "local": [ ".+\\\\.js", ".+\\\\.mjs" ], "not_found": [ "\\\\.config/gcloud" ] } } }`,
    check: (c) => {
      assert.equal(c.feature.fs.mode, 'write');
      assert.deepEqual(c.feature.fs.not_found, ['\\.config/gcloud']);
    },
  },
  {
    name: 'fs mapping with named captures',
    json: `{ "feature": { "fs": { "mapping": { "^/home/(?<user>\\\\S+)/dev/tomcat": "/etc/tomcat", "^/home/(?<user>\\\\S+)/dev/config/(?<app>\\\\S+)": "/mnt/configs/\${user}-$app" } } } }`,
    check: (c) => assert.equal(Object.keys(c.feature.fs.mapping).length, 2),
  },
  {
    name: 'fs local shorthand',
    json: `{ "feature": { "fs": "local" } }`,
    check: (c) => assert.equal(c.feature.fs.mode, 'local'),
  },
  {
    name: 'fs localwithoverrides shorthand',
    json: `{ "feature": { "fs": "localwithoverrides" } }`,
    check: (c) => assert.equal(c.feature.fs.mode, 'localwithoverrides'),
  },
  {
    name: 'fs readonly_file_buffer',
    json: `{ "feature": { "fs": { "readonly_file_buffer": 0 } } }`,
    check: (c) => {
      assert.equal(c.feature.fs.readonly_file_buffer, 0);
      assert.equal(c.feature.fs.mode, 'read');
    },
  },
  {
    name: 'magic aws',
    json: `{ "feature": { "magic": { "aws": true } } }`,
    check: (c) => assert.equal(c.feature.magic.aws, true),
  },
  {
    name: 'network section example',
    json: `{ "feature": { "network": { "incoming": { "mode": "steal", "http_filter": { "header_filter": "host: api\\\\..+" }, "port_mapping": [[ 7777, 8888 ]], "ignore_localhost": false, "ignore_ports": [9999, 10000] }, "outgoing": { "tcp": true, "udp": true, "filter": { "local": ["tcp://1.1.1.0/24:1337", "1.1.5.0/24", "google.com", ":53"] }, "ignore_localhost": false, "unix_streams": "bear.+" }, "dns": { "enabled": true, "filter": { "local": ["1.1.1.0/24:1337", "1.1.5.0/24", "google.com"] } } } } }`,
    check: (c) => {
      assert.equal(c.feature.network.dns.filter?.mode, 'local');
      assert.deepEqual(c.feature.network.dns.filter?.written, ['1.1.1.0/24:1337', '1.1.5.0/24', 'google.com']);
      assert.deepEqual(c.feature.network.outgoing.filter?.entries[3], { protocol: null, host: null, port: 53 });
    },
  },
  {
    name: 'incoming steal shorthand',
    json: `{ "feature": { "network": { "incoming": "steal" } } }`,
    check: (c) => assert.equal(c.feature.network.incoming.mode, 'steal'),
  },
  {
    name: 'incoming disabled with false',
    json: `{ "feature": { "network": { "incoming": false } } }`,
    check: (c) => assert.equal(c.feature.network.incoming.mode, 'off'),
  },
  {
    name: 'incoming steal with listen_ports',
    json: `{ "feature": { "network": { "incoming": { "mode": "steal", "http_filter": { "header_filter": "host: api\\\\..+" }, "port_mapping": [[ 7777, 8888 ]], "ignore_localhost": false, "ignore_ports": [9999, 10000], "listen_ports": [[80, 8111]] } } } }`,
    check: (c) => assert.deepEqual(c.feature.network.incoming.listen_ports, [[80, 8111]]),
  },
  {
    name: 'http path_filter',
    json: `{ "feature": { "network": { "incoming": { "mode": "steal", "http_filter": { "path_filter": "^/api/" } } } } }`,
    check: (c) => assert.equal(c.feature.network.incoming.http_filter.path_filter, '^/api/'),
  },
  {
    name: 'http header filter excluding kube probes (negative look-ahead)',
    json: `{ "feature": { "network": { "incoming": { "mode": "steal", "http_filter": { "header_filter": "^User-Agent: (?!kube-probe)" } } } } }`,
    check: (c) => assert.equal(c.feature.network.incoming.http_filter.header_filter, '^User-Agent: (?!kube-probe)'),
  },
  {
    name: 'http path filter excluding /health/',
    json: `{ "feature": { "network": { "incoming": { "mode": "steal", "http_filter": { "path_filter": "^(?!/health/)" } } } } }`,
    check: (c) => assert.equal(c.feature.network.incoming.http_filter.path_filter, '^(?!/health/)'),
  },
  {
    name: 'http all_of',
    json: `{ "feature": { "network": { "incoming": { "mode": "steal", "http_filter": { "all_of": [ { "header": "^x-debug-session: 121212$" }, { "path": "^/api/my-endpoint$" } ] } } } } }`,
    check: (c) => assert.deepEqual(c.feature.network.incoming.http_filter.all_of?.map((f) => f.header ?? f.path), ['^x-debug-session: 121212$', '^/api/my-endpoint$']),
  },
  {
    name: 'http any_of with method',
    json: `{ "feature": { "network": { "incoming": { "mode": "steal", "http_filter": { "any_of": [ { "path": "^/api/my-endpoint$" }, { "header": "^x-debug-session: 121212$" }, { "method": "post" } ] } } } } }`,
    check: (c) => assert.equal(c.feature.network.incoming.http_filter.any_of?.[2]?.method, 'post'),
  },
  {
    name: 'http filter ports',
    json: `{ "feature": { "network": { "incoming": { "mode": "steal", "http_filter": { "header_filter": "x-filter: yes", "ports": [80, 8080] } } } } }`,
    check: (c) => assert.deepEqual(c.feature.network.incoming.http_filter.ports, [80, 8080]),
  },
  {
    name: 'outgoing remote filter (udp subnet)',
    json: `{ "feature": { "network": { "outgoing": { "filter": { "remote": ["udp://1.1.1.0/24:1337"] } } } } }`,
    check: (c) => assert.deepEqual(c.feature.network.outgoing.filter?.entries, [{ protocol: 'udp', host: { kind: 'subnet', address: '1.1.1.0', prefix: 24 }, port: 1337 }]),
  },
  {
    name: 'outgoing remote filter by name and ports',
    json: `{ "feature": { "network": { "outgoing": { "filter": { "remote": ["google.com:1337", "google.com:7331"] } } } } }`,
    check: (c) => assert.equal(c.feature.network.outgoing.filter?.mode, 'remote'),
  },
  {
    name: 'outgoing local filter on localhost',
    json: `{ "feature": { "network": { "outgoing": { "filter": { "local": ["tcp://localhost:1337"] } } } } }`,
    check: (c) => assert.deepEqual(c.feature.network.outgoing.filter?.entries[0], { protocol: 'tcp', host: { kind: 'name', name: 'localhost' }, port: 1337 }),
  },
  {
    name: 'outgoing local filter on ports only',
    json: `{ "feature": { "network": { "outgoing": { "filter": { "local": [":1337", ":7331"] } } } } }`,
    check: (c) => assert.equal(c.feature.network.outgoing.filter?.entries.length, 2),
  },
  {
    name: 'outgoing "remote" shorthand',
    json: `{ "feature": { "network": { "outgoing": "remote" } } }`,
    check: (c) => assert.equal(c.feature.network.outgoing.tcp && c.feature.network.outgoing.udp, true),
  },
  {
    name: 'dns remote filter by name',
    json: `{ "feature": { "network": { "dns": { "filter": { "remote": ["my-service-in-cluster"] } } } } }`,
    check: (c) => assert.equal(c.feature.network.dns.filter?.mode, 'remote'),
  },
  {
    name: 'copy_target scale_down',
    json: `{ "target": "deployment/orders-reader", "feature": { "copy_target": { "scale_down": true } } }`,
    check: (c) => assert.deepEqual([c.feature.copy_target.enabled, c.feature.copy_target.scale_down], [true, true]),
  },
  {
    name: 'internal_proxy timeouts',
    json: `{ "internal_proxy": { "start_idle_timeout": 30, "idle_timeout": 5 } }`,
    check: (c) => assert.deepEqual([c.internal_proxy.start_idle_timeout, c.internal_proxy.idle_timeout], [30, 5]),
  },
  {
    name: 'skip_processes as a list',
    json: `{ "skip_processes": ["bash", "node"] }`,
    check: (c) => assert.deepEqual(c.skip_processes, ['bash', 'node']),
  },
  {
    name: 'skip_extra_build_tools',
    json: `{ "skip_extra_build_tools": ["bash", "node"] }`,
    check: (c) => assert.deepEqual(c.skip_extra_build_tools, ['bash', 'node']),
  },
  {
    name: 'kube_context and kubeconfig',
    json: `{ "kube_context": "mycluster", "kubeconfig": "~/bear/kube-config" }`,
    check: (c) => assert.deepEqual([c.kube_context, c.kubeconfig], ['mycluster', '~/bear/kube-config']),
  },
  {
    name: 'startup_retry (trailing comma as in the docs)',
    jsonOnly: true,
    json: `{ "startup_retry": { "min_ms": 500, "max_ms": 5000, "max_retries": 2, } }`,
    check: (c) => assert.deepEqual(c.startup_retry, { min_ms: 500, max_ms: 5000, max_retries: 2 }),
  },
  {
    name: 'key used in a header filter template',
    jsonOnly: true,
    json: `{ "key": "my-session-key", "feature": { "network": { "incoming": { "http_filter": { "header_filter": "x-session: key-{{ key }}" } } } } }`,
    check: (c) => assert.equal(c.feature.network.incoming.http_filter.header_filter, 'x-session: key-my-session-key'),
  },
];

describe('mirrord documentation examples', () => {
  it('has at least 40 examples', () => assert.ok(examples.length >= 40, `only ${examples.length}`));

  for (const example of examples) {
    describe(example.name, () => {
      const data = () => parseConfigText(example.json, 'json', 'doc.json', { env: {}, key: 'my-session-key' });

      it('loads as JSON and means what the docs say', () => {
        const config = data().config;
        example.check(config);
      });

      if (!example.jsonOnly) {
        it('loads to the same object as YAML and as TOML', () => {
          const raw = JSON.parse(example.json) as Record<string, unknown>;
          const fromJson = load(example.json, 'json');
          assert.deepEqual(load(toYaml(raw), 'yaml'), fromJson);
          assert.deepEqual(load(toToml(raw), 'toml'), fromJson);
        });
      }
    });
  }

  it('renders get_env templates as in the docs example', () => {
    const text = `{ "target": "{{ get_env(name="TARGET", default="pod/fallback") }}", "feature": { "env": true, "fs": "read", "network": true } }`;
    assert.deepEqual(load(text, 'json').target.path, { kind: 'pod', name: 'fallback', container: null });
    assert.deepEqual(load(text, 'json', { TARGET: 'deployment/api' }).target.path, { kind: 'deployment', name: 'api', container: null });
  });

  it('reads hand-written YAML with comments and anchors', () => {
    const yaml = `# comment\ntarget:\n  path: deployment/api\n  namespace: staging\nfeature:\n  network:\n    incoming: &steal\n      mode: steal\n      http_filter:\n        header_filter: "x-debug: yes"\n`;
    const config = load(yaml, 'yaml');
    assert.equal(config.target.namespace, 'staging');
    assert.equal(config.feature.network.incoming.http_filter.header_filter, 'x-debug: yes');
  });

  it('reads hand-written TOML with tables', () => {
    const toml = `target = "deployment/api/container/app"\n\n[feature.network.incoming]\nmode = "steal"\nport_mapping = [[9333, 80]]\n\n[agent]\nnamespace = "mirrord"\n`;
    const config = load(toml, 'toml');
    assert.deepEqual(config.feature.network.incoming.port_mapping, [[9333, 80]]);
    assert.equal(config.agent.namespace, 'mirrord');
  });
});
