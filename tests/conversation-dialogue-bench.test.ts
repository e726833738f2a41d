/**
 * The multi-turn dialogue cases (tests/fixtures/dialogue-multiturn.jsonl, the command benchmark's format: the turns
 * of a case share one conversation) through the command benchmark itself: a real hub, the home's node agents as
 * real processes, and the shared scorer `score.mjs`. Every case must pass.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const cases = join(root, 'tests/fixtures/dialogue-multiturn.jsonl');
const count = readFileSync(cases, 'utf8').split('\n').filter((l) => l.trim()).length;

describe('dialogue cases through the command benchmark and its scorer', () => {
  it(`all ${count} multi-turn cases pass`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-dialogue-bench-'));
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [join(root, 'hub/bin/steward-bench-commands.mjs'), '--cases', cases, '--out', join(dir, 'results.jsonl'), '--verbose'],
        { cwd: root, timeout: 120_000, env: { ...process.env, STEWARD_LOG_LEVEL: 'silent' } },
      );
      const fails = stdout.split('\n').filter((l) => l.startsWith('FAIL') || l.startsWith('     '));
      expect(fails).toEqual([]);
      expect(stdout).toContain(`commands: ${count}/${count} passed (100.0%)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
