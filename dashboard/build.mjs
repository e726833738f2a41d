/**
 * Builds the dashboard into dist/: one JavaScript bundle and one stylesheet with content hashes in their names
 * (served as immutable), and index.html naming them (served with no-cache). Everything ships from the hub: no CDN.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'assets'), { recursive: true });

const result = await build({
  entryPoints: { app: join(root, 'src', 'main.tsx') },
  bundle: true,
  format: 'esm',
  target: 'es2020',
  platform: 'browser',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: true,
  outdir: join(dist, 'assets'),
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
const js = outputs.find((f) => /^app-.*\.js$/.test(f));
const css = outputs.find((f) => /^app-.*\.css$/.test(f));
if (!js || !css) throw new Error(`dashboard build: expected app-*.js and app-*.css, got ${outputs.join(', ')}`);

const html = readFileSync(join(root, 'src', 'index.html'), 'utf8').replace('%APP_JS%', `/assets/${js}`).replace('%APP_CSS%', `/assets/${css}`);
writeFileSync(join(dist, 'index.html'), html);
console.log(`dashboard: dist/index.html, assets/${js}, assets/${css}`);
