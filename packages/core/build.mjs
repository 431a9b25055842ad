// Bundles the CLI (dist/mirrord.js) and the IDE server (dist/ide-server.js, which the IDE
// packages ship as a separate file) so each runs with plain `node` and no node_modules.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { replaceFile, writeFileReplacing } from '../layer/scripts/replace-file.mjs';

const bundles = [
  { entry: 'src/mirrord.ts', out: 'dist/mirrord.js' },
  { entry: 'src/ide/main.ts', out: 'dist/ide-server.js' },
];

// Every output is renamed into place (replace-file.mjs): sessions of this CLI may be running
// from these very files while it is rebuilt (test suites rebuild it before they start).
for (const { entry, out } of bundles) {
  const result = await build({
    entryPoints: [entry],
    outfile: out,
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
    write: false,
  });
  mkdirSync('dist', { recursive: true });
  for (const file of result.outputFiles) writeFileReplacing(file.path, file.contents, file.path.endsWith('/dist/mirrord.js') ? 0o755 : undefined);
}

// The layer finds its native files in ../build/ next to the code that loads it; in the
// bundles that code is in dist/, so the native files go to build/ beside dist/.
mkdirSync('build', { recursive: true });
for (const file of ['libmirrord_layer.so', 'mirrord-layer-exec', 'layer.node']) {
  replaceFile(`../layer/build/${file}`, `build/${file}`);
}
