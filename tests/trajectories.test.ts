/**
 * Trajectories through real parts: a hub with the benchmark home's node-agent processes records every request in
 * its SQLite file before answering; GET /api/trajectories returns rule-path requests as the planner's tool calls
 * with the state the nodes acknowledged; `steward-hub trajectories export` (a real process, beside the running
 * hub) writes them as fine-tuning JSONL, and its redacted form holds none of the home's names.
 */
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCHMARK_HOME, benchmarkHome } from './helpers/agents.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';
import { TrajectoryStore } from '@steward/hub/trajectories/store.ts';
import type { Trajectory } from '@steward/hub/trajectories/schema.ts';

const HUB_BIN = resolve(import.meta.dirname, '..', 'hub', 'bin', 'steward-hub.mjs');
const run = promisify(execFile);
const exportJsonl = async (dataDir: string, ...args: string[]) => {
  const { stdout, stderr } = await run(process.execPath, [HUB_BIN, 'trajectories', 'export', '--data-dir', dataDir, ...args]);
  return { lines: stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>), stderr };
};

let t: TestHub;
const sent: Record<string, { conversationId: string; reply: string }> = {};

async function say(key: string, text: string, conversationId?: string) {
  const r = await t.api.post('/api/command', { text, ...(conversationId ? { conversationId } : {}) });
  expect(r.status).toBe(200);
  sent[key] = r.body;
  return r.body as { conversationId: string; reply: string; actions: any[]; awaitingConfirmation: boolean };
}

async function trajectories(query = ''): Promise<Trajectory[]> {
  const r = await t.api.get(`/api/trajectories${query}`);
  expect(r.status).toBe(200);
  return r.body.trajectories;
}
const byText = async (text: string) => (await trajectories('?limit=1000')).filter((x) => x.text === text);

beforeAll(async () => {
  // nine agent processes start on a loaded machine (two cores, many test files): give them time
  t = await startTestHub({ homeFile: BENCHMARK_HOME, demo: true, nodesOnlineTimeoutMs: 80_000 });
}, 90_000);

afterAll(async () => {
  await t?.stop();
});

