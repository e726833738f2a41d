/**
 * The paraphrase sets (same home, other wording than the public benchmark) through the real understanding engine
 * and the real conversation pipeline, against in-memory device states, judged with the benchmark's rules: the
 * named fields match, every other writable field keeps its initial value, the last reply has the expected words.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { commandEffect, loadHome, toErrorBody, type State } from '@steward/device-adapters';
import { createUnderstanding, homeViewFromHome } from '@steward/hub/understanding/index.ts';
import { createConversationPipeline } from '@steward/hub/conversation/pipeline.ts';
import type { DeviceGateway } from '@steward/hub/conversation/contract.ts';

const home = loadHome(resolve(import.meta.dirname, '../../shared/benchmarks/commands/home.json'));
const readOnly = new Set(home.readOnly);

interface Case {
  id: string;
  turns: { text: string; area?: string }[];
  expect: { states?: Record<string, Record<string, unknown>>; reply_any?: string[]; reply_all?: string[]; awaiting_confirmation?: boolean };
}
const load = (file: string): Case[] =>
  readFileSync(resolve(import.meta.dirname, 'fixtures', file), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Case);

const norm = (s: unknown) => String(s).trim().toLowerCase().replace(/[\s_-]+/g, '_');
/** The benchmark's matchers (see shared/benchmarks/commands/README.md). */
function matches(actual: unknown, m: unknown): boolean {
  if (m !== null && typeof m === 'object' && !Array.isArray(m)) {
    const o = m as Record<string, unknown>;
    if (o.any) return true;
    if ('in' in o) return (o.in as unknown[]).some((x) => matches(actual, x));
    if ('contains' in o) return typeof actual === 'string' && norm(actual).includes(norm(o.contains));
    if ('near' in o) {
      if (typeof actual !== 'number') return false;
      let d = Math.abs(actual - (o.near as number));
      if (o.mod) d = Math.min(d % (o.mod as number), (o.mod as number) - (d % (o.mod as number)));
      return d <= ((o.tol as number) ?? 1);
    }
    return typeof actual === 'number' && actual >= ((o.min as number) ?? -Infinity) && actual <= ((o.max as number) ?? Infinity);
  }
  if (m === null) return actual === null || actual === undefined;
  if (typeof m === 'number') return typeof actual === 'number' && Math.abs(actual - m) <= 0.5;
  if (typeof m === 'boolean') return actual === m;
  return actual !== null && actual !== undefined && norm(actual) === norm(m);
}

async function run(c: Case): Promise<string[]> {
  const view = homeViewFromHome(home);
  const gateway: DeviceGateway = {
    state: (id) => view.state(id),
    async execute(action) {
      const base = { deviceId: action.deviceId, command: action.command, params: action.params };
      const device = home.devices.find((d) => d.id === action.deviceId)!;
      try {
        view.patch(device.id, commandEffect(device, view.state(device.id)!, action.command, action.params));
        return { ...base, ok: true, state: view.state(device.id) as State };
      } catch (e) {
        return { ...base, ok: false, error: toErrorBody(e) };
      }
    },
  };
  const pipeline = createConversationPipeline({ understanding: createUnderstanding(view), gateway, view, logger: pino({ level: 'silent' }) });
  let reply = '';
  let awaiting = false;
  try {
    for (const t of c.turns) {
      const r = await pipeline.handle({ text: t.text, conversationId: c.id, ...(t.area ? { area: t.area } : {}) });
      reply = r.reply;
      awaiting = r.awaitingConfirmation;
    }
  } finally {
    pipeline.close();
  }
  const why: string[] = [];
  for (const d of home.devices) {
    const want = c.expect.states?.[d.id] ?? {};
    const got = view.state(d.id)!;
    for (const [field, initial] of Object.entries(d.state)) {
      if (field in want) {
        if (!matches(got[field], want[field])) why.push(`${d.id}.${field} = ${JSON.stringify(got[field])}, wanted ${JSON.stringify(want[field])}`);
      } else if (!readOnly.has(field) && !matches(got[field], initial)) why.push(`${d.id}.${field} changed to ${JSON.stringify(got[field])}`);
    }
  }
  const last = reply.toLowerCase();
  if (c.expect.reply_any && !c.expect.reply_any.some((s) => last.includes(s.toLowerCase()))) why.push(`reply "${reply}" has none of ${c.expect.reply_any.join(', ')}`);
  for (const s of c.expect.reply_all ?? []) if (!last.includes(s.toLowerCase())) why.push(`reply "${reply}" lacks ${s}`);
  if (c.expect.awaiting_confirmation !== undefined && awaiting !== c.expect.awaiting_confirmation) why.push(`awaiting confirmation ${awaiting}`);
  return why;
}

for (const file of ['understanding-paraphrases.jsonl', 'understanding-holdout.jsonl', 'understanding-holdout2.jsonl', 'understanding-holdout3.jsonl', 'understanding-holdout4.jsonl', 'understanding-holdout5.jsonl']) {
  describe(file, () => {
    for (const c of load(file)) {
      it(`${c.id}: ${c.turns.map((t) => t.text).join(' | ')}`, async () => {
        expect(await run(c)).toEqual([]);
      });
    }
  });
}
