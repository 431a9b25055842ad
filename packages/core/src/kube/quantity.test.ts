import assert from 'node:assert/strict';
import { quantityValue } from './quantity.js';

describe('quantityValue', () => {
  it('reads decimal, binary and exponent forms', () => {
    assert.equal(quantityValue('250m'), 0.25);
    assert.equal(quantityValue('1'), 1);
    assert.equal(quantityValue('1.5'), 1.5);
    assert.equal(quantityValue('128Mi'), 128 * 2 ** 20);
    assert.equal(quantityValue('1G'), 1e9);
    assert.equal(quantityValue('2e3'), 2000);
    assert.equal(quantityValue('.5'), 0.5);
  });
  it('refuses what Kubernetes refuses', () => {
    for (const bad of ['', 'm', '1mi', '-1', '1 Mi', '1MB', 'abc']) assert.equal(quantityValue(bad), undefined, bad);
  });
});
