/**
 * The agent benchmark.
 *
 * 1. Catalog size: tokens (gpt-tokenizer, o200k_base) of what the model is told about the home, for the benchmark
 *    home (34 devices) and generated homes of 300 and 3,000 devices, averaged over 20 fixed open-ended requests.
 * 2. The planner's own overhead per step: the loop against a scripted OpenAI-compatible server on loopback that
 *    answers at once (catalog, tools, validation, HTTP and JSON; no model time, no device time).
 * 3. With --llm-url URL --llm-model M [--llm-key-file F] or --llm-gguf FILE: a real hub with the benchmark home's
 *    node agents, the public command cases and the open-ended requests through the real model (planner: always),
 *    printing accuracy (the shared scorer), tokens per request and time to first action.
 *
 *   npm run bench:agent -- [--llm-url URL --llm-model M | --llm-gguf FILE] [--cases C] [--limit N]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { loadHome, type Home } from '@steward/device-adapters';
import { homeViewFromHome } from '../understanding/static-view.ts';
import { createUnderstanding } from '../understanding/index.ts';
import type { Lang } from '../understanding/contract.ts';
import { buildCatalog } from '../planner/catalog.ts';
import { buildToolset } from '../planner/tools.ts';
import { createPlanner } from '../planner/planner.ts';
import { createOpenAiBackend } from '../planner/openai-backend.ts';
import { createHub } from '../hub.ts';
import { llmConfigFromFlags } from '../planner/config.ts';
import { SHARED_COMMANDS, parseFlags, percentile } from './bench-args.ts';
import { generateHome } from './generated-home.ts';

/** Fixed open-ended requests: the four of issue 12, six about the whole home, and others. */
export const OPEN_ENDED_REQUESTS: readonly string[] = [
  "I'm cold and want to watch a film",
  'get the car ready, I leave in ten minutes',
  "we're going out",
  'the kids are asleep, keep it quiet downstairs',
  'turn off everything in the house',
  'is anything still on at home?',
  'lock up the whole house for the night',
  "save energy in the whole home while we're away for the weekend",
  'close all the curtains and windows in the house',
  'how warm is it in every room?',
  "it's too dark in the study, I need to read",
  'guests arrive in an hour, make the living room welcoming',
  "I'm going to take a shower",
  'make the bedroom cosy for the night',
  'the kitchen smells after cooking',
  '我有点冷，想看电影',
  '我们出门了，家里都关掉',
  '孩子们睡了，楼下安静点',
  '整个家里有哪些灯还开着？',
  'wake me up gently tomorrow, open the bedroom curtains at seven',
];

const langOf = (text: string): Lang => (/[\u4e00-\u9fff]/.test(text) ? 'zh' : 'en');
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

function catalogTokens(home: Home): { catalog: number; tools: number; listed: number } {
  const view = homeViewFromHome(home);
  const rows = OPEN_ENDED_REQUESTS.map((text) => {
    const c = buildCatalog(view, view.devices(), { text, lang: langOf(text) });
    const tools = buildToolset(c.devices, c.scenes, { types: c.groupTypes, devices: view.devices() });
    return { catalog: countTokens(c.json), tools: countTokens(JSON.stringify(tools.specs)), listed: c.devices.length };
  });
  return { catalog: Math.round(mean(rows.map((r) => r.catalog))), tools: Math.round(mean(rows.map((r) => r.tools))), listed: Math.round(mean(rows.map((r) => r.listed))) };
}

/** An OpenAI-compatible server that answers at once: `steps - 1` get_state calls, then an answer. */
async function instantServer(steps: number, deviceId: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: { role: string }[] };
      const done = body.messages.filter((m) => m.role === 'assistant').length - 1; // the first is the catalog call
      const message =
        done + 1 < steps
          ? { role: 'assistant', content: null, tool_calls: [{ id: `c${done}`, type: 'function', function: { name: 'get_state', arguments: JSON.stringify({ device_ids: [deviceId] }) } }] }
          : { role: 'assistant', content: 'Done.' };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message }], usage: { prompt_tokens: 1, completion_tokens: 1 } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function plannerOverhead(home: Home, label: string): Promise<string> {
  const steps = 4;
  const view = homeViewFromHome(home);
  const server = await instantServer(steps, view.devices()[0]!.id);
  const understanding = createUnderstanding(view);
  const planner = createPlanner({
    backend: createOpenAiBackend({ url: server.url, model: 'instant' }),
    view,
    executor: {
      act: () => {
        throw new Error('the overhead run reads state only');
      },
    },
    say: (lang, phrase) => understanding.say(lang, phrase),
    logger: pino({ level: 'silent' }),
    limits: { maxSteps: steps },
  });
  const perStep: number[] = [];
  try {
    for (let round = 0; round < 3; round++) {
      for (const text of OPEN_ENDED_REQUESTS) {
        const t0 = performance.now();
        const out = await planner.plan({ text, lang: langOf(text), conversationId: `bench-${round}` });
        if (out.steps !== steps || out.stop !== 'answered') throw new Error(`overhead run: ${out.steps} steps, ${out.stop}`);
        if (round > 0) perStep.push((performance.now() - t0) / steps);
      }
    }
  } finally {
    await server.close();
  }
  perStep.sort((a, b) => a - b);
  return `planner overhead (${label}): ${percentile(perStep, 50).toFixed(2)} ms per step p50, ${percentile(perStep, 95).toFixed(2)} ms p95 (scripted server on loopback, no model or device time)`;
}

interface Case {
  id: string;
  turns: { text: string; area?: string }[];
}

