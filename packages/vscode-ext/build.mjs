// Bundles what the .vsix ships, nothing downloaded at run time:
//   dist/extension.cjs   the extension (vscode-languageclient + ./src; `vscode` is the host's)
//   dist/ide-server.mjs  core's IDE server (`node ide-server.mjs --stdio`), a separate file
//   build/               the layer's native files, found by the server at ../build/ beside dist/
//   schema/              the config file's JSON Schema (jsonValidation)
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { replaceFile } from '../layer/scripts/replace-file.mjs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  sourcemap: true,
  mainFields: ['module', 'main'],
  logLevel: 'warning',
});
await build({
  entryPoints: ['../core/src/ide/main.ts'],
  outfile: 'dist/ide-server.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: false,
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __mirrordCreateRequire } from 'node:module'; const require = __mirrordCreateRequire(import.meta.url);" },
  mainFields: ['module', 'main'],
  logLevel: 'warning',
});
mkdirSync('build', { recursive: true });
// Renamed into place, never rewritten: a running server or debuggee has them mapped.
for (const file of ['libmirrord_layer.so', 'mirrord-layer-exec', 'layer.node']) {
  replaceFile(`../layer/build/${file}`, `build/${file}`);
}
mkdirSync('schema', { recursive: true });
copyFileSync('../core/schema/mirrord.schema.json', 'schema/mirrord.schema.json');