describe('trajectories of rule-path requests', () => {
  it('is in SQLite when the HTTP response arrives', async () => {
    const body = await say('light', 'turn on the living room light');
    // a second connection, read-only, the moment the response is here: the row is committed already
    const db = new Database(join(t.dataDir, 'steward.db'), { readonly: true });
    try {
      const row = db.prepare('SELECT text, path, lang, reply, ok FROM trajectories WHERE conversation_id = ?').get(body.conversationId);
      expect(row).toEqual({ text: 'turn on the living room light', path: 'rules', lang: 'en', reply: body.reply, ok: 1 });
    } finally {
      db.close();
    }
  });

  it('GET /api/trajectories returns it with the tool call and the acknowledged result', async () => {
    const [tr] = await byText('turn on the living room light');
    expect(tr).toMatchObject({ conversationId: sent.light!.conversationId, path: 'rules', source: 'api', lang: 'en', ok: true, reply: sent.light!.reply });
    expect(tr!.steps.map((s) => s.kind)).toEqual(['parse', 'tool_call', 'reply']);
    const parse = tr!.steps[0] as Extract<Trajectory['steps'][number], { kind: 'parse' }>;
    expect(parse.clauses).toEqual([{ kind: 'act', actions: [{ deviceId: 'living_room_light', command: 'turnOn', params: {} }], reply: sent.light!.reply }]);
    const call = tr!.steps[1] as Extract<Trajectory['steps'][number], { kind: 'tool_call' }>;
    expect(call).toMatchObject({ id: 'call_1', name: 'turn_on', arguments: { device_ids: ['living_room_light'] }, ok: true });
    expect(call.result).toMatchObject({ device_id: 'living_room_light', ok: true, state: { on: true } });
    expect(call.ms).toBeGreaterThan(0);
    expect(Date.parse(tr!.finishedAt)).toBeGreaterThanOrEqual(Date.parse(tr!.startedAt));
  });

  it('needs the admin token, even on loopback, and checks its query', async () => {
    expect((await t.anon.get('/api/trajectories')).status).toBe(401);
    const bad = await t.api.get('/api/trajectories?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('BAD_REQUEST');
    expect((await t.api.get('/api/trajectories?since=yesterday')).status).toBe(400);
    const future = await trajectories(`?since=${Date.now() + 60_000}`);
    expect(future).toEqual([]);
  });

  it('records a Chinese request with its values, a scene as one run_scene call, a confirmation and its yes', async () => {
    await say('ac', '把客厅空调调到二十四度');
    const [ac] = await byText('把客厅空调调到二十四度');
    expect(ac!.lang).toBe('zh');
    const acCalls = ac!.steps.filter((s) => s.kind === 'tool_call');
    expect(acCalls.map((s) => [s.name, s.arguments])).toContainEqual(['set_target_temperature', { device_ids: ['living_room_ac'], celsius: 24 }]);
    expect(acCalls.every((s) => s.ok)).toBe(true);

    await say('scene', 'good night');
    const [night] = await byText('good night');
    const sceneCalls = night!.steps.filter((s) => s.kind === 'tool_call');
    expect(sceneCalls).toHaveLength(1);
    expect(sceneCalls[0]).toMatchObject({ name: 'run_scene', arguments: { scene_id: 'good_night' }, ok: true });
    expect((sceneCalls[0]!.result as { results: unknown[] }).results.length).toBeGreaterThan(1);

    const held = await say('unlock', 'unlock the front door');
    expect(held.awaitingConfirmation).toBe(true);
    const [asked] = await byText('unlock the front door');
    expect(asked!.steps.filter((s) => s.kind !== 'parse').map((s) => s.kind)).toEqual(['confirmation', 'reply']);
    const confirmationId = (held as unknown as { confirmation: { confirmationId: string } }).confirmation.confirmationId;
    expect(confirmationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(asked!.steps.find((s) => s.kind === 'confirmation')).toMatchObject({ decision: 'requested', confirmationId });

    await say('yes', 'yes', held.conversationId);
    const [yes] = await byText('yes');
    expect(yes!.conversationId).toBe(held.conversationId);
    expect(yes!.steps.filter((s) => s.kind !== 'parse').map((s) => (s.kind === 'tool_call' ? `${s.kind}:${s.name}` : s.kind))).toEqual(['confirmation', 'tool_call:unlock', 'reply']);
    expect(yes!.steps.find((s) => s.kind === 'confirmation')).toMatchObject({ decision: 'confirm', confirmationId });
    const unlock = yes!.steps.find((s) => s.kind === 'tool_call')!;
    expect(unlock).toMatchObject({ arguments: { device_ids: ['front_door_lock'] }, ok: true, result: { device_id: 'front_door_lock', ok: true, state: { locked: false } } });
  });

  it('a correction said right after a request is recorded on that request', async () => {
    const first = await say('lamp', 'turn on the floor lamp');
    await say('correction', 'no, the other one', first.conversationId);
    const [lamp] = await byText('turn on the floor lamp');
    expect(lamp!.steps.at(-1)).toMatchObject({ kind: 'correction', text: 'no, the other one' });
    // the follow-up has its own trajectory too, and a request in another conversation is not a correction
    expect(await byText('no, the other one')).toHaveLength(1);
    await say('other', 'no, the other one');
    expect((await byText('turn on the floor lamp'))[0]!.steps.filter((s) => s.kind === 'correction')).toHaveLength(1);
  });

  it('lists newest first and honours limit and since', async () => {
    const all = await trajectories('?limit=1000');
    expect(all.map((x) => x.text).slice(0, 3)).toEqual(['no, the other one', 'no, the other one', 'turn on the floor lamp']);
    expect(await trajectories('?limit=2')).toEqual(all.slice(0, 2));
    const since = all[2]!.startedAt;
    expect((await trajectories(`?since=${encodeURIComponent(since)}`)).map((x) => x.id)).toEqual(all.slice(0, 3).map((x) => x.id));
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await t.api.get('/api/schema')).body;
    const get = doc.paths['/api/trajectories'].get;
    expect(get.security).toEqual([{ adminToken: [] }, { sessionCookie: [] }]);
    expect(Object.keys(get.responses['200'].content['application/json'].schema.properties)).toEqual(['trajectories']);
  });
});

describe('steward-hub trajectories export (a real process beside the running hub)', () => {
  it('--format openai: each request as the chat a model should learn, tool calls and acknowledged results included', async () => {
    const { lines, stderr } = await exportJsonl(t.dataDir, '--format', 'openai');
    const all = await trajectories('?limit=1000');
    expect(lines).toHaveLength(all.length);
    expect(stderr).toContain(`exported ${all.length} trajectories`);
    // oldest first: the living room light
    const [light] = lines;
    expect(light!.messages).toHaveLength(4);
    expect(light!.messages[0]).toEqual({ role: 'user', content: 'turn on the living room light' });
    expect(light!.messages[1]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'turn_on', arguments: JSON.stringify({ device_ids: ['living_room_light'] }) } }],
    });
    expect(light!.messages[2]).toMatchObject({ role: 'tool', tool_call_id: 'call_1' });
    expect(JSON.parse(light!.messages[2].content)).toMatchObject({ device_id: 'living_room_light', ok: true, state: { on: true } });
    expect(light!.messages[3]).toEqual({ role: 'assistant', content: sent.light!.reply });

    const ac = lines.find((l) => l.messages[0].content === '把客厅空调调到二十四度')!;
    const calls = ac.messages[1].tool_calls.map((c: any) => [c.function.name, JSON.parse(c.function.arguments)]);
    expect(calls).toContainEqual(['set_target_temperature', { device_ids: ['living_room_ac'], celsius: 24 }]);
    expect(ac.messages.at(-1)).toEqual({ role: 'assistant', content: sent.ac!.reply });

    // the corrected request keeps its context, but nothing is learnt from its answers
    const lamp = lines.find((l) => l.messages[0].content === 'turn on the floor lamp')!;
    const assistants = lamp.messages.filter((m: any) => m.role === 'assistant');
    expect(assistants.length).toBe(2);
    expect(assistants.every((m: any) => m.weight === 0)).toBe(true);
    expect(light!.messages.some((m: any) => 'weight' in m)).toBe(false);
  });

  it('--format sharegpt: function_call and observation turns; corrected requests left out; --since filters', async () => {
    const { lines, stderr } = await exportJsonl(t.dataDir, '--format', 'sharegpt');
    const all = await trajectories('?limit=1000');
    expect(lines).toHaveLength(all.length - 1);
    expect(stderr).toMatch(/1 corrected ones left out/);
    expect(lines[0]!.conversations).toEqual([
      { from: 'human', value: 'turn on the living room light' },
      { from: 'function_call', value: JSON.stringify({ name: 'turn_on', arguments: { device_ids: ['living_room_light'] } }) },
      { from: 'observation', value: expect.stringContaining('"device_id":"living_room_light","ok":true') },
      { from: 'gpt', value: sent.light!.reply },
    ]);
    const since = all.find((x) => x.text === 'good night')!.startedAt;
    const later = await exportJsonl(t.dataDir, '--format', 'sharegpt', '--since', since);
    expect(later.lines[0]!.conversations[0]).toEqual({ from: 'human', value: 'good night' });
  });

  it('--redact: none of the names of the home survive, placeholders are stable, values stay', async () => {
    const { lines } = await exportJsonl(t.dataDir, '--format', 'openai', '--redact');
    const out = lines.map((l) => JSON.stringify(l)).join('\n');
    const home = benchmarkHome();
    const names = [...home.areas, ...home.devices, ...home.nodes, ...home.scenes].flatMap((e) => [e.id, ...Object.values(e.names).flat()]);
    expect(names.length).toBeGreaterThan(150);
    // JSON escapes apostrophes nowhere and keeps Chinese as is; Latin names are checked as words (a "car" inside
    // "scared" is not a name), Chinese ones anywhere
    const left = names.filter((n) =>
      /\p{Script=Han}/u.test(n) ? out.includes(n) : new RegExp(`(?<![\\p{L}\\p{N}_])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}_])`, 'iu').test(out),
    );
    expect(left).toEqual([]);

    const light = lines[0]!;
    expect(light.messages[0].content).toMatch(/^turn on the DEVICE_\d+$/);
    const placeholder = light.messages[0].content.split(' ').at(-1);
    // the same device has the same placeholder in the text, the tool call and its result
    expect(JSON.parse(light.messages[1].tool_calls[0].function.arguments)).toEqual({ device_ids: [placeholder] });
    expect(JSON.parse(light.messages[2].content)).toMatchObject({ device_id: placeholder, ok: true, state: { on: true } });
    expect(light.messages[1].tool_calls[0].function.name).toBe('turn_on');
    const ac = lines.find((l) => l.messages[0].content.includes('二十四度'))!;
    expect(ac.messages[0].content).toMatch(/^把(DEVICE_\d+)调到二十四度$/);
    expect(ac.messages[1].tool_calls.map((c: any) => JSON.parse(c.function.arguments))).toContainEqual({ device_ids: [expect.stringMatching(/^DEVICE_\d+$/)], celsius: 24 });
    const night = lines.find((l) => l.messages[1]?.tool_calls?.[0]?.function.name === 'run_scene')!;
    expect(night.messages[0].content).toMatch(/^SCENE_\d+$/);
  });
});

