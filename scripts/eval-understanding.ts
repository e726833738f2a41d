/**
 * Development loop for understanding: runs a cases file (public.jsonl format) through the real understanding
 * engine and the real conversation pipeline against in-memory device states, then prints the scorer's summary.
 * Gradual fields jump to their target here (the benchmark scores targets anyway). This is a fast inner loop, not a
 * replacement for `npm run bench:commands`, which drives real node agents over MQTT.
 *
 *   npx tsx scripts/eval-understanding.ts [cases.jsonl] [--verbose]
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { pino } from 'pino';
import { commandEffect, loadHome, toErrorBody, type State } from '@steward/device-adapters';
import { createUnderstanding } from '@steward/hub/understanding/index.ts';
import { createConversationPipeline } from '@steward/hub/conversation/pipeline.ts';
import type { DeviceGateway } from '@steward/hub/conversation/contract.ts';
import type { HomeView } from '@steward/hub/understanding/contract.ts';

const args = process.argv.slice(2);
const shared = resolve(import.meta.dirname, '../../shared/benchmarks/commands');
const homePath = join(shared, 'home.json');
const casesPath = args.find((a) => !a.startsWith('--')) ?? join(shared, 'public.jsonl');
const home = loadHome(homePath);
const states = new Map<string, State>();
const resetStates = () => {
  for (const d of home.devices) states.set(d.id, structuredClone(d.state));
};
resetStates();

const view: HomeView = {
  version: 1,
  areas: () => home.areas,
  devices: () => home.devices,
  scenes: () => home.scenes,
  state: (id) => states.get(id),
};
const gateway: DeviceGateway = {
  state: (id) => states.get(id),
  async execute(action) {
    const device = home.devices.find((d) => d.id === action.deviceId);
    const base = { deviceId: action.deviceId, command: action.command, params: action.params };
    if (!device) return { ...base, ok: false, error: { code: 'UNKNOWN_DEVICE', message: `no device ${action.deviceId}` } };
    try {
      const next = { ...states.get(device.id)!, ...commandEffect(device, states.get(device.id)!, action.command, action.params) };
      states.set(device.id, next);
      return { ...base, ok: true, state: next };
    } catch (e) {
      return { ...base, ok: false, error: toErrorBody(e) };
    }
  },
};
const pipeline = createConversationPipeline({ understanding: createUnderstanding(view), gateway, view, logger: pino({ level: 'silent' }) });

const cases = readFileSync(casesPath, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const lines: string[] = [];
for (const c of cases) {
  resetStates();
  pipeline.reset();
  const replies: string[] = [];
  const latency: number[] = [];
  let awaiting = false;
  const conversationId = `eval-${c.id}`;
  for (const turn of c.turns) {
    const t0 = performance.now();
    const r = await pipeline.handle({ text: turn.text, conversationId, ...(turn.area ? { area: turn.area } : {}) });
    latency.push(+(performance.now() - t0).toFixed(3));
    replies.push(r.reply);
    awaiting = r.awaitingConfirmation;
  }
  lines.push(JSON.stringify({ id: c.id, replies, awaiting_confirmation: awaiting, states: Object.fromEntries(states), latency_ms: latency }));
}
const out = join(mkdtempSync(join(tmpdir(), 'steward-eval-')), 'results.jsonl');
writeFileSync(out, lines.join('\n') + '\n');
const score = execFileSync('node', [join(shared, 'score.mjs'), homePath, casesPath, out, ...(args.includes('--verbose') ? ['--verbose'] : [])], { encoding: 'utf8' });
process.stdout.write(score);
process.stdout.write(`results: ${out}\n`);
pipeline.close();
