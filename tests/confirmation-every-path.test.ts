/**
 * One confirmation rule on every path (issue 9, item 5), with real parts: the real hub, its embedded broker and
 * node-agent processes for the hallway (front door lock, hallway light) and the car (trunk). A change a device's
 * `confirm` lists becomes one pending record whether it came from a sentence, a scene or the direct device API; the
 * lock's reported state does not move until the owner settles that record, through `POST /api/confirmations/:id` or
 * a "yes" in the conversation. Assertions read what the node agents themselves publish.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NodeReports } from './helpers/hub-nodes.ts';
import { subsetHome, writeHomeFile } from './helpers/hub-home.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';
import { waitUntil } from './helpers/wait.ts';

const base = subsetHome(['hallway-gateway', 'car-head-unit']);
// a scene that unlocks: held like a sentence, and recorded as coming from a scene
const home = {
  ...base,
  scenes: [...base.scenes, { id: 'arrival', names: { en: ['arrival mode'], zh: ['回家模式'] }, states: { front_door_lock: { locked: false }, hallway_light: { on: true } } }],
};
/** short enough to see a record expire, long enough for every other step */
const TTL_MS = 4000;

let t: TestHub;
let nodes: NodeReports;
let n = 0;
const cid = () => `every-path-${n}`;

beforeAll(async () => {
  t = await startTestHub({ homeFile: writeHomeFile(home), demo: true, conversation: { confirmTtlMs: TTL_MS } });
  nodes = await NodeReports.connect(t.hub.mqttUrl, home, await t.mqttAdmin());
}, 90_000);

afterAll(async () => {
  await nodes?.close();
  await t?.stop();
});

beforeEach(async () => {
  n += 1;
  await t.hub.resetDevices();
  t.hub.pipeline.confirmations.clear();
  await nodes.waitForValue('front_door_lock', 'locked', true);
});

/** the lock as its node reports it, and as the node's own drivers hold it */
async function lockState(): Promise<boolean> {
  const snap = await nodes.snapshot('hallway-gateway');
  expect(nodes.value('front_door_lock', 'locked')).toBe(snap.front_door_lock!.state.locked);
  return snap.front_door_lock!.state.locked as boolean;
}

/** nothing moves while a record waits: a short wait, then the node still says locked */
async function stillLocked(): Promise<void> {
  await new Promise((r) => setTimeout(r, 300));
  expect(await lockState()).toBe(true);
}

