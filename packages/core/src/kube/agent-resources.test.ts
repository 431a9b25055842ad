/** agent.resources: parsed with the bad amount named, merged over the defaults into the agent's Job. */
import assert from 'node:assert/strict';
import { ConfigError } from '../errors.js';
import { parseConfigText } from '../config/load.js';
import { agentResources } from './agent-spawn.js';

const load = (agent: unknown) => parseConfigText(JSON.stringify({ agent }), 'json', 'test.json', { env: {} }).config;

describe('agent.resources', () => {
  it('keeps the defaults when unset', () => {
    assert.deepEqual(agentResources(load({}).agent.resources), { requests: { cpu: '1m', memory: '16Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
  });

  it('replaces each amount it gives; a number is a quantity too', () => {
    const config = load({ resources: { requests: { cpu: '100m' }, limits: { memory: '1Gi', cpu: 2 } } });
    assert.deepEqual(agentResources(config.agent.resources), { requests: { cpu: '100m', memory: '16Mi' }, limits: { cpu: '2', memory: '1Gi' } });
  });

  it('raises a default limit that a given request exceeds (Kubernetes refuses a request above its limit)', () => {
    const config = load({ resources: { requests: { cpu: 1.5, memory: '512Mi' } } });
    assert.deepEqual(agentResources(config.agent.resources), { requests: { cpu: '1.5', memory: '512Mi' }, limits: { cpu: '1.5', memory: '512Mi' } });
  });

  it('names the key of an amount that is no quantity', () => {
    assert.throws(() => load({ resources: { limits: { memory: '1 GB' } } }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /agent\.resources\.limits\.memory/);
      assert.match(error.message, /Kubernetes quantity/);
      return true;
    });
  });
});
