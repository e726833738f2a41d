/**
 * GET /api/commands against a real hub running the demo home (real agents, real SQLite), its planner pointed at a
 * scripted OpenAI-compatible server on loopback and voice through espeak-ng and pocketsphinx: typed, spoken, scene
 * and planner commands listed with their calls and acknowledged results, each also a `command` event; private
 * (token or session even on loopback); kept across a restart.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cookieClient } from './helpers/dashboard-http.ts';
import { startTestHub, tempDataDir, type TestHub } from './helpers/hub-start.ts';
import { startScriptedLlm, type ScriptedLlm } from './helpers/scripted-llm.ts';
import { postVoice, synthesize } from './helpers/speech.ts';
import { openEvents, type SseStream } from './helpers/sse.ts';

const homeFile = resolve(import.meta.dirname, '..', 'hub', 'src', 'demo', 'demo-home.json');
const dataDir = tempDataDir();
const running: { hub?: TestHub; llm?: ScriptedLlm; stream?: SseStream } = {};

afterAll(async () => {
  running.stream?.close();
  await running.hub?.stop();
  await running.llm?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('recent commands', () => {
  let listed: unknown[] = [];

  it('lists typed, scene, spoken and planner commands with their calls and results, newest first; each is a command event', async () => {
    const llm = (running.llm = await startScriptedLlm());
    const t = (running.hub = await startTestHub({ homeFile, demo: true, dataDir, llm: { url: llm.url, model: 'scripted' } }));
    const stream = (running.stream = await openEvents(`${t.hub.httpUrl}/api/events`, { authorization: `Bearer ${t.token}` }));
    await stream.next((e) => e.event === 'snapshot', 'the snapshot');

    const typed = await t.api.post('/api/command', { text: 'turn on the porch light', planner: 'never' });
    expect(typed.body.actions).toEqual([expect.objectContaining({ deviceId: 'porch_light', command: 'turnOn', ok: true })]);
    const scene = await t.api.post('/api/command', { text: 'movie night', planner: 'never' });
    expect(new Set(scene.body.actions.map((x: { deviceId: string }) => x.deviceId)).size).toBe(5);
    const spoken = await postVoice(t.hub.httpUrl, t.token, synthesize('turn off the porch light', 'espeak-en'));
    expect(spoken.status, JSON.stringify(spoken.body)).toBe(200);
    expect(spoken.body.transcript).toBe('turn off the porch light');
    llm.script([{ toolCalls: [{ id: 'p1', name: 'turn_on', arguments: { device_ids: ['desk_lamp'] } }] }, { content: 'The desk lamp is on.' }]);
    const planned = await t.api.post('/api/command', { text: 'make it cosy to work', planner: 'always' });
    expect(planned.body.path).toBe('planner');

    const { status, body } = await t.api.get('/api/commands?limit=10');
    expect(status).toBe(200);
    const commands = body.commands as Record<string, any>[];
    expect(commands.map((c) => [c.text, c.source, c.lang, c.ok])).toEqual([
      ['make it cosy to work', 'planner', 'en', true],
      ['turn off the porch light', 'voice', 'en', true],
      ['movie night', 'scene', 'en', true],
      ['turn on the porch light', 'api', 'en', true],
    ]);
    const [p, v, s, a] = commands;
    expect(a).toMatchObject({
      reply: typed.body.reply,
      actions: [{ name: 'turn_on', arguments: { device_ids: ['porch_light'] } }],
      results: [{ name: 'turn_on', ok: true, result: { device_id: 'porch_light', ok: true, state: { on: true } } }],
    });
    expect(s!.actions).toEqual([{ name: 'run_scene', arguments: { scene_id: 'movie_night' } }]);
    // one result per action the scene ran, each acknowledged (the living room light: on, then its brightness)
    expect(s!.results[0].result.results).toHaveLength(scene.body.actions.length);
    expect([...new Set(s!.results[0].result.results.map((r: { device_id: string }) => r.device_id))].sort()).toEqual(['living_room_blinds', 'living_room_light', 'lounge_tv', 'reading_lamp', 'soundbar']);
    expect(s!.results[0].result.results.every((r: { ok: boolean }) => r.ok)).toBe(true);
    expect(v).toMatchObject({ reply: spoken.body.reply, actions: [{ name: 'turn_off', arguments: { device_ids: ['porch_light'] } }], results: [{ ok: true, result: { state: { on: false } } }] });
    expect(p).toMatchObject({
      reply: 'The desk lamp is on.',
      actions: [{ name: 'turn_on', arguments: { device_ids: ['desk_lamp'] } }],
      results: [{ name: 'turn_on', ok: true, result: { results: [{ device_id: 'desk_lamp', ok: true, state: { on: true } }] } }],
    });
    for (const c of commands) expect(Date.parse(c.at)).toBeGreaterThan(Date.now() - 120_000);
    // the same ids as the trajectories they are
    const trajectories = (await t.api.get('/api/trajectories?limit=4')).body.trajectories.map((x: { id: string }) => x.id);
    expect(commands.map((c) => c.id)).toEqual(trajectories);

    // each was a command event, in order
    const events = stream.events.filter((e) => e.event === 'command').map((e) => e.data);
    expect(events.map((e) => [e.id, e.text, e.source, e.reply])).toEqual([...commands].reverse().map((c) => [c.id, c.text, c.source, c.reply]));

    expect((await t.api.get('/api/commands?limit=2')).body.commands.map((c: { id: string }) => c.id)).toEqual(commands.slice(0, 2).map((c) => c.id));
    listed = commands;
  });

  it('is private: the token or a session, even on loopback; the query is validated', async () => {
    const t = running.hub!;
    const anon = await t.anon.get('/api/commands');
    expect(anon.status).toBe(401);
    const browser = cookieClient(t.hub.httpUrl);
    await browser.request('POST', '/api/session', { body: { token: t.token } });
    const viaCookie = await browser.request('GET', '/api/commands?limit=1');
    expect(viaCookie.status).toBe(200);
    expect(viaCookie.body.commands).toHaveLength(1);
    for (const q of ['limit=0', 'limit=501', 'limit=many', 'since=1']) {
      const r = await t.api.get(`/api/commands?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe('BAD_REQUEST');
    }
    const doc = (await t.anon.get('/api/schema')).body.paths['/api/commands'].get;
    expect(doc.security).toEqual([{ adminToken: [] }, { sessionCookie: [] }]);
    expect(doc.parameters).toEqual([{ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } }]);
  });

  it('survives a restart (SQLite)', async () => {
    running.stream?.close();
    await running.hub!.stop();
    const t = (running.hub = await startTestHub({ dataDir }));
    expect((await t.api.get('/api/commands?limit=10')).body.commands).toEqual(listed);
  });
});
