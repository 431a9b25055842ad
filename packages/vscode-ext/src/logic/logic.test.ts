import assert from 'node:assert/strict';
import { chooseConfigFile, configNamesTarget, decideMirroring, mergeSession, type LaunchConfig } from './launch.js';
import { SWITCH_NAMESPACE_LABEL, TARGETLESS_LABEL, namespacePickItems, targetPickItems } from './targets.js';
import { OPEN_CONFIG, SHOW_LOGS, errorNotification, keyOffset, statusLook } from './ui.js';

const base = (extra: Partial<LaunchConfig> = {}): LaunchConfig => ({ type: 'node', name: 'app', request: 'launch', ...extra });

describe('vscode-ext logic: which configurations are mirrored', () => {
  it('"mirrord": true mirrors whatever the toggle', () => {
    assert.equal(decideMirroring(base({ mirrord: true }), false).mirror, true);
  });
  it('"mirrord": false opts out even with the toggle on', () => {
    const d = decideMirroring(base({ mirrord: false }), true);
    assert.equal(d.mirror, false);
    assert.match(d.why, /false/);
  });
  it('no attribute follows the workspace toggle', () => {
    assert.equal(decideMirroring(base(), true).mirror, true);
    assert.equal(decideMirroring(base(), false).mirror, false);
  });
  it('the object form carries target and configFile', () => {
    const d = decideMirroring(base({ mirrord: { target: 'deployment/api/container/app', configFile: 'x/m.json' } }), false);
    assert.deepEqual({ mirror: d.mirror, target: d.target, configFile: d.configFile }, { mirror: true, target: 'deployment/api/container/app', configFile: 'x/m.json' });
  });
  it('a configuration mirrord already resolved, or a child session of one, is left alone', () => {
    assert.equal(decideMirroring(base({ mirrord: true, __mirrordSessionId: 'abc' }), true).mirror, false);
    assert.equal(decideMirroring(base({ mirrord: true, __pendingTargetId: 'x' }), true).mirror, false);
    assert.equal(decideMirroring(base({ mirrord: true, env: { __MIRRORD_EXT_INJECTED: 'true' } }), true).mirror, false);
  });
  it('a wrong attribute value is not mirrored and says why', () => {
    const d = decideMirroring(base({ mirrord: 'yes' }), true);
    assert.equal(d.mirror, false);
    assert.match(d.why, /"yes"/);
  });
});

describe('vscode-ext logic: config file and target', () => {
  it('config file order: attribute, selected, MIRRORD_CONFIG_FILE in env, else discovery', () => {
    const withEnv = base({ env: { MIRRORD_CONFIG_FILE: '/w/env.json' } });
    assert.equal(chooseConfigFile({ mirror: true, why: '', configFile: 'a.json' }, '/w/sel.json', withEnv), 'a.json');
    assert.equal(chooseConfigFile({ mirror: true, why: '' }, '/w/sel.json', withEnv), '/w/sel.json');
    assert.equal(chooseConfigFile({ mirror: true, why: '' }, undefined, withEnv), '/w/env.json');
    assert.equal(chooseConfigFile({ mirror: true, why: '' }, undefined, base()), undefined);
  });
  it('knows when the config file already names a target', () => {
    assert.equal(configNamesTarget('{ "target": "deployment/api" }', 'm.json'), true);
    assert.equal(configNamesTarget('// c\n{ "target": { "path": "pod/x", "namespace": "n" }, }', 'm.json'), true);
    assert.equal(configNamesTarget('{ "target": { "namespace": "n" } }', 'm.json'), false);
    assert.equal(configNamesTarget('{ "feature": {} }', 'm.json'), false);
    assert.equal(configNamesTarget('target: deployment/api\n', 'm.yaml'), true);
    assert.equal(configNamesTarget('feature:\n  env: true\n', 'm.yaml'), false);
    assert.equal(configNamesTarget('target = "pod/x"\n', 'm.toml'), true);
    assert.equal(configNamesTarget(undefined, null), false);
  });
});

