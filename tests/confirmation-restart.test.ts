/**
 * A change waiting for the owner's yes survives a hub restart: the hub runs as its own process (`steward-hub`, with
 * its demo's real node-agent processes) and is stopped and started again on the same data folder. A pending
 * confirmation comes back with its original expiry (GET /api/confirmations, the events snapshot), runs exactly once
 * when confirmed after the restart (a second confirm is refused with 409, also after yet another restart), a "yes"
 * in the same conversation settles it as before, and one whose expiry passed while the hub was down is `expired`
 * and never runs. What the lock does is read from the node agent over MQTT, not from the hub.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { benchmarkHome } from './helpers/agents.ts';
import { subsetHome, writeHomeFile } from './helpers/hub-home.ts';
import { startHubProcess, type HubProcess } from './helpers/steward-hub-process.ts';
import { openEvents } from './helpers/sse.ts';
import { waitUntil } from './helpers/wait.ts';

const home = subsetHome(['hallway-gateway']);
const homeFile = writeHomeFile(home);
const dirs: string[] = [];

let running: HubProcess | undefined;

/** `steward-hub` as a real process on `dataDir` with its demo (the hallway node); resolves once the node is online */
async function startHub(dataDir: string, confirmTtlMs: number): Promise<HubProcess> {
  running = await startHubProcess({ home, homeFile, dataDir, confirmTtlMs });
  return running;
}

async function stopHub(): Promise<void> {
  if (!running) return;
  const { proc, nodes } = running;
  running = undefined;
  await nodes.close();
  await proc.stop(20_000);
  expect(await proc.exited).toEqual({ code: 0, signal: null });
}

function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'steward-confirm-restart-'));
  dirs.push(d);
  return d;
}

/** what the lock's node itself holds */
async function locked(h: HubProcess): Promise<boolean> {
  return (await h.nodes.snapshot('hallway-gateway')).front_door_lock!.state.locked as boolean;
}

function rows(dir: string): { id: string; status: string; result: string | null }[] {
  const db = new Database(join(dir, 'steward.db'), { readonly: true });
  try {
    return db.prepare(`SELECT id, status, result FROM confirmations ORDER BY created_at`).all() as { id: string; status: string; result: string | null }[];
  } finally {
    db.close();
  }
}

const UNLOCK = [{ deviceId: 'front_door_lock', command: 'unlock', params: {} }];

