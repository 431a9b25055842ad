// Regenerates schema/mirrord.schema.json from the config definition (`pnpm --filter @mirrord-ts/core schema`).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SCHEMA_FILE, configJsonSchemaText } from '../src/config/json-schema.js';

const target = fileURLToPath(new URL(`../${SCHEMA_FILE}`, import.meta.url));
writeFileSync(target, configJsonSchemaText());
console.log(`wrote ${target}`);