describe('the direct device API', () => {
  it('answers 202 awaiting_confirmation for an unlock; the lock stays locked until POST /api/confirmations/:id confirms', async () => {
    const r = await t.api.post('/api/devices/front_door_lock/commands', { command: 'unlock' });
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ status: 'awaiting_confirmation', confirmationId: expect.any(String), expiresAt: expect.any(String), summary: 'Unlock the front door' });
    const expiresIn = Date.parse(r.body.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(TTL_MS - 1500);
    expect(expiresIn).toBeLessThanOrEqual(TTL_MS);
    await stillLocked();

    const listed = await t.api.get('/api/confirmations');
    expect(listed.status).toBe(200);
    expect(listed.body.confirmations).toEqual([
      {
        confirmationId: r.body.confirmationId,
        expiresAt: r.body.expiresAt,
        summary: 'Unlock the front door',
        source: 'api',
        createdAt: expect.any(String),
        actions: [{ deviceId: 'front_door_lock', command: 'unlock', params: {} }],
      },
    ]);

    const settled = await t.api.post(`/api/confirmations/${r.body.confirmationId}`, { decision: 'confirm' });
    expect(settled.status).toBe(200);
    expect(settled.body).toEqual({
      confirmationId: r.body.confirmationId,
      status: 'executed',
      actions: [{ deviceId: 'front_door_lock', command: 'unlock', params: {}, ok: true, state: { locked: false } }],
    });
    await nodes.waitForValue('front_door_lock', 'locked', false);
    expect(await lockState()).toBe(false);
    expect((await t.api.get('/api/confirmations')).body.confirmations).toEqual([]);
    // a confirmed change is audited with who said yes and from where
    expect(t.hub.security.audit.list({ kind: 'command.sensitive', subject: 'front_door_lock' })[0]).toMatchObject({
      actor: 'admin',
      source: '127.0.0.1',
      detail: { command: 'unlock', ok: true, via: 'api', from: 'api' },
    });
    // settled once: a second answer is a conflict, not a second unlock
    const again = await t.api.post(`/api/confirmations/${r.body.confirmationId}`, { decision: 'confirm' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');
  });

  it('runs a change no rule covers at once (a lock, a light): 200 with the acknowledged state', async () => {
    const lock = await t.api.post('/api/devices/front_door_lock/commands', { command: 'lock' });
    expect(lock.status).toBe(200);
    expect(lock.body).toMatchObject({ deviceId: 'front_door_lock', ok: true, state: { locked: true } });
    const light = await t.api.post('/api/devices/hallway_light/commands', { command: 'turnOn' });
    expect(light.status).toBe(200);
    await nodes.waitForValue('hallway_light', 'on', true);
    expect((await t.api.get('/api/confirmations')).body.confirmations).toEqual([]);
  });

  it('cancel drops the record: nothing happens, and it cannot be confirmed afterwards', async () => {
    const r = await t.api.post('/api/devices/car_trunk/commands', { command: 'open' });
    expect(r.status).toBe(202);
    expect(r.body.summary).toBe('Open the trunk');
    const cancelled = await t.api.post(`/api/confirmations/${r.body.confirmationId}`, { decision: 'cancel' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toEqual({ confirmationId: r.body.confirmationId, status: 'cancelled', actions: [] });
    const late = await t.api.post(`/api/confirmations/${r.body.confirmationId}`, { decision: 'confirm' });
    expect(late.status).toBe(409);
    await new Promise((res) => setTimeout(res, 300));
    expect((await nodes.snapshot('car-head-unit')).car_trunk!.state.position).toBe(0);
    expect(nodes.value('car_trunk', 'position')).toBe(0);
  });

  it('a record expires after its TTL: 410 EXPIRED, the lock never moved, the list is empty', async () => {
    const r = await t.api.post('/api/devices/front_door_lock/commands', { command: 'unlock' });
    expect(r.status).toBe(202);
    await waitUntil(() => Date.now() > Date.parse(r.body.expiresAt) + 50, 'the record to expire', TTL_MS + 2000);
    expect((await t.api.get('/api/confirmations')).body.confirmations).toEqual([]);
    const late = await t.api.post(`/api/confirmations/${r.body.confirmationId}`, { decision: 'confirm' });
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('EXPIRED');
    expect(await lockState()).toBe(true);
  });

  it('an unknown id is 404 NOT_FOUND; a bad decision 400; settling needs the admin token', async () => {
    const unknown = await t.api.post('/api/confirmations/00000000-0000-4000-8000-000000000000', { decision: 'confirm' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const r = await t.api.post('/api/devices/front_door_lock/commands', { command: 'unlock' });
    expect(r.status).toBe(202);
    const bad = await t.api.post(`/api/confirmations/${r.body.confirmationId}`, { decision: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('BAD_REQUEST');
    const anon = await t.anon.post(`/api/confirmations/${r.body.confirmationId}`, { decision: 'confirm' });
    expect(anon.status).toBe(401);
    // unanswered by anyone with the token: still pending, still locked
    expect((await t.api.get('/api/confirmations')).body.confirmations.map((c: { confirmationId: string }) => c.confirmationId)).toEqual([r.body.confirmationId]);
    expect(await lockState()).toBe(true);
  });
});

describe('the API description', () => {
  it('documents the confirmation endpoints and the 202 of the device API from their zod schemas', async () => {
    const doc = (await t.anon.get('/api/schema')).body;
    const settle = doc.paths['/api/confirmations/{id}'].post;
    expect(settle.security).toEqual([{ adminToken: [] }, { sessionCookie: [] }]);
    expect(settle.requestBody.content['application/json'].schema.properties.decision.enum).toEqual(['confirm', 'cancel']);
    expect(Object.keys(settle.responses).sort()).toEqual(['200', '400', '401', '404', '409', '410']);
    expect(settle.responses['200'].content['application/json'].schema.properties.status.enum).toEqual(['executed', 'scheduled', 'cancelled']);
    expect(doc.paths['/api/confirmations'].get.responses['200'].content['application/json'].schema.required).toEqual(['confirmations']);
    const direct = doc.paths['/api/devices/{id}/commands'].post.responses['202'].content['application/json'].schema;
    expect(direct.properties.status.const).toBe('awaiting_confirmation');
    expect(direct.required.sort()).toEqual(['confirmationId', 'expiresAt', 'status', 'summary']);
    const command = doc.paths['/api/command'].post.responses['200'].content['application/json'].schema;
    expect(command.properties.confirmation.required.sort()).toEqual(['confirmationId', 'expiresAt', 'summary']);
  });
});

describe('a sentence and a scene', () => {
  it('"unlock the front door" carries a confirmation record; the same endpoint settles it', async () => {
    const r = await t.api.post('/api/command', { text: 'unlock the front door', conversationId: cid() });
    expect(r.status).toBe(200);
    expect(r.body.awaitingConfirmation).toBe(true);
    expect(r.body.actions).toEqual([]);
    expect(r.body.confirmation).toEqual({ confirmationId: expect.any(String), expiresAt: expect.any(String), summary: 'Unlock the front door' });
    await stillLocked();
    const listed = (await t.api.get('/api/confirmations')).body.confirmations;
    expect(listed).toEqual([expect.objectContaining({ confirmationId: r.body.confirmation.confirmationId, source: 'sentence', conversationId: cid() })]);

    const settled = await t.api.post(`/api/confirmations/${r.body.confirmation.confirmationId}`, { decision: 'confirm' });
    expect(settled.status).toBe(200);
    expect(settled.body.actions).toEqual([expect.objectContaining({ deviceId: 'front_door_lock', command: 'unlock', ok: true, state: { locked: false } })]);
    await nodes.waitForValue('front_door_lock', 'locked', false);
    expect(await lockState()).toBe(false);
    // the conversation's "yes" finds the record settled: nothing is run twice
    const yes = await t.api.post('/api/command', { text: 'yes', conversationId: cid() });
    expect(yes.body).toMatchObject({ actions: [], awaitingConfirmation: false, reply: 'There is nothing waiting for confirmation.' });
  });

  it('"yes" in the conversation settles the same record the API lists', async () => {
    const r = await t.api.post('/api/command', { text: '打开门锁', conversationId: cid() });
    expect(r.body.awaitingConfirmation).toBe(true);
    expect(r.body.confirmation.summary).toBe('打开门锁');
    const id = r.body.confirmation.confirmationId;
    expect((await t.api.get('/api/confirmations')).body.confirmations.map((c: { confirmationId: string }) => c.confirmationId)).toEqual([id]);
    await stillLocked();
    const yes = await t.api.post('/api/command', { text: '确认', conversationId: cid() });
    expect(yes.body.actions).toEqual([expect.objectContaining({ deviceId: 'front_door_lock', command: 'unlock', ok: true })]);
    expect(yes.body.awaitingConfirmation).toBe(false);
    expect(yes.body.confirmation).toBeUndefined();
    await nodes.waitForValue('front_door_lock', 'locked', false);
    expect((await t.api.get('/api/confirmations')).body.confirmations).toEqual([]);
    const again = await t.api.post(`/api/confirmations/${id}`, { decision: 'confirm' });
    expect(again.status).toBe(409);
  });

  it('"no" in the conversation drops the record', async () => {
    const r = await t.api.post('/api/command', { text: 'unlock the front door', conversationId: cid() });
    const id = r.body.confirmation.confirmationId;
    const no = await t.api.post('/api/command', { text: 'no', conversationId: cid() });
    expect(no.body).toMatchObject({ actions: [], awaitingConfirmation: false, reply: "OK, I won't do that." });
    expect((await t.api.post(`/api/confirmations/${id}`, { decision: 'confirm' })).status).toBe(409);
    expect(await lockState()).toBe(true);
  });

  it('a scene that unlocks runs what needs no confirmation and holds the unlock as a scene record', async () => {
    const r = await t.api.post('/api/command', { text: 'arrival mode', conversationId: cid() });
    expect(r.status).toBe(200);
    expect(r.body.actions).toEqual([expect.objectContaining({ deviceId: 'hallway_light', ok: true })]);
    expect(r.body.awaitingConfirmation).toBe(true);
    await nodes.waitForValue('hallway_light', 'on', true);
    await stillLocked();
    const [record] = (await t.api.get('/api/confirmations')).body.confirmations;
    expect(record).toMatchObject({ confirmationId: r.body.confirmation.confirmationId, source: 'scene', actions: [{ deviceId: 'front_door_lock', command: 'unlock' }] });
    const settled = await t.api.post(`/api/confirmations/${record.confirmationId}`, { decision: 'confirm' });
    expect(settled.body.status).toBe('executed');
    await nodes.waitForValue('front_door_lock', 'locked', false);
  });

  it('a newer held request in the same conversation replaces the older one', async () => {
    const first = await t.api.post('/api/command', { text: 'unlock the front door', conversationId: cid() });
    const second = await t.api.post('/api/command', { text: 'open the trunk', conversationId: cid() });
    const listed = (await t.api.get('/api/confirmations')).body.confirmations;
    expect(listed.map((c: { confirmationId: string }) => c.confirmationId)).toEqual([second.body.confirmation.confirmationId]);
    expect((await t.api.post(`/api/confirmations/${first.body.confirmation.confirmationId}`, { decision: 'confirm' })).status).toBe(409);
    expect(await lockState()).toBe(true);
  });
});
