// Bundles the CLI into one file (dist/mirrord.js) so it runs with plain `node` and no node_modules.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

await build({
  entryPoints: ['src/mirrord.ts'],
  outfile: 'dist/mirrord.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __mirrordCreateRequire } from 'node:module'; const require = __mirrordCreateRequire(import.meta.url);" },
  // jsonc-parser's "main" is a UMD build esbuild cannot follow; its ESM build is fine.
  mainFields: ['module', 'main'],
  logLevel: 'warning',
});
chmodSync('dist/mirrord.js', 0o755);

// The IDE server alone (`node dist/ide-server.js --stdio`), which the IDE packages ship as a separate file.
await build({
  entryPoints: ['src/ide/main.ts'],
  outfile: 'dist/ide-server.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  banner: { js: "import { createRequire as __mirrordCreateRequire } from 'node:module'; const require = __mirrordCreateRequire(import.meta.url);" },
  mainFields: ['module', 'main'],
  logLevel: 'warning',
});

// The layer finds its native files in ../build/ next to the code that loads it; in the
// bundle that code is dist/mirrord.js, so the native files go to build/ beside dist/.
import { copyFileSync, mkdirSync } from 'node:fs';
mkdirSync('build', { recursive: true });
for (const file of ['libmirrord_layer.so', 'mirrord-layer-exec', 'layer.node']) {
  copyFileSync(`../layer/build/${file}`, `build/${file}`);
}
