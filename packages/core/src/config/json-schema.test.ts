import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SCHEMA_FILE, configJsonSchema, configJsonSchemaText } from './json-schema.js';

describe('shipped JSON Schema', () => {
  it('matches the config definition (run `pnpm --filter @mirrord-ts/core schema` after changing it)', () => {
    const shipped = readFileSync(fileURLToPath(new URL(`../../${SCHEMA_FILE}`, import.meta.url)), 'utf8');
    assert.equal(shipped, configJsonSchemaText());
  });

  it('describes the keys with their defaults and forbids unknown ones', () => {
    const schema = configJsonSchema() as { properties: Record<string, { default?: unknown; description?: string }>; additionalProperties: boolean };
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(schema.properties.pause?.default, false);
    assert.match(schema.properties.target?.description ?? '', /deployment/);
  });
});
