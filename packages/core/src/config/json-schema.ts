/** The JSON Schema of the config file, generated from the same definition the loader uses. */
import { configType } from './definition.js';
import type { JsonSchema } from './dsl.js';

export const SCHEMA_FILE = 'schema/mirrord.schema.json';

export function configJsonSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'mirrord config',
    ...configType.schema(),
  };
}

/** The file's exact text, so a test can compare byte for byte. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