afterEach(async () => {
  if (running) await running.proc.stop(5_000);
  await running?.nodes.close();
  running = undefined;
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('pending confirmations across a hub restart', { timeout: 240_000 }, () => {
  it('an acknowledged "unlock the front door?" comes back with its expiry and, confirmed after the restart, runs exactly once', async () => {
    expect(benchmarkHome().devices.find((d) => d.id === 'front_door_lock')!.confirm).toEqual(['unlock']);
    const dir = dataDir();
    let h = await startHub(dir, 120_000);
    expect(await locked(h)).toBe(true);
    const asked = await h.api.post('/api/devices/front_door_lock/commands', { command: 'unlock' });
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ status: 'awaiting_confirmation', summary: expect.stringMatching(/front door/i) });
    const { confirmationId: id, expiresAt } = asked.body;
    // committed before the 202 left: a second connection to the file sees it
    expect(rows(dir)).toEqual([{ id, status: 'pending', result: null }]);
    const before = (await h.api.get('/api/confirmations')).body.confirmations;
    expect(before).toEqual([expect.objectContaining({ confirmationId: id, expiresAt, source: 'api', actions: UNLOCK })]);
    await stopHub();

    h = await startHub(dir, 120_000);
    // the same record, with its original expiry (not a fresh TTL from the restart)
    expect((await h.api.get('/api/confirmations')).body.confirmations).toEqual(before);
    const events = await openEvents(`${h.url}/api/events`, { authorization: `Bearer ${h.token}` });
    try {
      const snapshot = await events.next((e) => e.event === 'snapshot', 'the snapshot');
      expect(snapshot.data.confirmations).toEqual(before);
      expect(await locked(h)).toBe(true);

      const yes = await h.api.post(`/api/confirmations/${id}`, { decision: 'confirm' });
      expect(yes.status).toBe(200);
      expect(yes.body).toMatchObject({ confirmationId: id, status: 'executed', actions: [expect.objectContaining({ deviceId: 'front_door_lock', command: 'unlock', ok: true })] });
      await h.nodes.waitForValue('front_door_lock', 'locked', false);
      const settled = await events.next((e) => e.event === 'confirmation' && e.data.action === 'confirmed', 'the confirmed event');
      expect(settled.data.confirmation).toMatchObject({ confirmationId: id });
    } finally {
      events.close();
    }
    expect(rows(dir)).toEqual([{ id, status: 'confirmed', result: expect.stringContaining('"status":"executed"') }]);
    expect((await h.api.get('/api/confirmations')).body.confirmations).toEqual([]);

    // the owner locks it again by hand (no confirmation needed); a repeated yes must not unlock it a second time
    expect((await h.api.post('/api/devices/front_door_lock/commands', { command: 'lock' })).status).toBe(200);
    await h.nodes.waitForValue('front_door_lock', 'locked', true);
    const again = await h.api.post(`/api/confirmations/${id}`, { decision: 'confirm' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already confirmed/) });
    await stopHub();

    // and after yet another restart: the answer is still "already confirmed", and the door stays locked
    h = await startHub(dir, 120_000);
    expect((await h.api.get('/api/confirmations')).body.confirmations).toEqual([]);
    const late = await h.api.post(`/api/confirmations/${id}`, { decision: 'confirm' });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already confirmed/) });
    expect(await locked(h)).toBe(true);
  });

  it('a "yes" in the same conversation after the restart settles the question the hub asked before it', async () => {
    const dir = dataDir();
    let h = await startHub(dir, 120_000);
    const conversationId = 'front-door-talk';
    const asked = await h.api.post('/api/command', { text: 'unlock the front door', conversationId });
    expect(asked.status).toBe(200);
    expect(asked.body).toMatchObject({ awaitingConfirmation: true, actions: [] });
    const id = asked.body.confirmation.confirmationId;
    await stopHub();

    h = await startHub(dir, 120_000);
    expect(await locked(h)).toBe(true);
    expect((await h.api.get('/api/confirmations')).body.confirmations).toEqual([
      expect.objectContaining({ confirmationId: id, conversationId, source: 'sentence', actions: UNLOCK }),
    ]);
    const yes = await h.api.post('/api/command', { text: 'yes', conversationId });
    expect(yes.body).toMatchObject({ awaitingConfirmation: false, actions: [expect.objectContaining({ deviceId: 'front_door_lock', command: 'unlock', ok: true })] });
    await h.nodes.waitForValue('front_door_lock', 'locked', false);
    // a second "yes" has nothing left to confirm, and the API's answer says it was settled
    const twice = await h.api.post('/api/command', { text: 'yes', conversationId });
    expect(twice.body).toMatchObject({ awaitingConfirmation: false, actions: [] });
    expect((await h.api.post(`/api/confirmations/${id}`, { decision: 'confirm' })).status).toBe(409);
    expect(rows(dir)).toEqual([{ id, status: 'confirmed', result: expect.stringContaining('"status":"executed"') }]);

    // a "yes" in another conversation never settles it: only its own conversation or the API can
    expect((await h.api.post('/api/devices/front_door_lock/commands', { command: 'lock' })).status).toBe(200);
    const other = await h.api.post('/api/command', { text: 'unlock the front door', conversationId });
    const otherId = other.body.confirmation.confirmationId;
    await stopHub();
    h = await startHub(dir, 120_000);
    const stranger = await h.api.post('/api/command', { text: 'yes', conversationId: 'someone-else' });
    expect(stranger.body).toMatchObject({ awaitingConfirmation: false, actions: [] });
    expect((await h.api.get('/api/confirmations')).body.confirmations.map((c: { confirmationId: string }) => c.confirmationId)).toEqual([otherId]);
    expect(await locked(h)).toBe(true);
  });

  it('one that expired while the hub was down is expired after the restart and never runs', async () => {
    const dir = dataDir();
    let h = await startHub(dir, 3_000);
    const asked = await h.api.post('/api/command', { text: 'unlock the front door', conversationId: 'late' });
    const id = asked.body.confirmation.confirmationId;
    const expiresAt = Date.parse(asked.body.confirmation.expiresAt);
    await stopHub();
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now()) + 200));

    h = await startHub(dir, 3_000);
    expect((await h.api.get('/api/confirmations')).body.confirmations).toEqual([]);
    expect(rows(dir)).toEqual([{ id, status: 'expired', result: null }]);
    const r = await h.api.post(`/api/confirmations/${id}`, { decision: 'confirm' });
    expect(r.status).toBe(410);
    expect(r.body.error.code).toBe('EXPIRED');
    const yes = await h.api.post('/api/command', { text: 'yes', conversationId: 'late' });
    expect(yes.body).toMatchObject({ awaitingConfirmation: false, actions: [] });
    expect(await locked(h)).toBe(true);
  });

  it('one restored with time left expires at its original time, told on the event stream', async () => {
    const dir = dataDir();
    let h = await startHub(dir, 20_000);
    const asked = await h.api.post('/api/devices/front_door_lock/commands', { command: 'unlock' });
    const { confirmationId: id, expiresAt } = asked.body;
    await stopHub();
    h = await startHub(dir, 20_000);
    expect(Date.now()).toBeLessThan(Date.parse(expiresAt));
    const events = await openEvents(`${h.url}/api/events`, { authorization: `Bearer ${h.token}` });
    try {
      const expired = await events.next((e) => e.event === 'confirmation' && e.data.action === 'expired', 'the expired event', 40_000);
      expect(expired.data.confirmation).toMatchObject({ confirmationId: id, expiresAt });
      // the timer of the restored record, not a fresh TTL: it fires at the original expiry (timers are not early)
      expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
      expect(Date.now()).toBeLessThan(Date.parse(expiresAt) + 10_000);
    } finally {
      events.close();
    }
    expect((await h.api.post(`/api/confirmations/${id}`, { decision: 'confirm' })).status).toBe(410);
    expect(rows(dir)).toEqual([{ id, status: 'expired', result: null }]);
    expect(await locked(h)).toBe(true);
  });
});
