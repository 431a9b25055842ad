/**
 * Generated malformed configs — wrong types, unknown keys, truncated files, deep nesting,
 * huge strings, garbage — in all three formats. The loader must answer each with a
 * ConfigError whose every problem names a key path or a file position, never anything else.
 */
import assert from 'node:assert/strict';
import { stringify as toToml } from 'smol-toml';
import { stringify as toYaml } from 'yaml';
import { ConfigError } from '../errors.js';
import { parseConfigText } from './load.js';
import type { ConfigFormat } from './source.js';

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALID_BASE = {
  target: { path: 'deployment/api/container/app', namespace: 'default' },
  feature: {
    env: { include: 'A;B', override: { X: '1' } },
    fs: { mode: 'read', read_only: ['^/etc/app'] },
    network: {
      incoming: { mode: 'steal', http_filter: { header_filter: 'x-debug: yes' }, port_mapping: [[8080, 80]] },
      outgoing: { tcp: true, udp: true, filter: { local: [':53'] } },
      dns: { enabled: true },
    },
    copy_target: { scale_down: false },
  },
  agent: { namespace: 'default', ttl: 1, communication_timeout: 30, labels: { a: 'b' } },
  skip_processes: ['bash'],
  internal_proxy: { idle_timeout: 5 },
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every key path of an object (not into arrays), for picking where to break it. */
function objectPaths(value: Json, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...objectPaths(v, [...prefix, k])]);
}

function setAt(root: Json, path: string[], value: Json): Json {
  const copy = structuredClone(root) as { [key: string]: Json };
  let node = copy;
  for (const segment of path.slice(0, -1)) node = node[segment] as { [key: string]: Json };
  node[path[path.length - 1]!] = value;
  return copy;
}

function serialize(value: Json, format: ConfigFormat): string {
  if (format === 'json') return JSON.stringify(value, null, 2);
  if (format === 'yaml') return toYaml(value);
  return toToml(value as Record<string, unknown>);
}

interface Case {
  readonly name: string;
  readonly format: ConfigFormat;
  readonly text: string;
}

