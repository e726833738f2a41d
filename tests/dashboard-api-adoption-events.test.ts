/**
 * The event stream's `adoption` events with real parts: a hub (embedded broker, SQLite), a real node-agent process
 * running the simulated discovery module; the devices it finds arrive as `found`, the owner's adopt and ignore as
 * `adopted` and `ignored` (an adoption also sends a new snapshot: the registry gained a device), and a stream opened
 * later lists what still waits in its snapshot.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentProcess, type AgentProcess } from './helpers/agents.ts';
import { ADOPTION_HOME, DISCOVERY_NODE, discoveryNodeConfig } from './helpers/adoption-node.ts';
import { writeHomeFile } from './helpers/hub-home.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';
import { openEvents, type SseStream } from './helpers/sse.ts';
import { waitUntil } from './helpers/wait.ts';

let t: TestHub;
let agent: AgentProcess | undefined;
let config: ReturnType<typeof discoveryNodeConfig> | undefined;
const streams: SseStream[] = [];

beforeAll(async () => {
  t = await startTestHub({ homeFile: writeHomeFile(ADOPTION_HOME) });
}, 60_000);

afterAll(async () => {
  for (const s of streams) s.close();
  await agent?.stop();
  await t?.stop();
  if (config?.dataDir) rmSync(config.dataDir, { recursive: true, force: true });
});

describe('adoption events', () => {
  it('found, adopted and ignored devices reach the stream; a later snapshot lists what still waits', async () => {
    const s = await openEvents(`${t.hub.httpUrl}/api/events`);
    streams.push(s);
    const first = await s.next((e) => e.event === 'snapshot', 'the snapshot');
    expect(first.data.adoptions).toEqual([]);

    config = discoveryNodeConfig(t.hub.mqttUrl, await t.provisionNodes([DISCOVERY_NODE]));
    agent = await startAgentProcess(config);
    await t.hub.waitForNodes([DISCOVERY_NODE], 20_000);
    const found = () => s.events.filter((e) => e.event === 'adoption' && e.data.action === 'found').map((e) => e.data.adoption);
    await waitUntil(() => found().length === 4, 'four found events', 15_000);
    expect(found().map((a) => a.key).sort()).toEqual(['lamp-1', 'lock-1', 'plug-1', 'sensor-1']);
    const listed = (await t.api.get('/api/adoptions')).body.adoptions;
    expect(found().map((a) => a.id).sort()).toEqual(listed.map((a: { id: string }) => a.id).sort());
    const lamp = found().find((a) => a.key === 'lamp-1')!;
    expect(lamp).toMatchObject({ nodeId: DISCOVERY_NODE, ecosystem: 'sim', type: 'light', status: 'pending' });

    const from = s.events.length;
    const r = await t.api.post(`/api/adoptions/${lamp.id}`, { name: 'Porch lamp', area: 'hallway' });
    expect(r.status).toBe(201);
    const adopted = await s.next((e) => e.event === 'adoption' && e.data.action === 'adopted', 'the adopted event', 10_000, from);
    expect(adopted.data.adoption).toMatchObject({ id: lamp.id, key: 'lamp-1', status: 'adopted', deviceId: r.body.device.id });
    // the registry gained a device: the whole picture again, with it
    const snap = await s.next((e) => e.event === 'snapshot' && e.data.devices.some((d: { id: string }) => d.id === r.body.device.id), 'a snapshot with the new device', 10_000, from);
    expect(snap.id).toMatch(/^[A-Za-z0-9_-]+:\d+$/);

    const sensor = found().find((a) => a.key === 'sensor-1')!;
    expect((await t.api.delete(`/api/adoptions/${sensor.id}`)).status).toBe(204);
    const ignored = await s.next((e) => e.event === 'adoption' && e.data.action === 'ignored', 'the ignored event', 10_000, from);
    expect(ignored.data.adoption).toMatchObject({ id: sensor.id, key: 'sensor-1' });

    const later = await openEvents(`${t.hub.httpUrl}/api/events`);
    streams.push(later);
    const waiting = (await later.next((e) => e.event === 'snapshot', 'a later snapshot')).data.adoptions.map((a: { key: string }) => a.key).sort();
    expect(waiting).toEqual(['lock-1', 'plug-1']);
  });
});
