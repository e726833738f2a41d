/**
 * A yes cut short by a crash is settled at the next start, never left `confirmed` without a result. The hub runs
 * as its own process (`steward-hub`, with its demo's real node-agent processes) and kills itself with SIGKILL at an
 * exact point of the yes (the test-only STEWARD_TEST_EXIT_AFTER_CONFIRM, hub/src/conversation/test-crash.ts): right
 * after the yes is committed (nothing sent yet), or right after the lock acknowledged (result not yet written).
 * Started again on the same data folder, the hub finds the record and: runs it when the yes is younger than the
 * confirmation's lifetime; records it as done without sending anything when the lock already holds the target; and
 * records INTERRUPTED (not run) when the yes is older. The lock's state is read from its node agent over MQTT; the
 * record through GET /api/confirmations/:id and SQLite; the audit log through GET /api/audit.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { homeViewFromHome } from '@steward/hub/understanding/index.ts';
import { heldBy } from '@steward/hub/conversation/interrupted.ts';
import { benchmarkHome } from './helpers/agents.ts';
import { subsetHome, writeHomeFile } from './helpers/hub-home.ts';
import { descendants } from './helpers/process-tree.mjs';
import { startHubProcess, type HubProcess } from './helpers/steward-hub-process.ts';
import { waitUntil } from './helpers/wait.ts';

const home = subsetHome(['hallway-gateway']);
const homeFile = writeHomeFile(home);
const dirs: string[] = [];

let running: HubProcess | undefined;

/** `steward-hub` on `dataDir` with its demo (the hallway node); `crash`: where it kills itself (test-only variable) */
async function startHub(dataDir: string, confirmTtlMs: number, crash?: '1' | 'after-run'): Promise<HubProcess> {
  const env = { ...process.env };
  delete env.STEWARD_TEST_EXIT_AFTER_CONFIRM;
  if (crash) env.STEWARD_TEST_EXIT_AFTER_CONFIRM = crash;
  running = await startHubProcess({ home, homeFile, dataDir, confirmTtlMs, env });
  return running;
}

/**
 * Says yes to `id` on a hub that kills itself on it: the request gets no answer, the hub ends by SIGKILL, and the
 * demo's processes it leaves (the agents follow on their own, by their stdin lifeline) are stopped by PID.
 */
async function confirmAndCrash(h: HubProcess, id: string): Promise<void> {
  const below = descendants(h.proc.pid);
  // the home's simulator and its one agent, for the hallway gateway
  const nodeOf = (pid: number) => /--node (\S+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '))?.[1];
  expect(below.map(nodeOf).filter((n) => n !== undefined)).toEqual(['hallway-gateway']);
  const answer = await h.api.post(`/api/confirmations/${id}`, { decision: 'confirm' }).catch((err: Error) => err);
  expect(answer).toBeInstanceOf(Error);
  expect(await h.proc.exited).toEqual({ code: null, signal: 'SIGKILL' });
  expect(h.proc.stderr.join('\n')).toMatch(/STEWARD_TEST_EXIT_AFTER_CONFIRM=\S+: killing the hub/);
  running = undefined;
  await h.nodes.close();
  // the demo's simulator has no lifeline to the hub: it and anything left below it are stopped here, by PID
  await waitUntil(() => below.every((pid) => !alive(pid)) || undefined, 'the demo processes to end', 5_000).catch(() => {
    for (const pid of below) if (alive(pid)) process.kill(pid, 'SIGKILL');
  });
  await waitUntil(() => below.every((pid) => !alive(pid)), 'the demo processes to be gone', 10_000);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'steward-confirm-crash-'));
  dirs.push(d);
  return d;
}

/** what the lock's node itself holds */
async function locked(h: HubProcess): Promise<boolean> {
  return (await h.nodes.snapshot('hallway-gateway')).front_door_lock!.state.locked as boolean;
}

function row(dir: string, id: string): { status: string; result: string | null } {
  const db = new Database(join(dir, 'steward.db'), { readonly: true });
  try {
    return db.prepare(`SELECT status, result FROM confirmations WHERE id = ?`).get(id) as { status: string; result: string | null };
  } finally {
    db.close();
  }
}

/** the record once the start settled it (GET /api/confirmations/:id) */
async function settled(h: HubProcess, id: string): Promise<any> {
  return waitUntil(
    async () => {
      const r = await h.api.get(`/api/confirmations/${id}`);
      expect(r.status).toBe(200);
      return r.body.result !== undefined && r.body;
    },
    `confirmation ${id} to be settled after the restart`,
    60_000,
    100,
  );
}

async function sensitiveAudit(h: HubProcess): Promise<any[]> {
  const r = await h.api.get('/api/audit?kind=command.sensitive&subject=front_door_lock');
  expect(r.status).toBe(200);
  return r.body.entries;
}

async function askUnlock(h: HubProcess): Promise<string> {
  const asked = await h.api.post('/api/devices/front_door_lock/commands', { command: 'unlock' });
  expect(asked.status).toBe(202);
  return asked.body.confirmationId;
}