function generate(count: number): Case[] {
  const rand = random(0x5eed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const formats: ConfigFormat[] = ['json', 'yaml', 'toml'];
  const paths = objectPaths(VALID_BASE);
  const wrongValues: Json[] = [42, -1, 3.5, 'nonsense', '', true, false, [], [1, 'x'], { nope: 1 }, 'x'.repeat(5000), [[1, 2, 3]], 70000];
  const cases: Case[] = [];
  const generators: (() => Case)[] = [
    () => {
      const path = pick(paths);
      const format = pick(formats);
      return { name: `wrong type at ${path.join('.')}`, format, text: serialize(setAt(VALID_BASE, path, pick(wrongValues)), format) };
    },
    () => {
      const parent = pick([[], ...paths.filter((p) => p.length < 3)]);
      const key = pick(['feture', 'netwrok', 'incomming', 'unknown', 'Target', 'mode_', 'x'.repeat(3000), 'ümlaut', '']);
      const format = pick(formats);
      const base = structuredClone(VALID_BASE) as { [key: string]: Json };
      let node: { [key: string]: Json } = base;
      for (const segment of parent) {
        const next = node[segment];
        if (next === null || typeof next !== 'object' || Array.isArray(next)) break;
        node = next;
      }
      node[key] = 1;
      return { name: `unknown key ${key.slice(0, 20)} under ${parent.join('.')}`, format, text: serialize(base, format) };
    },
    () => {
      const format = pick(formats);
      const full = serialize(VALID_BASE, format);
      const cut = 1 + Math.floor(rand() * (full.length - 2));
      return { name: `${format} truncated at ${cut}`, format, text: full.slice(0, cut) };
    },
    () => {
      const depth = pick([65, 100, 1000, 20000, 100000]);
      const format = pick(formats);
      const text =
        format === 'json'
          ? `{"feature": ${'['.repeat(depth)}${']'.repeat(depth)}}`
          : format === 'yaml'
            ? rand() < 0.5
              ? `feature: ${'['.repeat(depth)}${']'.repeat(depth)}`
              : Array.from({ length: Math.min(depth, 3000) }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1'
            : `feature = ${'['.repeat(depth)}${']'.repeat(depth)}`;
      return { name: `${format} nested ${depth} deep`, format, text };
    },
    () => {
      const format = pick(formats);
      const size = pick([100_000, 1_000_000, 3_000_000]);
      const where = pick([['target'], ['feature', 'fs'], ['agent', 'namespace'], ['feature', 'network', 'incoming', 'mode']]);
      return { name: `huge string (${size}) at ${where.join('.')}`, format, text: serialize(setAt(VALID_BASE, where, 'y'.repeat(size)), format) };
    },
    () => {
      const format = pick(formats);
      const bytes = Array.from({ length: 1 + Math.floor(rand() * 200) }, () => String.fromCharCode(Math.floor(rand() * 0x250))).join('');
      return { name: `garbage (${bytes.length} chars)`, format, text: bytes };
    },
    () => {
      const format: ConfigFormat = pick(['json', 'yaml']);
      const root = pick<Json>([42, 'pod/x', [1, 2], true, null]);
      return { name: `root is ${JSON.stringify(root)}`, format, text: format === 'json' ? JSON.stringify(root) : toYaml(root) };
    },
    () => {
      const format = pick(formats);
      const template = pick(['{{ nope }}', '{{ get_env() }}', '{{ get_env(name="MIRRORD_TS_UNSET_VAR") }}', '{% if x %}', '{{ key }}', '{{ get_env(name=1) }}']);
      return { name: `template ${template}`, format, text: serialize(setAt(VALID_BASE, ['target'], template), format) };
    },
    () => {
      const format = pick(formats);
      const bad = pick(['pod', 'pod/', 'pods/x', 'deployment/x/container', 'deployment/X_Y', 'deployment/x/sidecar/y', 'job/x', '/x', 'targetless/x']);
      return { name: `bad target ${bad}`, format, text: serialize(setAt(VALID_BASE, ['target'], bad), format) };
    },
    () => {
      const format = pick(formats);
      const regex = pick(['(', '[a-', '*x', '(?<n>a', 'a{2,1}']);
      const where = pick([['feature', 'fs', 'read_only'], ['feature', 'network', 'incoming', 'http_filter', 'header_filter']]);
      return { name: `bad regex ${regex}`, format, text: serialize(setAt(VALID_BASE, where, regex), format) };
    },
  ];
  for (let i = 0; i < count; i++) cases.push(generators[i % generators.length]!());
  return cases;
}

describe('malformed configs', function () {
  this.timeout(120_000);
  const cases = generate(1500);

  it('each is rejected with a typed error naming a key path or a file position', () => {
    let rejected = 0;
    for (const c of cases) {
      try {
        parseConfigText(c.text, c.format, `fuzz.${c.format}`, { env: {} });
      } catch (error) {
        if (!(error instanceof ConfigError)) {
          assert.fail(`${c.name}: threw ${error instanceof Error ? `${error.name}: ${error.message.slice(0, 200)}` : String(error)}`);
        }
        rejected++;
        for (const problem of error.problems) {
          assert.ok(problem.key !== '' || problem.position !== undefined, `${c.name}: "${problem.message.slice(0, 200)}" names neither a key nor a position`);
          assert.ok(problem.message.length < 2000, `${c.name}: message of ${problem.message.length} characters`);
          assert.ok(problem.help.length > 0, `${c.name}: no help`);
        }
      }
    }
    console.log(`      ${rejected} of ${cases.length} generated configs rejected, each naming a key path or a position`);
    // Truncation can leave a still-valid YAML or TOML document; nearly everything else must fail.
    assert.ok(rejected >= 1000, `only ${rejected} of ${cases.length} were rejected`);
  });
});
