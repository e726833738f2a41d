/**
 * Home Assistant's intent corpus as a yardstick: every sentence of the 14 device-control intents is parsed by the
 * engine against the home HA's fixtures describe, mapped to HA's intent and slots (ha-adapter.ts), written as
 * `{id, intent, slots, ms}` lines, and scored by the corpus's own scorer.
 *
 *   npm run bench:ha-intents -- --lang en|zh-cn|zh-tw|zh-hk [--out O] [--verbose]
 *
 * The corpus's zh-cn, zh-tw and zh-hk are the engine's zh, zh-TW and zh-HK (hub/src/understanding/languages/).
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { SHARED_HA_INTENTS, parseFlags, percentile } from './bench-args.ts';
import { runHaIntents, HA_LANGS, type HaLang } from './ha-intents.ts';
import { HA_DEVICE_INTENTS } from './ha-adapter.ts';

const flags = parseFlags(process.argv.slice(2));
const lang = flags.get('lang');
if (typeof lang !== 'string' || !(HA_LANGS as readonly string[]).includes(lang)) {
  console.error(`usage: npm run bench:ha-intents -- --lang ${HA_LANGS.join('|')} [--out O] [--verbose]`);
  process.exit(2);
}
const out = typeof flags.get('out') === 'string' ? resolve(flags.get('out') as string) : resolve(`bench-results/ha-intents-${lang}.jsonl`);
const corpus = join(SHARED_HA_INTENTS, `${lang}.jsonl`);
const run = runHaIntents(lang as HaLang, SHARED_HA_INTENTS);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, run.lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
process.stderr.write(`bench: ${run.lines.length} sentences parsed as engine language ${run.engineLang}; predictions in ${out}\n`);
if (run.skipped.size) process.stderr.write(`bench: HA kinds the hub has no device type for (left out of the home): ${[...run.skipped].map(([k, n]) => `${k} x${n}`).join(', ')}\n`);
const scored = execFileSync('node', [join(SHARED_HA_INTENTS, 'score.mjs'), corpus, out, `--intents=${HA_DEVICE_INTENTS.join(',')}`, ...(flags.has('verbose') ? ['--verbose'] : [])], { encoding: 'utf8' });
process.stdout.write(scored);
const summary = JSON.parse(execFileSync('node', [join(SHARED_HA_INTENTS, 'score.mjs'), corpus, out, `--intents=${HA_DEVICE_INTENTS.join(',')}`, '--json'], { encoding: 'utf8' })) as { passed: number; total: number; accuracy: number };
const ms = run.lines.map((l) => l.ms).sort((a, b) => a - b);
console.log(`ha-intents ${lang}: ${summary.passed}/${summary.total} (${(100 * summary.accuracy).toFixed(1)}%), parse p50 ${percentile(ms, 50).toFixed(4)} ms, p95 ${percentile(ms, 95).toFixed(4)} ms`);