const UNLOCK = { deviceId: 'front_door_lock', command: 'unlock', params: {} };

afterEach(async () => {
  const h = running;
  running = undefined;
  if (h) {
    const below = descendants(h.proc.pid);
    await h.proc.stop(20_000);
    for (const pid of below) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await h.nodes.close();
  }
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('a yes cut short by a kill -9 of the hub', { timeout: 240_000 }, () => {
  it('killed right after the yes was recorded: the next start, within the lifetime, unlocks once and records it', async () => {
    const dir = dataDir();
    let h = await startHub(dir, 60_000, '1');
    expect(await locked(h)).toBe(true);
    const id = await askUnlock(h);
    await confirmAndCrash(h, id);
    // the yes is committed and nothing ran: confirmed, no result (and `rerun` below: the node came back locked)
    expect(row(dir, id)).toEqual({ status: 'confirmed', result: null });

    h = await startHub(dir, 60_000);
    const record = await settled(h, id);
    expect(record).toMatchObject({
      confirmationId: id,
      status: 'confirmed',
      actions: [UNLOCK],
      result: { confirmationId: id, status: 'executed', recovered: 'rerun', actions: [{ ...UNLOCK, ok: true, state: expect.objectContaining({ locked: false }) }] },
    });
    await h.nodes.waitForValue('front_door_lock', 'locked', false);
    expect(await locked(h)).toBe(false);
    expect(JSON.parse(row(dir, id).result!)).toEqual(record.result);
    const audit = await sensitiveAudit(h);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ subject: 'front_door_lock', detail: { command: 'unlock', ok: true, via: 'api', recovered: 'rerun', scheduled: false } });
    // settled once: a late yes is refused, and a further restart runs nothing again
    const again = await h.api.post(`/api/confirmations/${id}`, { decision: 'confirm' });
    expect([again.status, again.body.error.code]).toEqual([409, 'CONFLICT']);
    expect((await h.api.post('/api/devices/front_door_lock/commands', { command: 'lock' })).status).toBe(200);
    await h.nodes.waitForValue('front_door_lock', 'locked', true);
    await running!.nodes.close();
    await running!.proc.stop(20_000);
    running = undefined;
    h = await startHub(dir, 60_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await locked(h)).toBe(true);
    expect(await sensitiveAudit(h)).toHaveLength(1);
  });

  it('killed after the lock acknowledged, before the result was written: the next start records it done and sends nothing', async () => {
    const dir = dataDir();
    let h = await startHub(dir, 60_000, 'after-run');
    const id = await askUnlock(h);
    await confirmAndCrash(h, id);
    expect(row(dir, id)).toEqual({ status: 'confirmed', result: null });

    h = await startHub(dir, 60_000);
    const record = await settled(h, id);
    expect(record.result).toEqual({
      confirmationId: id,
      status: 'executed',
      recovered: 'already_done',
      actions: [{ ...UNLOCK, ok: true, state: expect.objectContaining({ locked: false }) }],
    });
    expect(await locked(h)).toBe(false);
    // the audit has the run before the kill, and (newest first) what this start found: done, nothing sent again
    const audit = await sensitiveAudit(h);
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ detail: { command: 'unlock', ok: true, recovered: 'already_done' } });
    expect(audit[1]).toMatchObject({ detail: { command: 'unlock', ok: true, via: 'api' } });
    expect(audit[1].detail.recovered).toBeUndefined();
  });

  it('a yes older than the confirmation lifetime at the next start is not run: INTERRUPTED in the record and the audit log', async () => {
    const dir = dataDir();
    let h = await startHub(dir, 3_000, '1');
    const id = await askUnlock(h);
    const yesAt = Date.now();
    await confirmAndCrash(h, id);
    // down for longer than the 3 s the owner had to answer
    await new Promise((r) => setTimeout(r, Math.max(0, yesAt + 3_500 - Date.now())));

    h = await startHub(dir, 3_000);
    const record = await settled(h, id);
    expect(record).toMatchObject({ confirmationId: id, status: 'confirmed' });
    expect(record.result).toEqual({
      confirmationId: id,
      status: 'failed',
      recovered: 'interrupted',
      actions: [{ ...UNLOCK, ok: false, error: { code: 'INTERRUPTED', message: expect.stringMatching(/stopped after the yes .* not run/) } }],
    });
    expect(JSON.parse(row(dir, id).result!)).toEqual(record.result);
    const audit = await sensitiveAudit(h);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ subject: 'front_door_lock', detail: { command: 'unlock', ok: false, error: 'INTERRUPTED', recovered: 'interrupted' } });
    expect(await locked(h)).toBe(true);
    expect((await h.api.post(`/api/confirmations/${id}`, { decision: 'confirm' })).status).toBe(409);
    expect(await locked(h)).toBe(true);
  });

  it('a delayed unlock ("in 8 seconds") killed before its schedule was written is scheduled again for its original time', async () => {
    const dir = dataDir();
    let h = await startHub(dir, 60_000, '1');
    const asked = await h.api.post('/api/command', { text: 'unlock the front door in 8 seconds', conversationId: 'later' });
    expect(asked.body).toMatchObject({ awaitingConfirmation: true });
    const id = asked.body.confirmation.confirmationId;
    expect((await h.api.get(`/api/confirmations/${id}`)).body).toMatchObject({ status: 'pending', delayMs: 8_000 });
    const yesAt = Date.now();
    await confirmAndCrash(h, id);
    expect(row(dir, id)).toEqual({ status: 'confirmed', result: null });

    h = await startHub(dir, 60_000);
    const record = await settled(h, id);
    expect(record.result).toEqual({ confirmationId: id, status: 'scheduled', recovered: 'rerun', actions: [] });
    const schedules = (await h.api.get('/api/schedules')).body.schedules;
    expect(schedules).toEqual([expect.objectContaining({ status: 'pending', actions: [UNLOCK], confirmed: true })]);
    // due at the yes + 8 s (the restart's own time does not push it back)
    expect(Date.parse(schedules[0].dueAt)).toBeGreaterThanOrEqual(yesAt + 8_000 - 1_000);
    expect(Date.parse(schedules[0].dueAt)).toBeLessThanOrEqual(yesAt + 8_000 + 1_000);
    expect(await locked(h)).toBe(true);
    await h.nodes.waitForValue('front_door_lock', 'locked', false, 30_000);
    expect(Date.now()).toBeGreaterThanOrEqual(yesAt + 7_000);
  });

  it('a delayed unlock killed after its schedule was written is left to that schedule: one schedule, one unlock', async () => {
    const dir = dataDir();
    let h = await startHub(dir, 60_000, 'after-run');
    const asked = await h.api.post('/api/command', { text: 'unlock the front door in 8 seconds', conversationId: 'later-too' });
    const id = asked.body.confirmation.confirmationId;
    await confirmAndCrash(h, id);
    expect(row(dir, id)).toEqual({ status: 'confirmed', result: null });

    h = await startHub(dir, 60_000);
    const record = await settled(h, id);
    expect(record.result).toEqual({ confirmationId: id, status: 'scheduled', recovered: 'already_done', actions: [] });
    const schedules = (await h.api.get('/api/schedules')).body.schedules;
    expect(schedules).toEqual([expect.objectContaining({ status: 'pending', actions: [UNLOCK], confirmed: true })]);
    expect(schedules[0].context).toMatchObject({ confirmationId: id, source: 'sentence' });
    await h.nodes.waitForValue('front_door_lock', 'locked', false, 30_000);
    await waitUntil(async () => (await h.api.get('/api/schedules')).body.schedules[0].status === 'done', 'the schedule to be done', 10_000);
    expect((await h.api.get('/api/schedules')).body.schedules).toHaveLength(1);
    const audit = await sensitiveAudit(h);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ detail: { command: 'unlock', ok: true, scheduled: true } });
  });

  it('GET /api/confirmations/:id answers 404 for an id it never had', async () => {
    const h = await startHub(dataDir(), 60_000);
    const r = await h.api.get('/api/confirmations/not-a-real-id');
    expect([r.status, r.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });
});

