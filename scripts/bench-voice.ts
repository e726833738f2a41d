/**
 * npm run bench:voice: the spoken command set (tests/fixtures/voice/commands-en.json) synthesised with Debian's
 * voices (espeak-ng `en`, `en-gb-x-rp`, `en-us+f2`, and flite; espeak-ng's `en-us` is left out: its "turn off" is
 * heard as "turn on" by any recogniser, see ../shared/ENVIRONMENT.md), posted to POST /api/voice of a hub running the benchmark home through real node
 * agents. Prints accuracy (the device ends in the expected state) and time per utterance (p50, p95) per engine,
 * language and voice, and ends with the default engine's line:
 *   voice: en <pass>/<total>, p50 <x> ms, p95 <y> ms
 *
 * With a sherpa-onnx model you downloaded (not run in CI: no model ships here), the same set through that engine:
 *   npm run bench:voice -- --engine sherpa --model DIR [--family nemo-ctc] [--vad silero_vad.onnx] [--voices en,flite]
 * ends with `voice (sherpa-onnx): en <pass>/<total>, p50 <x> ms, p95 <y> ms`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createHub } from '@steward/hub';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const HOME = process.env.STEWARD_BENCH_HOME ?? resolve(ROOT, '..', 'shared', 'benchmarks', 'commands', 'home.json');
type Cmd = { text: string; expect: [string, string, unknown] };
const set = JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', 'voice', 'commands-en.json'), 'utf8')) as { commands: Cmd[]; otherWording: Cmd[] };

function speak(text: string, voice: string): Buffer {
  if (voice === 'flite') {
    const dir = mkdtempSync(join(tmpdir(), 'steward-bench-voice-'));
    try {
      execFileSync('flite', ['-t', text, '-o', join(dir, 'a.wav')]);
      return readFileSync(join(dir, 'a.wav'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return execFileSync('espeak-ng', ['-v', voice, '--stdout', text]);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};

const { values: args } = parseArgs({
  options: { engine: { type: 'string', default: 'pocketsphinx' }, model: { type: 'string' }, family: { type: 'string' }, vad: { type: 'string' }, voices: { type: 'string' } },
});
const sherpa = args.engine === 'sherpa' || args.engine === 'sherpa-onnx';
if (!sherpa && args.engine !== 'pocketsphinx') throw new Error(`--engine: pocketsphinx (default) or sherpa, not ${args.engine}`);
if (sherpa && !args.model) throw new Error('--engine sherpa needs --model DIR: a sherpa-onnx model folder you downloaded (docs/voice.md)');
const engine = sherpa ? 'sherpa-onnx' : 'pocketsphinx';
const voice = sherpa ? { stt: 'sherpa-onnx', sttModelDir: resolve(args.model!), ...(args.family ? { sttModelFamily: args.family } : {}), ...(args.vad ? { sttVadModel: resolve(args.vad) } : {}) } : {};
const voices = args.voices ? args.voices.split(',') : ['en', 'en-gb-x-rp', 'en-us+f2', 'flite'];

const dataDir = mkdtempSync(join(tmpdir(), 'steward-bench-voice-hub-'));
const hub = createHub({ dataDir, homeFile: HOME, demo: true, httpHost: '127.0.0.1', httpPort: 0, mqttHost: '127.0.0.1', mqttPort: 0, httpsPort: 0, mqttsPort: 0, logLevel: 'error', voice } as never);
try {
  await hub.start();
  const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  let pass = 0;
  let total = 0;
  const allTimes: number[] = [];
  for (const voice of voices) {
    for (const [label, cmds] of [['commands', set.commands], ['other wording', set.otherWording]] as const) {
      if (label === 'commands') await hub.resetDevices();
      const times: number[] = [];
      let ok = 0;
      for (const c of cmds) {
        const audio = speak(c.text, voice);
        const started = performance.now();
        const res = await fetch(`${hub.httpUrl}/api/voice`, { method: 'POST', headers: { 'content-type': 'audio/wav', authorization: `Bearer ${token}` }, body: new Uint8Array(audio) });
        const body = (await res.json()) as { transcript?: string };
        times.push(performance.now() - started);
        const [id, field, value] = c.expect;
        // the node's acknowledgement reaches the registry after the reply: give it a moment
        let got: unknown;
        for (let i = 0; i < 20; i++) {
          got = (hub.snapshot() as Record<string, Record<string, unknown>>)[id]?.[field];
          if (got === value) break;
          await new Promise((r) => setTimeout(r, 25));
        }
        if (got === value) ok++;
        else if (process.env.VERBOSE) console.log(`  miss [${voice}] "${c.text}" heard "${body.transcript ?? JSON.stringify(body)}"`);
      }
      console.log(`${engine} en ${voice === 'flite' ? 'flite' : `espeak-ng ${voice}`} (${label}): ${ok}/${cmds.length} (${((100 * ok) / cmds.length).toFixed(0)}%), p50 ${pct(times, 50).toFixed(0)} ms, p95 ${pct(times, 95).toFixed(0)} ms`);
      pass += ok;
      total += cmds.length;
      allTimes.push(...times);
    }
  }
  console.log(`voice${sherpa ? ' (sherpa-onnx)' : ''}: en ${pass}/${total}, p50 ${pct(allTimes, 50).toFixed(0)} ms, p95 ${pct(allTimes, 95).toFixed(0)} ms`);
} finally {
  await hub.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
