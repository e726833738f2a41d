// The bins run each package's built JavaScript (dist/). In a checkout, a build older than its sources would run
// yesterday's code without a word: before a bin imports dist/, `ensureBuilt` compares every package's newest
// src/**/*.ts (and tsconfig.json) with its dist/.tsbuildinfo and, when one is newer or missing, rebuilds
// (`tsc -b tsconfig.build.json`, incremental) or, without TypeScript installed, refuses with what to run.
// Plain JavaScript on purpose: it must run before anything is built. Where there is no src/ (an installed package),
// there is nothing to compare and nothing is checked.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD_CONFIG = join(ROOT, 'tsconfig.build.json');
const LOCK = join(ROOT, '.build-lock');
/** a lock older than this was left by a build that died */
const LOCK_STALE_MS = 5 * 60_000;

/** the newest source file under dir (recursively: .ts, and for a bundle also .tsx, .css, .html), or undefined */
function newestSource(dir, pattern = /\.ts$/) {
  let newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const found = entry.isDirectory() ? newestSource(path, pattern) : pattern.test(entry.name) ? { path, mtimeMs: statSync(path).mtimeMs } : undefined;
    if (found && (!newest || found.mtimeMs > newest.mtimeMs)) newest = found;
  }
  return newest;
}

/** the workspace packages with sources (from the root package.json) */
function packages() {
  const { workspaces = [] } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return workspaces.filter((w) => existsSync(join(ROOT, w, 'src')));
}

/** a package its own build.mjs bundles (the dashboard, esbuild) instead of tsc -b: its stamp is dist/index.html */
const bundled = (pkg) => existsSync(join(ROOT, pkg, 'build.mjs'));

/**
 * Why the build is stale ("hub/src/cli.ts is newer than hub/dist", "node-agent/dist is missing"), or undefined when
 * the dist/ of every package named (default: all) is at least as new as its sources.
 */
export function staleBuild(only) {
  if (!existsSync(BUILD_CONFIG)) return undefined; // not a checkout: an installed package ships its dist/
  for (const pkg of packages().filter((p) => !only || only.includes(p))) {
    const info = join(ROOT, pkg, 'dist', bundled(pkg) ? 'index.html' : '.tsbuildinfo');
    if (!existsSync(info)) return `${pkg}/dist is missing`;
    const built = statSync(info).mtimeMs;
    const config = join(ROOT, pkg, 'tsconfig.json');
    const source = newestSource(join(ROOT, pkg, 'src'), bundled(pkg) ? /\.(ts|tsx|css|html)$/ : undefined);
    for (const f of [source, existsSync(config) ? { path: config, mtimeMs: statSync(config).mtimeMs } : undefined]) {
      if (f && f.mtimeMs > built) return `${relative(ROOT, f.path)} is newer than ${pkg}/dist`;
    }
  }
  return undefined;
}

function typescriptCompiler() {
  try {
    return createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** one build at a time: the demo's agents and parallel tests may all find the same stale build */
function withLock(fn) {
  const deadline = Date.now() + LOCK_STALE_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let age = 0;
      try {
        age = Date.now() - statSync(LOCK).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      if (age > LOCK_STALE_MS || Date.now() > deadline) rmSync(LOCK, { recursive: true, force: true });
      else sleep(200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Makes sure the built JavaScript is current before a bin runs it: rebuilds a stale build (saying so on stderr), or
 * exits with code 1 and the command to run when it cannot. `name` labels the messages; `only` names the packages
 * the process runs (folder names; default all), so an agent does not stat the hub's sources on every start.
 */
export function ensureBuilt(name, only) {
  const why = staleBuild(only);
  if (!why) return;
  const tsc = typescriptCompiler();
  if (!tsc || process.env.STEWARD_NO_REBUILD === '1') {
    process.stderr.write(`${name}: the build is stale (${why}) and ${tsc ? 'STEWARD_NO_REBUILD=1 forbids a rebuild' : 'TypeScript is not installed to rebuild it'}: run \`npm run build\` in ${ROOT}\n`);
    process.exit(1);
  }
  // the failure is reported after the lock is released: process.exit skips `finally`
  const failure = withLock(() => {
    const still = staleBuild(only); // another process may have rebuilt while this one waited
    if (!still) return undefined;
    process.stderr.write(`${name}: the build is stale (${still}): rebuilding (npm run build)...\n`);
    const r = spawnSync(process.execPath, [tsc, '-b', BUILD_CONFIG], { cwd: ROOT, stdio: ['ignore', 2, 2] });
    if (r.status !== 0) return `the build failed (tsc -b tsconfig.build.json exited with ${r.status ?? r.signal}): fix the errors above, then run \`npm run build\``;
    for (const pkg of packages().filter((p) => bundled(p) && (!only || only.includes(p)) && staleBuild([p]))) {
      const b = spawnSync(process.execPath, [join(ROOT, pkg, 'build.mjs')], { cwd: join(ROOT, pkg), stdio: ['ignore', 2, 2] });
      if (b.status !== 0) return `the build failed (${pkg}/build.mjs exited with ${b.status ?? b.signal}): fix the errors above, then run \`npm run build\``;
    }
    const left = staleBuild(only);
    return left ? `still stale after a build (${left}): run \`npm run build\` in ${ROOT}` : undefined;
  });
  if (failure) {
    process.stderr.write(`${name}: ${failure}\n`);
    process.exit(1);
  }
}