describe('what counts as already done (the devices hold what the actions make)', () => {
  const view = homeViewFromHome(benchmarkHome());
  const states = (s: Record<string, Record<string, unknown>>) => new Map(Object.entries(s)) as Parameters<typeof heldBy>[2];
  it('an unlock is done when the lock reports unlocked, not when locked or unknown', () => {
    expect(heldBy([UNLOCK], view, states({ front_door_lock: { locked: false } }))).toEqual([{ ...UNLOCK, ok: true, state: { locked: false } }]);
    expect(heldBy([UNLOCK], view, states({ front_door_lock: { locked: true } }))).toBeUndefined();
    expect(heldBy([UNLOCK], view, states({}))).toBeUndefined();
  });

  it('actions on one device count in order: "close, then open" is done when the trunk is open', () => {
    const closeThenOpen = [
      { deviceId: 'car_trunk', command: 'close', params: {} },
      { deviceId: 'car_trunk', command: 'open', params: {} },
    ];
    expect(heldBy(closeThenOpen, view, states({ car_trunk: { position: 100 } }))).toHaveLength(2);
    expect(heldBy(closeThenOpen, view, states({ car_trunk: { position: 0 } }))).toBeUndefined();
    expect(heldBy([{ deviceId: 'car_trunk', command: 'setPosition', params: { position: 40 } }], view, states({ car_trunk: { position: 40 } }))).toEqual([
      { deviceId: 'car_trunk', command: 'setPosition', params: { position: 40 }, ok: true, state: { position: 40 } },
    ]);
    // a command the device cannot take, or a device the home does not have, is never "done"
    expect(heldBy([{ deviceId: 'car_trunk', command: 'unlock', params: {} }], view, states({ car_trunk: { position: 0 } }))).toBeUndefined();
    expect(heldBy([{ deviceId: 'no_such_device', command: 'unlock', params: {} }], view, states({ no_such_device: { locked: false } }))).toBeUndefined();
  });
});