describe('vscode-ext logic: merging the session into the configuration', () => {
  const result = { sessionId: 's1', env: { LD_PRELOAD: '/x/libmirrord_layer.so', MIRRORD_LAYER_SOCKET: '/tmp/s', DB_HOST: 'db.cluster', PORT: '80' } };
  it('env merge: the configuration\'s own values, then the session\'s (they win, as in mirrord\'s plugins), LD_PRELOAD joined', () => {
    const merged = mergeSession(base({ env: { PORT: '3000', LOCAL_ONLY: 'yes', LD_PRELOAD: '/usr/lib/other.so' } }), result);
    assert.equal(merged.__mirrordSessionId, 's1');
    assert.equal(merged.env?.PORT, '80');
    assert.equal(merged.env?.LOCAL_ONLY, 'yes');
    assert.equal(merged.env?.DB_HOST, 'db.cluster');
    assert.equal(merged.env?.LD_PRELOAD, '/x/libmirrord_layer.so:/usr/lib/other.so');
    assert.equal(merged.env?.MIRRORD_LAYER_SOCKET, '/tmp/s');
  });
  it('cppdbg takes an environment array', () => {
    const merged = mergeSession(base({ type: 'cppdbg', environment: [{ name: 'A', value: '1' }] }), result);
    assert.deepEqual(merged.environment?.find((e) => e.name === 'A'), { name: 'A', value: '1' });
    assert.equal(merged.environment?.find((e) => e.name === 'DB_HOST')?.value, 'db.cluster');
    assert.equal(merged.env, undefined);
  });
  it('Go: debugServer from the session', () => {
    const merged = mergeSession(base({ type: 'go' }), { sessionId: 's2', env: { DB_HOST: 'db' }, launch: { debugServer: 41234 } });
    assert.equal(merged.debugServer, 41234);
    assert.equal(merged.env?.DB_HOST, 'db');
  });
  it('Go: the debuggee\'s output comes to the Debug Console through the server\'s dlv (outputMode remote), unless set', () => {
    assert.equal(mergeSession(base({ type: 'go' }), { sessionId: 's2', env: {}, launch: { debugServer: 41234 } }).outputMode, 'remote');
    assert.equal(mergeSession(base({ type: 'go', outputMode: 'local' }), { sessionId: 's2', env: {}, launch: { debugServer: 41234 } }).outputMode, 'local');
    assert.equal(mergeSession(base({ type: 'node' }), result).outputMode, undefined);
  });
  it('Go: the package the Go extension set to build (__buildDir, program relative) is built there by the server\'s dlv (dlvCwd)', () => {
    const goExt = base({ type: 'go', program: '.', __buildDir: '/w/svc' });
    assert.equal(mergeSession(goExt, { sessionId: 's2', env: {}, launch: { debugServer: 41234 } }).dlvCwd, '/w/svc');
    assert.equal(mergeSession({ ...goExt, dlvCwd: '/w' }, { sessionId: 's2', env: {}, launch: { debugServer: 41234 } }).dlvCwd, '/w');
    assert.equal(mergeSession(base({ type: 'go' }), { sessionId: 's2', env: {}, launch: { debugServer: 41234 } }).dlvCwd, undefined);
  });
});

describe('vscode-ext logic: target quick-pick', () => {
  const listing = {
    currentNamespace: 'apps',
    namespaces: ['apps', 'default', 'kube-system'],
    targets: [
      { path: 'pod/echo-5d9c', kind: 'pod' as const, namespace: 'apps', available: true },
      { path: 'deployment/echo/container/app', kind: 'deployment' as const, namespace: 'apps', available: true },
      { path: 'deployment/echo/container/sidecar', kind: 'deployment' as const, namespace: 'apps', available: true },
      { path: 'deployment/down', kind: 'deployment' as const, namespace: 'apps', available: false },
    ],
  };
  it('last target first, then targetless and switch namespace, then groups by kind (deployments before pods)', () => {
    const items = targetPickItems(listing, 'deployment/echo/container/sidecar');
    assert.deepEqual(items[0]?.action, { kind: 'target', path: 'deployment/echo/container/sidecar', namespace: 'apps' });
    assert.ok(items[1]?.label.includes(TARGETLESS_LABEL));
    assert.ok(items[2]?.label.includes(SWITCH_NAMESPACE_LABEL));
    const separators = items.filter((i) => i.separator).map((i) => i.label);
    assert.deepEqual(separators, ['Deployments', 'Pods']);
    assert.equal(items.find((i) => i.description === 'deployment/echo/container/app')?.label, 'echo · app');
  });
  it('unavailable targets are shown disabled, never picked as a target', () => {
    const down = targetPickItems(listing, undefined).find((i) => i.description?.startsWith('deployment/down'));
    assert.equal(down?.action?.kind, 'unavailable');
    assert.match(down!.label, /circle-slash/);
  });
  it('a last target that is gone or unavailable is not offered first', () => {
    assert.ok(targetPickItems(listing, 'deployment/down')[0]?.label.includes(TARGETLESS_LABEL));
    assert.ok(targetPickItems(listing, 'deployment/gone')[0]?.label.includes(TARGETLESS_LABEL));
  });
  it('namespaces: current first', () => {
    assert.deepEqual(namespacePickItems({ ...listing, currentNamespace: 'default' }), ['default', 'apps', 'kube-system']);
  });
});

describe('vscode-ext logic: status bar and errors', () => {
  it('status: off, on, running with the target', () => {
    assert.match(statusLook(false, []).text, /mirrord: off/);
    assert.match(statusLook(true, []).text, /mirrord: on/);
    assert.match(statusLook(true, ['deployment/echo']).text, /mirrord: deployment\/echo/);
    assert.match(statusLook(false, ['a', 'b']).text, /2 sessions/);
  });
  it('config errors offer "Open config" and "Show logs"; others only "Show logs"', () => {
    assert.deepEqual(errorNotification('Bad key.', { kind: 'config', key: 'feature.x', help: 'Fix it.' }), { text: 'mirrord: Bad key. Fix it.', actions: [OPEN_CONFIG, SHOW_LOGS] });
    assert.deepEqual(errorNotification('No cluster.', { kind: 'cluster', help: 'Set KUBECONFIG.' }).actions, [SHOW_LOGS]);
  });
  it('"Open config" finds the bad key (or its nearest parent) in JSON and YAML', () => {
    const json = '{\n  "feature": {\n    "network": { "incoming": { "moode": "steal" } }\n  }\n}\n';
    assert.equal(json.slice(keyOffset(json, 'feature.network.incoming.moode', 'm.json')).slice(0, 7), '"moode"');
    assert.equal(json.slice(keyOffset(json, 'feature.network.outgoing.tcp', 'm.json')).slice(0, 9), '"network"');
    const yaml = 'feature:\n  network:\n    incoming:\n      moode: steal\n';
    assert.equal(yaml.slice(keyOffset(yaml, 'feature.network.incoming.moode', 'm.yaml')).slice(0, 5), 'moode');
    assert.equal(keyOffset(json, undefined, 'm.json'), 0);
  });
});
