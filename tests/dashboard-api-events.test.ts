/**
 * GET /api/events against a real hub running the demo home (real node-agent processes, real SQLite): an SSE client on
 * fetch streaming gets a snapshot, then device events as commands change devices, confirmations as they wait and
 * settle, commands (the owner only); it resumes with Last-Event-ID; after a hub restart it starts over from a fresh
 * snapshot. The limits: heartbeat, clients, a slow client cut off.
 */
import { connect, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestHub, tempDataDir, type TestHub } from './helpers/hub-start.ts';
import { openEvents, type SseEvent, type SseStream } from './helpers/sse.ts';
import { waitUntil } from './helpers/wait.ts';

const homeFile = resolve(import.meta.dirname, '..', 'hub', 'src', 'demo', 'demo-home.json');
const dataDir = tempDataDir();
const running: { hub?: TestHub; streams: SseStream[]; sockets: Socket[] } = { streams: [], sockets: [] };

afterAll(async () => {
  for (const s of running.streams) s.close();
  for (const s of running.sockets) s.destroy();
  await running.hub?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function events(t: TestHub, headers: Record<string, string> = {}, query = ''): Promise<SseStream> {
  const s = await openEvents(`${t.hub.httpUrl}/api/events${query}`, headers);
  running.streams.push(s);
  return s;
}

const isDevice = (id: string, match: (state: Record<string, unknown>) => boolean) => (e: SseEvent) => e.event === 'device' && e.data.id === id && match(e.data.state);

describe('the event stream', () => {
  let bootId: string;
  let lastSeen: string;

  it('starts with a snapshot; a command that changes a device sends its device event; commands reach only the owner', async () => {
    const t = (running.hub = await startTestHub({ homeFile, demo: true, dataDir, events: { heartbeatMs: 200 }, conversation: { confirmTtlMs: 5000 } }));
    const owner = await events(t, { authorization: `Bearer ${t.token}` });
    const viewer = await events(t);
    expect(owner.status).toBe(200);
    expect(owner.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(owner.headers.get('cache-control')).toBe('no-cache, no-transform');

    const snap = await owner.next((e) => e.event === 'snapshot', 'the snapshot');
    expect(owner.events[0]).toBe(snap);
    bootId = snap.data.bootId;
    expect(bootId).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(snap.id).toMatch(new RegExp(`^${bootId}:\\d+$`));
    // the device views of GET /api/devices (their state moves on: the simulated home runs)
    const shape = (d: Record<string, unknown>) => ({ id: d.id, type: d.type, names: d.names, area: d.area, node: d.node, traits: d.traits, commands: d.commands, confirm: d.confirm });
    const devices = (await t.api.get('/api/devices')).body.devices;
    expect(snap.data.devices.map(shape)).toEqual(devices.map(shape));
    expect(Object.keys(snap.data.devices[0]).sort()).toEqual(Object.keys(devices[0]).sort());
    expect(snap.data.devices).toHaveLength(21);
    expect(snap.data.nodes.map((n: { id: string }) => n.id).sort()).toEqual(['bedroom-gateway', 'car-unit', 'house-gateway', 'kitchen-appliances', 'lounge-tv']);
    expect(snap.data.nodes.every((n: { online: boolean }) => n.online)).toBe(true);
    expect(snap.data.confirmations).toEqual([]);
    expect(owner.retry).toBe(2000);
    expect((await viewer.next((e) => e.event === 'snapshot', 'the viewer snapshot')).data.bootId).toBe(bootId);

    const from = owner.events.length;
    const on = await t.api.post('/api/command', { text: 'turn on the porch light' });
    expect(on.status).toBe(200);
    const dev = await owner.next(isDevice('porch_light', (s) => s.on === true), 'porch_light on', 10_000, from);
    expect(dev.data).toMatchObject({ id: 'porch_light', online: true, state: { on: true }, reported: { on: true }, targets: {} });
    expect(dev.id).toMatch(new RegExp(`^${bootId}:\\d+$`));
    await viewer.next(isDevice('porch_light', (s) => s.on === true), 'porch_light on for the viewer');

    const cmd = await owner.next((e) => e.event === 'command' && e.data.text === 'turn on the porch light', 'the command event');
    expect(cmd.data).toMatchObject({ text: 'turn on the porch light', source: 'api', lang: 'en', ok: true, reply: on.body.reply });
    expect(Date.parse(cmd.data.at)).toBeGreaterThan(Date.now() - 60_000);
    // ids grow by one per event, the same for every client
    const seqs = owner.events.slice(1).map((e) => Number(e.id!.split(':')[1]));
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    // what people said is the owner's: the read-only viewer (loopback, no token) never gets it
    await new Promise((r) => setTimeout(r, 300));
    expect(viewer.events.some((e) => e.event === 'command')).toBe(false);
    // the heartbeat: a comment line every heartbeatMs
    await waitUntil(() => owner.comments >= 2, 'two heartbeats');
  });

  it('confirmations: pending when a change waits, cancelled when refused, expired when its time is up, with the record', async () => {
    const t = running.hub!;
    const s = await events(t, { authorization: `Bearer ${t.token}` });
    await s.next((e) => e.event === 'snapshot', 'the snapshot');
    const r = await t.api.post('/api/command', { text: 'unlock the front door' });
    expect(r.body.awaitingConfirmation).toBe(true);
    const id = r.body.confirmation.confirmationId;
    const pending = await s.next((e) => e.event === 'confirmation' && e.data.action === 'pending', 'the pending confirmation');
    expect(pending.data.confirmation).toMatchObject({
      confirmationId: id,
      summary: r.body.confirmation.summary,
      source: 'sentence',
      actions: [{ deviceId: 'front_door', command: 'unlock', params: {} }],
    });
    // a stream opened now has it in its snapshot
    const later = await events(t);
    expect((await later.next((e) => e.event === 'snapshot', 'a later snapshot')).data.confirmations.map((c: { confirmationId: string }) => c.confirmationId)).toEqual([id]);

    expect((await t.api.post(`/api/confirmations/${id}`, { decision: 'cancel' })).body.status).toBe('cancelled');
    const cancelled = await s.next((e) => e.event === 'confirmation' && e.data.action === 'cancelled', 'the cancellation');
    expect(cancelled.data.confirmation.confirmationId).toBe(id);
    expect((await t.api.get('/api/devices/front_door')).body.state.locked).toBe(true);

    // one nobody answers: `expired` when its time is up, not at the next look
    const again = await t.api.post('/api/devices/front_door/commands', { command: 'unlock' });
    expect(again.status).toBe(202);
    const waiting = await s.next((e) => e.event === 'confirmation' && e.data.action === 'pending' && e.data.confirmation.confirmationId === again.body.confirmationId, 'the second pending');
    expect(waiting.data.confirmation.source).toBe('api');
    const expired = await s.next((e) => e.event === 'confirmation' && e.data.action === 'expired', 'the expiry', 15_000);
    expect(expired.data.confirmation.confirmationId).toBe(again.body.confirmationId);
    expect((await t.api.get('/api/devices/front_door')).body.state.locked).toBe(true);
    lastSeen = s.events.at(-1)!.id!;
  });

  it('resumes with Last-Event-ID: only what was missed, no snapshot; an unknown id starts over', async () => {
    const t = running.hub!;
    const off = await t.api.post('/api/command', { text: 'turn off the porch light' });
    expect(off.status).toBe(200);
    // the owner's stream saw it; a client that left at `lastSeen` comes back
    await running.streams[0]!.next(isDevice('porch_light', (s) => s.on === false), 'porch_light off');
    const back = await events(t, { 'last-event-id': lastSeen });
    const first = await back.next(() => true, 'the first replayed event');
    expect(first.event).not.toBe('snapshot');
    await back.next(isDevice('porch_light', (s) => s.on === false), 'the missed porch_light change');
    expect(back.events.some((e) => e.event === 'snapshot')).toBe(false);
    const seqOf = (e: SseEvent) => Number(e.id!.split(':')[1]);
    const lastSeq = Number(lastSeen.split(':')[1]);
    expect(seqOf(first)).toBeGreaterThan(lastSeq);
    // the viewer's resume leaves commands out, as its live stream does
    expect(back.events.some((e) => e.event === 'command')).toBe(false);
    const ownerBack = await events(t, { 'last-event-id': lastSeen, authorization: `Bearer ${t.token}` });
    // the owner's resume is every event after it, commands included
    expect(seqOf(await ownerBack.next(() => true, 'the owner resumes'))).toBe(lastSeq + 1);
    await ownerBack.next((e) => e.event === 'command' && e.data.text === 'turn off the porch light', 'the missed command, for the owner');
    const ownerSeqs = ownerBack.events.map(seqOf);
    expect(ownerSeqs).toEqual(ownerSeqs.map((_, i) => lastSeq + 1 + i));

    // by query string too (a page loaded anew cannot set the header)
    const byQuery = await events(t, {}, `?lastEventId=${encodeURIComponent(lastSeen)}`);
    expect((await byQuery.next(() => true, 'first by query')).event).not.toBe('snapshot');
    // not an id of this boot, or ahead of it: a fresh snapshot
    for (const id of ['someoneelse:3', `${bootId}:999999999`, 'garbage']) {
      const fresh = await events(t, { 'last-event-id': id });
      expect((await fresh.next(() => true, `first after ${id}`)).event).toBe('snapshot');
    }
    expect((await t.anon.get('/api/events?lastEventId=x&other=1')).status).toBe(400);
    lastSeen = running.streams[0]!.events.at(-1)!.id!;
  });

  it('a node that drops off and comes back: node events, and its devices with online false, then true', async () => {
    const t = running.hub!;
    const s = await events(t);
    await s.next((e) => e.event === 'snapshot', 'the snapshot');
    // the demo's supervisor starts a killed agent again
    process.kill(t.hub.demo!.nodePids.get('lounge-tv')!, 'SIGKILL');
    const off = await s.next((e) => e.event === 'node' && e.data.id === 'lounge-tv' && e.data.online === false, 'lounge-tv offline', 30_000);
    expect(off.data).toEqual({ id: 'lounge-tv', online: false });
    for (const id of ['lounge_tv', 'soundbar']) await s.next((e) => e.event === 'device' && e.data.id === id && e.data.online === false, `${id} offline`);
    const from = s.events.indexOf(off);
    await s.next((e) => e.event === 'node' && e.data.id === 'lounge-tv' && e.data.online === true, 'lounge-tv online again', 60_000, from);
    for (const id of ['lounge_tv', 'soundbar']) await s.next((e) => e.event === 'device' && e.data.id === id && e.data.online === true, `${id} online again`, 10_000, from);
  });

  it('after a hub restart: a fresh snapshot of a new boot, with the state SQLite kept', async () => {
    for (const s of running.streams.splice(0)) s.close();
    await running.hub!.stop();
    const t = (running.hub = await startTestHub({ homeFile, demo: true, dataDir }));
    const s = await events(t, { 'last-event-id': lastSeen });
    const snap = await s.next(() => true, 'the first event after the restart');
    expect(snap.event).toBe('snapshot');
    expect(snap.data.bootId).not.toBe(bootId);
    expect(snap.id!.startsWith(`${snap.data.bootId}:`)).toBe(true);
    const porch = snap.data.devices.find((d: { id: string }) => d.id === 'porch_light');
    expect(porch.state.on).toBe(false);
    // and it is live again
    await t.api.post('/api/command', { text: 'turn on the porch light' });
    await s.next(isDevice('porch_light', (st) => st.on === true), 'porch_light on after the restart');
  });

  it('the HTTPS listener serves the same stream', async () => {
    const t = running.hub!;
    const { request } = await import('node:https');
    const first = await new Promise<string>((resolveLine, reject) => {
      const req = request(`${t.hub.httpsUrl}/api/events`, { ca: t.hub.security.certificate.certPem, checkServerIdentity: () => undefined, headers: { authorization: `Bearer ${t.token}` } }, (res) => {
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          buf += c;
          const m = /event: snapshot\ndata: (.*)\n\n/.exec(buf);
          if (m) {
            resolveLine(m[1]!);
            req.destroy();
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(first).devices).toHaveLength(21);
  });
});

describe('the event stream limits', () => {
  it('answers HEAD with the stream headers and ends, holding no client slot (npm run fuzz found HEAD hanging)', async () => {
    const t = await startTestHub({ events: { maxClients: 1 } });
    try {
      for (let i = 0; i < 3; i++) {
        const head = await fetch(`${t.hub.httpUrl}/api/events`, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
        expect([head.status, head.headers.get('content-type')]).toEqual([200, 'text/event-stream; charset=utf-8']);
      }
      // the one slot is still free for a real stream
      const s = await openEvents(`${t.hub.httpUrl}/api/events`);
      running.streams.push(s);
      expect((await s.next((e) => e.event === 'snapshot', 'the snapshot')).event).toBe('snapshot');
    } finally {
      await t.stop();
    }
  });

  it('refuses clients beyond its limit; cuts off a client that does not read, and keeps serving the others', async () => {
    const t = await startTestHub({ events: { maxClients: 3, clientBufferBytes: 256 * 1024, bufferBytes: 256 * 1024 } });
    try {
      const a = await openEvents(`${t.hub.httpUrl}/api/events`);
      const b = await openEvents(`${t.hub.httpUrl}/api/events`);
      running.streams.push(a, b);
      // a client that sends its request and never reads what comes back
      const slow = connect(Number(new URL(t.hub.httpUrl).port), '127.0.0.1');
      running.sockets.push(slow);
      await new Promise<void>((r) => slow.once('connect', () => r()));
      slow.write('GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
      slow.pause();
      const { bus } = t.hub.feature('events');
      await waitUntil(() => bus.clientCount === 3, 'three clients');
      const full = await openEvents(`${t.hub.httpUrl}/api/events`);
      expect(full.status).toBe(503);
      expect(full.body.error.code).toBe('UNAVAILABLE');

      // 32 MB of events: more than the kernel's socket buffers hold for the reader that never reads
      const blob = 'x'.repeat(16 * 1024);
      for (let i = 0; i < 2048 && bus.dropped === 0; i++) {
        bus.publish('device', { id: 'flood', state: { blob }, reported: {}, targets: {}, online: true });
        await new Promise((r) => setImmediate(r));
      }
      expect(bus.dropped).toBe(1);
      await waitUntil(() => bus.clientCount === 2, 'the slow client gone');
      // the readers got it all, the last one included
      await a.next((e) => e.event === 'device' && e.id === bus.lastId, 'the last flood event on a reader', 20_000);
      // and a new client fits again
      const again = await openEvents(`${t.hub.httpUrl}/api/events`);
      running.streams.push(again);
      expect(again.status).toBe(200);
      again.close();
      await waitUntil(() => bus.clientCount === 2, 'the new client gone again');
      // the replay buffer stayed within its bytes: a resume from the start of the flood starts over
      const resumed = await openEvents(`${t.hub.httpUrl}/api/events`, { 'last-event-id': `${bus.bootId}:1` });
      running.streams.push(resumed);
      expect((await resumed.next(() => true, 'first after an old id')).event).toBe('snapshot');
    } finally {
      for (const s of running.streams.splice(0)) s.close();
      await t.stop();
    }
  });
});