describe('steward-hub trajectories: bad use', () => {
  const runCli = (...args: string[]) =>
    run(process.execPath, [HUB_BIN, 'trajectories', ...args]).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );

  it('--help names the export and the retention flags', async () => {
    const { stdout } = await run(process.execPath, [HUB_BIN, '--help']);
    expect(stdout).toContain('steward-hub trajectories export --format openai|sharegpt [--redact] [--since T] [--data-dir D]');
    expect(stdout).toMatch(/--trajectories-max-count N .*\[STEWARD_TRAJECTORIES_MAX_COUNT\]/);
    expect(stdout).toMatch(/--trajectories-max-age-days D/);
  });

  it('refuses an unknown format or since with exit code 2, a missing database with 1, each saying why', async () => {
    const bad = await runCli('export', '--format', 'xml', '--data-dir', t.dataDir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format must be openai or sharegpt/);
    const since = await runCli('export', '--format', 'openai', '--since', 'last week', '--data-dir', t.dataDir);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/--since: since is an ISO time/);
    const missing = await runCli('export', '--format', 'openai', '--data-dir', join(t.dataDir, 'nowhere'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no hub database at .*nowhere.*steward\.db/);
  });
});

describe('retention', () => {
  it('keeps the newest maxCount trajectories of a running hub', async () => {
    const h = await startTestHub({ homeFile: BENCHMARK_HOME, trajectories: { maxCount: 3 } });
    try {
      const texts = ['turn on the kitchen light', 'turn off the kitchen light', 'what is the temperature', 'good night', '打开客厅灯'];
      for (const text of texts) expect((await h.api.post('/api/command', { text })).status).toBe(200);
      const r = await h.api.get('/api/trajectories?limit=100');
      expect(r.body.trajectories.map((x: Trajectory) => x.text)).toEqual(texts.slice(2).reverse());
    } finally {
      await h.stop();
    }
  });

  it('deletes trajectories older than maxAgeDays on the next write', () => {
    const db = new Database(':memory:');
    const store = new TrajectoryStore(db, { maxAgeDays: 30 });
    const now = Date.UTC(2026, 10, 30);
    const base = { conversationId: 'c', path: 'rules' as const, source: 'api' as const, lang: 'en', reply: 'ok', ok: true, steps: [] };
    store.insert({ ...base, id: 'old', text: 'old', startedAt: now - 40 * 86_400_000, finishedAt: now - 40 * 86_400_000 }, now - 40 * 86_400_000);
    store.insert({ ...base, id: 'recent', text: 'recent', startedAt: now - 29 * 86_400_000, finishedAt: now - 29 * 86_400_000 }, now - 29 * 86_400_000);
    expect(store.count()).toBe(2);
    store.insert({ ...base, id: 'new', text: 'new', startedAt: now, finishedAt: now }, now);
    expect(store.list().map((x) => x.id)).toEqual(['new', 'recent']);
  });
});
