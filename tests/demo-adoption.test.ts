/**
 * Adoption out of the box: the demo home's house gateway runs the simulated discovery module, so a new user finds a
 * smart plug and a window sensor waiting for adoption, and a colour bulb appears once commissioned with the demo
 * setup code the README gives. Real hub (embedded broker, SQLite), the demo's own supervised agent process; the
 * home is the shipped demo home cut down to its house gateway. What was adopted and commissioned survives a restart
 * of the whole demo (the node keeps it under `<data-dir>/demo-state/<node>/`, the hub in SQLite).
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHome, type Home } from '@steward/device-adapters';
import { WRONG_SETUP_CODE } from './helpers/adoption-node.ts';
import { writeHomeFile } from './helpers/hub-home.ts';
import { startTestHub, tempDataDir, type TestHub } from './helpers/hub-start.ts';
import { waitUntil } from './helpers/wait.ts';

const DEMO_HOME = resolve(import.meta.dirname, '..', 'hub', 'src', 'demo', 'demo-home.json');
/** the code README.md and docs/operations.md give for the demo's colour bulb */
const DEMO_SETUP_CODE = '3497-011-2332';

const full = loadHome(DEMO_HOME);
const home: Home = {
  ...full,
  nodes: full.nodes.filter((n) => n.id === 'house-gateway'),
  devices: full.devices.filter((d) => d.node === 'house-gateway'),
  scenes: [],
};
const homeFile = writeHomeFile(home);
const dataDir = tempDataDir();
let t: TestHub;

type View = { id: string; key: string; nodeId: string; ecosystem: string; type: string; traits: string[]; label: string; suggestedNames: Record<string, string[]>; state: Record<string, unknown> };

async function pending(): Promise<View[]> {
  const r = await t.api.get('/api/adoptions');
  expect(r.status).toBe(200);
  return (r.body.adoptions as View[]).sort((a, b) => a.key.localeCompare(b.key));
}
const waitKeys = (keys: string[]) =>
  waitUntil(async () => {
    const list = await pending();
    return JSON.stringify(list.map((a) => a.key)) === JSON.stringify([...keys].sort()) && list;
  }, `adoptions ${keys.join(', ')}`, 20_000);

const start = () => startTestHub({ homeFile, dataDir, demo: true });

beforeAll(async () => {
  t = await start();
}, 60_000);

afterAll(async () => {
  await t?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the demo home finds devices waiting for adoption', { timeout: 90_000 }, () => {
  it('the shipped demo home declares them on the house gateway, one behind the documented setup code', () => {
    expect(full.nodes.flatMap((n) => (n.found ?? []).map((f) => [n.id, f.key, f.type, f.setupCode ?? null]))).toEqual([
      ['house-gateway', 'plug-5e21', 'plug', null],
      ['house-gateway', 'contact-7b09', 'sensor', null],
      ['house-gateway', 'bulb-c4d2', 'light', '34970112332'],
    ]);
  });

  it('lists the smart plug and the window sensor at start, not the bulb', async () => {
    const list = await waitKeys(['contact-7b09', 'plug-5e21']);
    expect(list.map((a) => [a.nodeId, a.ecosystem, a.key, a.type, a.traits, a.label, a.suggestedNames])).toEqual([
      ['house-gateway', 'sim', 'contact-7b09', 'sensor', ['contact', 'battery'], 'Acme Door/Window Sensor C2 (simulated)', { en: ['window sensor'], zh: ['门窗传感器'] }],
      ['house-gateway', 'sim', 'plug-5e21', 'plug', ['onOff', 'powerMeter'], 'Acme Smart Plug P1 (simulated)', { en: ['smart plug'], zh: ['智能插座'] }],
    ]);
    expect(list[1]!.state).toEqual({ on: false, powerW: 0, energyKWh: 1.2 });
  });

  it('the plug adopted with a name and an area answers a sentence through its node', async () => {
    const plug = (await pending()).find((a) => a.key === 'plug-5e21')!;
    const r = await t.api.post(`/api/adoptions/${plug.id}`, { name: 'Desk plug', area: 'study' });
    expect(r.status).toBe(201);
    expect(r.body.device).toMatchObject({ id: 'desk_plug', type: 'plug', area: 'study', node: 'house-gateway', online: true, state: { on: false } });
    const c = await t.api.post('/api/command', { text: 'turn on the desk plug' });
    expect(c.status).toBe(200);
    expect(c.body.actions).toMatchObject([{ deviceId: 'desk_plug', command: 'turnOn', ok: true, state: { on: true } }]);
    expect((await pending()).map((a) => a.key)).toEqual(['contact-7b09']);
  });

  it('the demo setup code commissions the colour bulb, which then waits too; a wrong code is refused', async () => {
    const r = await t.api.post('/api/nodes/house-gateway/commission', { setupCode: DEMO_SETUP_CODE });
    expect(r.status).toBe(202);
    expect(r.body.found.map((a: View) => [a.key, a.type, a.label])).toEqual([['bulb-c4d2', 'light', 'Acme Colour Bulb B3 (simulated)']]);
    await waitKeys(['bulb-c4d2', 'contact-7b09']);
    const wrong = await t.api.post('/api/nodes/house-gateway/commission', { setupCode: WRONG_SETUP_CODE });
    expect([wrong.status, wrong.body.error?.code]).toEqual([422, 'COMMISSIONING_FAILED']);
  });

  it('a restarted demo keeps the adopted plug (on, as it was left) and the commissioned bulb', async () => {
    await t.stop();
    t = await start();
    const plug = await t.api.get('/api/devices/desk_plug');
    expect(plug.status).toBe(200);
    expect(plug.body).toMatchObject({ area: 'study', online: true, state: { on: true } });
    await waitKeys(['bulb-c4d2', 'contact-7b09']);
    const off = await t.api.post('/api/command', { text: 'turn off the desk plug' });
    expect(off.body.actions).toMatchObject([{ deviceId: 'desk_plug', command: 'turnOff', ok: true, state: { on: false } }]);
  });
});
