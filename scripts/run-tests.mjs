#!/usr/bin/env node
// `npm test`: the type check, the folder rules (dependency-cruiser), then every vitest suite; ends with one plain line `tests: N passed, N failed, N skipped`
// (read from vitest's JSON report) so a CI log says at a glance what ran. Exits with vitest's code.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DEPCRUISE_PATHS = ['hub/src', 'device-adapters/src', 'node-agent/src', 'simulators/src', 'matter-driver/src', 'tests', 'scripts'];

// the tree, then the dashboard's browser code (its own tsconfig: DOM types, Preact's JSX)
let typecheck = spawnSync('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'], { stdio: 'inherit' });
if (typecheck.status === 0) typecheck = spawnSync('npx', ['tsc', '-p', 'dashboard/tsconfig.json', '--noEmit'], { stdio: 'inherit' });
if (typecheck.status !== 0) {
  console.log('typecheck: failed');
  process.exit(typecheck.status ?? 1);
}
console.log('typecheck: clean');

// the folder rules of docs/architecture.md (.dependency-cruiser.cjs): no cycles, no import against the written
// directions, no dynamic or self-imports dodging them, no relative path into another package
const rules = spawnSync('npx', ['depcruise', '--config', '.dependency-cruiser.cjs', ...DEPCRUISE_PATHS], { stdio: 'inherit' });
if (rules.status !== 0) {
  console.log('folder rules: broken (see docs/architecture.md, "Folder rules")');
  process.exit(rules.status ?? 1);
}
console.log('folder rules: kept');

const dir = mkdtempSync(join(tmpdir(), 'steward-tests-'));
const report = join(dir, 'vitest.json');
const run = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
} catch {
  console.log('tests: no report (vitest did not finish)');
}
rmSync(dir, { recursive: true, force: true });
process.exit(run.status ?? 1);