async function realModel(flags: Map<string, string | true>, homeFile: string): Promise<void> {
  const str = (k: string) => (typeof flags.get(k) === 'string' ? (flags.get(k) as string) : undefined);
  const llm = llmConfigFromFlags(
    {
      ...(str('llm-url') ? { 'llm-url': str('llm-url') } : {}),
      ...(str('llm-model') ? { 'llm-model': str('llm-model') } : {}),
      ...(str('llm-key-file') ? { 'llm-key-file': str('llm-key-file') } : {}),
      ...(str('llm-gguf') ? { 'llm-gguf': str('llm-gguf') } : {}),
    },
    {},
  );
  if (!llm) return;
  const casesFile = resolve(str('cases') ?? join(SHARED_COMMANDS, 'public.jsonl'));
  const limit = Number(str('limit') ?? Infinity);
  const cases = readFileSync(casesFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Case)
    .slice(0, limit);
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-bench-agent-'));
  const hub = createHub(
    { homeFile, demo: true, dataDir, httpPort: 0, mqttPort: 0, httpsPort: 0, mqttsPort: 0, logLevel: 'silent', llm: { ...llm, requestTimeoutMs: 300_000, callTimeoutMs: 120_000 } },
    { logger: pino({ level: process.env.STEWARD_LOG_LEVEL ?? 'silent' }) },
  );
  await hub.start();
  await hub.waitForNodes();
  const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  const tokens: number[] = [];
  const firstAction: number[] = [];
  /** one request over SSE: tokens used and the time from sending to the first acknowledged tool result */
  async function send(text: string, conversationId: string, area?: string): Promise<{ reply: string; awaiting: boolean }> {
    const t0 = performance.now();
    const res = await fetch(`${hub.httpUrl}/api/command`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ text, conversationId, planner: 'always', ...(area ? { area } : {}) }),
    });
    const body = await res.text();
    let first: number | undefined;
    let final: { reply: string; awaitingConfirmation: boolean; planner?: { promptTokens: number; completionTokens: number } } | undefined;
    for (const block of body.split('\n\n')) {
      const [ev, data] = block.split('\n');
      if (!ev || !data) continue;
      const payload = JSON.parse(data.slice('data: '.length));
      if (ev === 'event: tool_result' && payload.ok && first === undefined) first = performance.now() - t0;
      if (ev === 'event: reply') final = payload;
    }
    if (first !== undefined) firstAction.push(first);
    if (final?.planner) tokens.push(final.planner.promptTokens + final.planner.completionTokens);
    return { reply: final?.reply ?? '', awaiting: final?.awaitingConfirmation ?? false };
  }
  const lines: string[] = [];
  try {
    for (const c of cases) {
      await hub.resetDevices();
      hub.pipeline.reset();
      const conversationId = `bench-${c.id}-${Date.now()}`;
      const replies: string[] = [];
      let awaiting = false;
      for (const turn of c.turns) {
        const r = await send(turn.text, conversationId, turn.area);
        replies.push(r.reply);
        awaiting = r.awaiting;
      }
      lines.push(JSON.stringify({ id: c.id, replies, awaiting_confirmation: awaiting, states: hub.snapshot(), latency_ms: [] }));
    }
    const openTokens: number[] = [];
    for (const text of OPEN_ENDED_REQUESTS) {
      await hub.resetDevices();
      const before = tokens.length;
      const r = await send(text, `bench-open-${Date.now()}`);
      if (tokens.length > before) openTokens.push(tokens.at(-1)!);
      process.stdout.write(`open-ended: ${JSON.stringify(text)} -> ${JSON.stringify(r.reply)}\n`);
    }
    const outFile = resolve('bench-results/agent.jsonl');
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, lines.join('\n') + '\n');
    // --limit: score only the cases that ran
    const scored = join(dataDir, 'cases.jsonl');
    writeFileSync(scored, readFileSync(casesFile, 'utf8').split('\n').filter((l) => l.trim()).slice(0, cases.length).join('\n') + '\n');
    process.stdout.write(execFileSync('node', [join(SHARED_COMMANDS, 'score.mjs'), homeFile, scored, outFile], { encoding: 'utf8' }));
    firstAction.sort((a, b) => a - b);
    process.stdout.write(
      `real model (${llm.url ?? llm.gguf} ${llm.model ?? ''}): ${Math.round(mean(tokens))} tokens per request (open-ended ${Math.round(mean(openTokens))}), ` +
        `time to first action p50 ${Math.round(percentile(firstAction, 50))} ms, p95 ${Math.round(percentile(firstAction, 95))} ms\n`,
    );
  } finally {
    await hub.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const flags = parseFlags(process.argv.slice(2));
const homeFile = typeof flags.get('home') === 'string' ? resolve(flags.get('home') as string) : join(SHARED_COMMANDS, 'home.json');
const homes: [number, Home][] = [
  [34, loadHome(homeFile)],
  [300, generateHome(300)],
  [3000, generateHome(3000)],
];
const sizes = homes.map(([n, h]) => ({ n, actual: h.devices.length, ...catalogTokens(h) }));
for (const s of sizes) {
  process.stdout.write(`  ${s.actual} devices: catalog ${s.catalog} tokens (${s.listed} devices listed on average), tools ${s.tools} tokens\n`);
}
process.stdout.write(`catalog: ${sizes.map((s) => `${s.actual} devices ${s.catalog} tokens`).join(', ')}\n`);
const [a, , c] = sizes;
process.stdout.write(`targets: 34-device catalog under 2000 tokens: ${a!.catalog < 2000 ? 'yes' : 'NO'}; 3000-device catalog under 3 x that: ${c!.catalog < 3 * a!.catalog ? 'yes' : 'NO'}\n`);
process.stdout.write(`${await plannerOverhead(homes[0]![1], '34 devices')}\n`);
process.stdout.write(`${await plannerOverhead(homes[2]![1], '3000 devices')}\n`);
await realModel(flags, homeFile);
