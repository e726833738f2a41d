/**
 * The command benchmark over real parts: a real hub (embedded aedes broker, SQLite in a temporary folder) and the
 * home's node agents as real processes. Before each case every simulated device is reset to the home's initial
 * state, a new conversation starts and pending confirmations and schedules are cleared. Each turn goes through the
 * same pipeline as POST /api/command; the result line holds every device's state as the nodes acknowledged it
 * (targets of moving fields over reported values). Then the shared scorer prints its summary.
 *
 *   npm run bench:commands -- [--home H] [--cases C] [--out O] [--verbose]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { pino } from 'pino';
import { createHub } from '../hub.ts';
import { SHARED_COMMANDS, parseFlags } from './bench-args.ts';

const CaseSchema = z.object({
  id: z.string(),
  lang: z.string(),
  turns: z.array(z.object({ text: z.string(), area: z.string().optional() })).min(1),
});

const flags = parseFlags(process.argv.slice(2));
const arg = (name: string, fallback: string) => {
  const v = flags.get(name);
  return typeof v === 'string' ? resolve(v) : fallback;
};
const homeFile = arg('home', join(SHARED_COMMANDS, 'home.json'));
const casesFile = arg('cases', join(SHARED_COMMANDS, 'public.jsonl'));
const outFile = arg('out', resolve('bench-results/commands.jsonl'));

const cases = readFileSync(casesFile, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l, i) => {
    const r = CaseSchema.safeParse(JSON.parse(l));
    if (!r.success) throw new Error(`${casesFile}:${i + 1}: ${r.error.issues.map((x) => x.message).join('; ')}`);
    return r.data;
  });

const dataDir = mkdtempSync(join(tmpdir(), 'steward-bench-'));
const hub = createHub(
  // free ports for every listener, the LAN ones (HTTPS pairing, MQTTS) included: a bench must not need 8443/8883
  { homeFile, demo: true, dataDir, httpPort: 0, mqttPort: 0, httpsPort: 0, mqttsPort: 0, logLevel: 'silent' },
  { logger: pino({ level: process.env.STEWARD_LOG_LEVEL ?? 'silent' }) },
);
process.stderr.write(`bench: starting hub and ${homeFile} as simulated node processes...\n`);
const t0 = performance.now();
await hub.start();
await hub.waitForNodes();
process.stderr.write(`bench: ready in ${Math.round(performance.now() - t0)} ms; ${cases.length} cases\n`);

const lines: string[] = [];
try {
  for (const c of cases) {
    const report = await hub.resetDevices();
    if (report.skipped.length) throw new Error(`case ${c.id}: nodes offline, cannot reset: ${report.skipped.join(', ')}`);
    hub.pipeline.reset();
    const conversationId = `bench-${c.id}-${Date.now()}`;
    const replies: string[] = [];
    const latency: number[] = [];
    let awaiting = false;
    for (const turn of c.turns) {
      const start = performance.now();
      const r = await hub.pipeline.handle({ text: turn.text, conversationId, ...(turn.area ? { area: turn.area } : {}) });
      latency.push(Number((performance.now() - start).toFixed(3)));
      replies.push(r.reply);
      awaiting = r.awaitingConfirmation;
    }
    lines.push(JSON.stringify({ id: c.id, replies, awaiting_confirmation: awaiting, states: hub.snapshot(), latency_ms: latency }));
  }
} finally {
  await hub.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, lines.join('\n') + '\n');
process.stderr.write(`bench: results in ${outFile}\n`);
const scorer = join(SHARED_COMMANDS, 'score.mjs');
process.stdout.write(
  execFileSync('node', [scorer, homeFile, casesFile, outFile, ...(flags.has('verbose') ? ['--verbose'] : [])], { encoding: 'utf8' }),
);
