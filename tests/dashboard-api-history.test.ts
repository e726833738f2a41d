/**
 * GET /api/devices/:id/history against a real hub running the demo home (real agents, real SQLite): the points a
 * device reported after commands, per field, in time order; validated queries; kept across a restart; and the age
 * retention applied at start.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestHub, tempDataDir, type TestHub } from './helpers/hub-start.ts';

const homeFile = resolve(import.meta.dirname, '..', 'hub', 'src', 'demo', 'demo-home.json');
const dataDir = tempDataDir();
const running: { hub?: TestHub } = {};

afterAll(async () => {
  await running.hub?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('device state history', () => {
  let t0 = 0;
  let expected: { t: number; field: string; value: unknown }[] = [];

  it('records what the device reported after each command, per field, in time order', async () => {
    const t = (running.hub = await startTestHub({ homeFile, demo: true, dataDir }));
    t0 = Date.now();
    const set = (brightness: number) => t.api.post('/api/devices/living_room_light/commands', { command: 'setBrightness', params: { brightness } });
    expect((await set(35)).status).toBe(200);
    expect((await t.api.post('/api/devices/living_room_light/commands', { command: 'turnOn' })).status).toBe(200);
    expect((await set(80)).status).toBe(200);
    const t1 = Date.now();

    const brightness = await t.anon.get(`/api/devices/living_room_light/history?since=${t0}&field=brightness`);
    expect(brightness.status).toBe(200);
    expect(brightness.body.deviceId).toBe('living_room_light');
    expect(brightness.body.points.map((p: { field: string; value: unknown }) => [p.field, p.value])).toEqual([
      ['brightness', 35],
      ['brightness', 80],
    ]);
    for (const p of brightness.body.points) expect(p.t).toBeGreaterThanOrEqual(t0), expect(p.t).toBeLessThanOrEqual(t1);

    const all = await t.anon.get(`/api/devices/living_room_light/history?since=${new Date(t0).toISOString()}`);
    expect(all.body.points.map((p: { field: string; value: unknown }) => [p.field, p.value])).toEqual([
      ['brightness', 35],
      ['on', true],
      ['brightness', 80],
    ]);
    const ts = all.body.points.map((p: { t: number }) => p.t);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expected = all.body.points;

    // the newest N when limited
    expect((await t.anon.get(`/api/devices/living_room_light/history?since=${t0}&limit=1`)).body.points).toEqual([expected[2]]);
    // a day back by default: the same points (and the home's initial report before them)
    const byDefault = (await t.anon.get('/api/devices/living_room_light/history?field=brightness')).body.points;
    expect(byDefault.slice(-2).map((p: { value: number }) => p.value)).toEqual([35, 80]);
    // a thermostat's target, a float field
    expect((await t.api.post('/api/devices/living_room_ac/commands', { command: 'setTargetTemperature', params: { celsius: 23 } })).status).toBe(200);
    const target = await t.anon.get(`/api/devices/living_room_ac/history?since=${t0}&field=targetC`);
    expect(target.body.points.map((p: { value: number }) => p.value)).toEqual([23]);
  });

  it('refuses bad queries with the field named; 404 for an unknown device', async () => {
    const t = running.hub!;
    const bad = async (query: string) => (await t.anon.get(`/api/devices/living_room_light/history?${query}`)).body.error;
    expect(await bad('since=yesterday')).toEqual({ code: 'BAD_REQUEST', message: 'query.since: since is an ISO time (2026-11-30T12:00:00Z) or milliseconds since the epoch' });
    expect((await bad('field=volume')).message).toBe('query.field: living_room_light has no field volume (its numeric, enum and boolean fields: on, brightness, colorTempK)');
    expect((await bad('field=bad-name')).code).toBe('BAD_REQUEST');
    expect((await bad('limit=0')).code).toBe('BAD_REQUEST');
    expect((await bad('limit=10001')).code).toBe('BAD_REQUEST');
    expect((await bad('other=1')).code).toBe('BAD_REQUEST');
    const unknown = await t.anon.get('/api/devices/no_such_thing/history');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('UNKNOWN_DEVICE');
    // an enum is history too: the TV's input
    expect((await t.anon.get('/api/devices/lounge_tv/history?field=input')).status).toBe(200);
    // described with its query parameters
    const doc = (await t.anon.get('/api/schema')).body.paths['/api/devices/{id}/history'].get;
    expect(doc.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(['path:id', 'query:since', 'query:field', 'query:limit']);
  });

  it('survives a restart; the age retention deletes older points when the hub starts', async () => {
    await running.hub!.stop();
    let t = (running.hub = await startTestHub({ homeFile, demo: true, dataDir }));
    const after = await t.anon.get(`/api/devices/living_room_light/history?since=${t0}`);
    // the restarted agents report the state they kept: nothing changed, nothing new
    expect(after.body.points).toEqual(expected);
    await t.stop();

    // a retention shorter than the time since those points: gone at the next start
    await new Promise((r) => setTimeout(r, 200));
    t = running.hub = await startTestHub({ dataDir, history: { maxAgeDays: 100 / 86_400_000 } });
    expect((await t.anon.get(`/api/devices/living_room_light/history?since=${t0}`)).body.points).toEqual([]);
    expect(t.hub.feature('history').store.count()).toBe(0);
  });
});
