#!/usr/bin/env node
/**
 * Fetches a real, trained silero VAD model (silero_vad v5, MIT) for the sherpa-onnx engine, so voice-activity
 * detection works without the user finding one. The npm registry is the only source this project installs from, and
 * the npm package @ricky0123/vad-web (ISC) ships the model file: we take that one file from its tarball, check its
 * SHA-256 against the pinned value, and keep it as models/silero_vad.onnx. Run by `npm run install:voice-sherpa`.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = '@ricky0123/vad-web@0.0.31';
const MEMBER = 'package/dist/silero_vad_v5.onnx';
const SHA256 = '2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f';
const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'models', 'silero_vad.onnx');

const sha = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

if (existsSync(target) && sha(target) === SHA256) {
  console.log(`silero VAD: ${target} is already there`);
  process.exit(0);
}
const work = mkdtempSync(join(tmpdir(), 'steward-vad-'));
try {
  const tgz = execFileSync('npm', ['pack', PACKAGE, '--pack-destination', work, '--silent'], { encoding: 'utf8' }).trim().split('\n').pop();
  execFileSync('tar', ['-xzf', join(work, tgz), '-C', work, MEMBER]);
  const file = join(work, MEMBER);
  const got = sha(file);
  if (got !== SHA256) throw new Error(`${PACKAGE} ${MEMBER} has SHA-256 ${got}, expected ${SHA256}: not installed`);
  mkdirSync(dirname(target), { recursive: true });
  renameSync(file, target);
  console.log(`silero VAD: ${target} (from ${PACKAGE}, SHA-256 checked)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
