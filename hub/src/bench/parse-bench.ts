/**
 * Parse-time benchmark: text to plan (no execution) for every turn text of the command benchmark's cases, each in
 * a fresh conversation (no memory), against the benchmark home's registry. Every text is parsed many times after
 * a warm-up; a text's time is the median of its runs, and the closing percentiles are over texts.
 *
 *   npm run bench:parse -- [--home H] [--cases C] [--rounds N] [--quiet]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadHome } from '@steward/device-adapters';
import { createUnderstanding, homeViewFromHome } from '../understanding/index.ts';
import { SHARED_COMMANDS, parseFlags, percentile } from './bench-args.ts';

const flags = parseFlags(process.argv.slice(2));
const path = (name: string, fallback: string) => {
  const v = flags.get(name);
  return typeof v === 'string' ? resolve(v) : fallback;
};
const home = loadHome(path('home', join(SHARED_COMMANDS, 'home.json')));
const casesPath = path('cases', join(SHARED_COMMANDS, 'public.jsonl'));
const rounds = Number(flags.get('rounds') ?? 300);
const quiet = flags.has('quiet');

interface Turn {
  id: string;
  text: string;
  area?: string;
}
const turns: Turn[] = [];
for (const line of readFileSync(casesPath, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const c = JSON.parse(line) as { id: string; turns: { text: string; area?: string }[] };
  for (const t of c.turns) turns.push({ id: c.id, text: t.text, ...(t.area ? { area: t.area } : {}) });
}

const view = homeViewFromHome(home);
const understanding = createUnderstanding(view);
const t0 = process.hrtime.bigint();
understanding.parse('warm up', {}); // compiles the matcher for this registry version
const compileMs = Number(process.hrtime.bigint() - t0) / 1e6;

const ctx = (t: Turn) => (t.area ? { area: t.area } : {});
// warm-up: let the JIT settle before measuring
for (let r = 0; r < 200; r++) for (const t of turns) understanding.parse(t.text, ctx(t));

const samples: number[][] = turns.map(() => []);
const pooled: number[] = [];
for (let r = 0; r < rounds; r++) {
  for (let i = 0; i < turns.length; i++) {
    const t = turns[i]!;
    const c = ctx(t);
    const a = process.hrtime.bigint();
    understanding.parse(t.text, c);
    const ms = Number(process.hrtime.bigint() - a) / 1e6;
    samples[i]!.push(ms);
    pooled.push(ms);
  }
}

const medians = samples.map((s) => [...s].sort((x, y) => x - y)[Math.floor(s.length / 2)]!);
const fmt = (ms: number) => ms.toFixed(4);
if (!quiet) {
  turns.forEach((t, i) => {
    console.log(`${fmt(medians[i]!)} ms  ${t.id}  ${JSON.stringify(t.text)}${t.area ? ` (area ${t.area})` : ''}`);
  });
}
const sortedMedians = [...medians].sort((x, y) => x - y);
const sortedPooled = pooled.sort((x, y) => x - y);
console.log(`compile (once per registry version): ${compileMs.toFixed(2)} ms`);
console.log(`${turns.length} texts x ${rounds} rounds; all runs: p50 ${fmt(percentile(sortedPooled, 50))} ms, p95 ${fmt(percentile(sortedPooled, 95))} ms, max ${fmt(sortedPooled.at(-1)!)} ms`);
console.log(`parse: p50 ${fmt(percentile(sortedMedians, 50))} ms, p95 ${fmt(percentile(sortedMedians, 95))} ms`);
