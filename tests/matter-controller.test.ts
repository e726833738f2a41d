/**
 * The Matter controller driver with both sides real: matter.js virtual devices (a colour light; a plug with
 * electrical measurement, a door lock, a thermostat, a window covering, four sensors, a smoke alarm and a water leak
 * detector on a second node) in one
 * network namespace, our controller (@steward/driver-matter's discovery, in tests/helpers/matter-controller-process.ts)
 * in another, joined by a veth pair. Commissioning from a manual code and a QR payload, the found devices,
 * commands to device attributes, device-side changes to reported state, a device restart, a controller restart
 * (the fabric persisted, nothing re-commissioned), sharing through a commissioning window, and decommissioning.
 * Skipped only when not root or without `ip netns`. matter.js never runs outside the namespaces.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMatterLab, type JsonProcess, type MatterLab } from './helpers/matter-lab.ts';
import { netnsUnavailable } from './helpers/netns.ts';
import { stopAllProcesses } from './helpers/processes.ts';
import { waitUntil } from './helpers/wait.ts';

const unavailable = netnsUnavailable();
if (unavailable) console.warn(`matter-controller: skipped: ${unavailable}`);

type Found = { key: string; descriptor: { type: string; traits: string[]; attributes: Record<string, unknown> }; label: string; state: Record<string, unknown> };

/** every file under dir, with its permission bits */
function modes(dir: string): { path: string; mode: number; dir: boolean }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    let st;
    try {
      st = statSync(path);
    } catch {
      return []; // replaced while we walked (matter.js writes a temp file, then renames it)
    }
    return st.isDirectory() ? [{ path, mode: st.mode & 0o777, dir: true }, ...modes(path)] : [{ path, mode: st.mode & 0o777, dir: false }];
  });
}

describe.skipIf(unavailable !== undefined)('Matter controller driver, devices and controller in network namespaces', () => {
  let lab: MatterLab;
  let devices: JsonProcess;
  let deviceDir: string;
  let controller: JsonProcess;
  let controllerDir: string;
  let codes: Record<string, { manual: string; qr: string; endpoints: Record<string, number> }>;
  let lightKey: string;
  const keys: Record<string, string> = {};
  const found: Record<string, Found> = {};

  /** the device's own view of an endpoint's cluster state */
  const onDevice = async (endpoint: string) => (await devices.ok({ cmd: 'get', endpoint })).state as Record<string, Record<string, any>>;
  const execute = (key: string, command: string, params: Record<string, unknown> = {}) => controller.request({ cmd: 'execute', key, command, params });
  /** waits for a state update of `key` carrying `field: value` after event index `after` */
  const update = (key: string, field: string, value: unknown, after: number, timeoutMs = 15_000) =>
    controller.waitEvent((e) => e.event === 'update' && e.key === key && e.state?.[field] === value, `an update of ${key} with ${field}=${JSON.stringify(value)}`, timeoutMs, after);
  /** opens a driver for every found device; its state is the one discovery reports (`now`, or as found) */
  const openAll = async (now: Found[] = Object.values(found)) => {
    for (const [name, f] of Object.entries(found)) {
      const r = await controller.ok({ cmd: 'open', key: f.key, descriptor: { id: `matter_${name}`, names: {}, ...f.descriptor }, state: f.state });
      expect(r.state, name).toEqual(now.find((n) => n.key === f.key)!.state);
    }
  };

  beforeAll(async () => {
    lab = createMatterLab();
    deviceDir = lab.tmp();
    const d = await lab.startDevices(deviceDir);
    devices = d.proc;
    codes = d.ready.nodes;
    controllerDir = lab.tmp();
    controller = (await lab.startController(controllerDir)).proc;
  }, 90_000);

  afterAll(async () => {
    await controller?.stop();
    await devices?.stop();
    await stopAllProcesses();
    lab?.cleanup();
  }, 30_000);

  it('commissions the light from its 11-digit manual code and finds a colour light with its ranges and state', async () => {
    expect(codes.light!.manual).toMatch(/^\d{11}$/);
    const r = await controller.ok({ cmd: 'commission', code: codes.light!.manual }, 90_000);
    expect(r.found).toHaveLength(1);
    const light = r.found[0] as Found;
    lightKey = light.key;
    expect(light.key).toMatch(/^\d+:1$/);
    expect(light.label).toBe('Steward Test Devices Colour Bulb');
    expect(light.descriptor).toEqual({
      type: 'light',
      names: {},
      traits: ['onOff', 'brightness', 'color', 'colorTemperature'],
      // physical 153-370 mireds
      attributes: { minK: 2703, maxK: 6536 },
    });
    // level 127 of 254, 250 mireds
    expect(light.state).toEqual({ on: false, brightness: 50, hue: 0, saturation: 0, colorTempK: 4000 });
    found.light = light;
    keys.light = light.key;
    const announced = await controller.waitEvent((e) => e.event === 'discovery' && e.kind === 'found' && e.device.key === light.key, 'the found event');
    expect(announced.device).toEqual(light);
  }, 120_000);

  it('commissions the multi-endpoint node from its MT: QR payload: plug, lock, thermostat, covering, sensors, smoke and leak', async () => {
    expect(codes.home!.qr).toMatch(/^MT:/);
    const r = await controller.ok({ cmd: 'commission', code: codes.home!.qr }, 90_000);
    const byEndpoint = Object.fromEntries((r.found as Found[]).map((f) => [Number(f.key.split(':')[1]), f]));
    const eps = codes.home!.endpoints;
    const summary = (n: number | undefined) => {
      const f = byEndpoint[n!]!;
      return { type: f.descriptor.type, traits: f.descriptor.traits, attributes: f.descriptor.attributes, state: f.state };
    };
    expect(Object.keys(byEndpoint)).toHaveLength(10);
    expect(summary(eps.plug)).toEqual({ type: 'plug', traits: ['onOff', 'powerMeter'], attributes: {}, state: { on: false, powerW: 0, energyKWh: 1.5 } });
    expect(summary(eps.lock)).toEqual({ type: 'lock', traits: ['lock'], attributes: {}, state: { locked: true } });
    expect(summary(eps.thermostat)).toEqual({
      type: 'air_conditioner',
      traits: ['thermostat'],
      attributes: { modes: ['off', 'heat', 'cool'], minC: 7, maxC: 32 },
      state: { mode: 'heat', targetC: 20, ambientC: 21.5 },
    });
    // Matter's 100 % closed is Steward's position 0
    expect(summary(eps.covering)).toEqual({ type: 'curtain', traits: ['position'], attributes: {}, state: { position: 0 } });
    expect(summary(eps.temperature)).toEqual({ type: 'sensor', traits: ['temperature'], attributes: {}, state: { temperatureC: 22.15 } });
    expect(summary(eps.humidity)).toEqual({ type: 'sensor', traits: ['humidity'], attributes: {}, state: { humidityPct: 45.5 } });
    expect(summary(eps.occupancy)).toEqual({ type: 'sensor', traits: ['motion'], attributes: {}, state: { occupied: false } });
    // a contact sensor's stateValue true means the contact is made: closed
    expect(summary(eps.contact)).toEqual({ type: 'sensor', traits: ['contact'], attributes: {}, state: { open: false } });
    expect(summary(eps.smoke)).toEqual({ type: 'sensor', traits: ['smoke'], attributes: {}, state: { smokeDetected: false } });
    // a BooleanState on a Water Leak Detector is a leak, not a contact
    expect(summary(eps.leak)).toEqual({ type: 'sensor', traits: ['leak'], attributes: {}, state: { leakDetected: false } });
    expect(byEndpoint[eps.plug!]!.label).toBe(`Steward Test Devices Test Home Kit (endpoint ${eps.plug})`);
    for (const [name, n] of Object.entries(eps)) {
      found[name] = byEndpoint[n]!;
      keys[name] = byEndpoint[n]!.key;
    }
    const all = await controller.ok({ cmd: 'found' });
    expect((all.found as Found[]).map((f) => f.key).sort()).toEqual(Object.values(keys).sort());
    await openAll();
  }, 120_000);

  it('turns trait commands into cluster commands the devices carry out', async () => {
    let r = await execute(keys.light!, 'turnOn');
    expect(r.state).toMatchObject({ on: true });
    expect((await onDevice('bulb')).onOff!.onOff).toBe(true);

    r = await execute(keys.light!, 'setBrightness', { brightness: 80 });
    expect((await onDevice('bulb')).levelControl!.currentLevel).toBe(203);
    expect(r.state).toMatchObject({ on: true, brightness: 80 });

    r = await execute(keys.light!, 'setColorTemperature', { kelvin: 3000 });
    expect((await onDevice('bulb')).colorControl!.colorTemperatureMireds).toBe(333);
    expect(r.state).toMatchObject({ colorTempK: 3003 });

    r = await execute(keys.light!, 'setColor', { hue: 120, saturation: 100 });
    const color = (await onDevice('bulb')).colorControl!;
    expect([color.currentHue, color.currentSaturation]).toEqual([85, 254]);
    expect(r.state).toMatchObject({ hue: 120, saturation: 100 });

    // the trait's own range check: nothing reaches the device
    r = await execute(keys.light!, 'setBrightness', { brightness: 150 });
    expect(r).toMatchObject({ ok: false, error: { code: 'OUT_OF_RANGE' } });
    expect((await onDevice('bulb')).levelControl!.currentLevel).toBe(203);

    r = await execute(keys.plug!, 'turnOn');
    expect(r.state).toEqual({ on: true, powerW: 0, energyKWh: 1.5 });
    expect((await onDevice('plug')).onOff!.onOff).toBe(true);

    r = await execute(keys.lock!, 'unlock');
    expect(r.state).toEqual({ locked: false });
    expect((await onDevice('lock')).doorLock!.lockState).toBe(2);
    r = await execute(keys.lock!, 'lock');
    expect((await onDevice('lock')).doorLock!.lockState).toBe(1);
    expect(r.state).toEqual({ locked: true });

    r = await execute(keys.thermostat!, 'setTargetTemperature', { celsius: 22.5 });
    expect((await onDevice('thermostat')).thermostat!.occupiedHeatingSetpoint).toBe(2250);
    expect(r.state).toEqual({ mode: 'heat', targetC: 22.5, ambientC: 21.5 });
    r = await execute(keys.thermostat!, 'setMode', { mode: 'cool' });
    expect((await onDevice('thermostat')).thermostat!.systemMode).toBe(3);
    // in cool mode the target is the cooling setpoint
    expect(r.state).toEqual({ mode: 'cool', targetC: 26, ambientC: 21.5 });
    r = await execute(keys.thermostat!, 'setMode', { mode: 'dry' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_VALUE' } });

    r = await execute(keys.covering!, 'setPosition', { position: 30 });
    await waitUntil(async () => (await onDevice('covering')).windowCovering!.currentPositionLiftPercent100ths === 7000, 'the covering at 70 % closed');
    await update(keys.covering!, 'position', 30, 0);

    r = await execute(keys.temperature!, 'turnOn');
    expect(r).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED_COMMAND' } });
  }, 120_000);

  it('reports changes made on the device side', async () => {
    const after = controller.events().length;
    await devices.ok({ cmd: 'set', endpoint: 'bulb', values: { onOff: { onOff: false } } });
    await update(keys.light!, 'on', false, after);
    await devices.ok({ cmd: 'set', endpoint: 'plug', values: { electricalPowerMeasurement: { activePower: 60_500 }, electricalEnergyMeasurement: { cumulativeEnergyImported: { energy: 2_250_000 } } } });
    await update(keys.plug!, 'powerW', 60.5, after);
    await update(keys.plug!, 'energyKWh', 2.25, after);
    await devices.ok({ cmd: 'set', endpoint: 'thermostat', values: { thermostat: { localTemperature: 2333 } } });
    await update(keys.thermostat!, 'ambientC', 23.33, after);
    await devices.ok({ cmd: 'set', endpoint: 'temperature', values: { temperatureMeasurement: { measuredValue: 1875 } } });
    await update(keys.temperature!, 'temperatureC', 18.75, after);
    await devices.ok({ cmd: 'set', endpoint: 'humidity', values: { relativeHumidityMeasurement: { measuredValue: 6025 } } });
    await update(keys.humidity!, 'humidityPct', 60.25, after);
    await devices.ok({ cmd: 'set', endpoint: 'occupancy', values: { occupancySensing: { occupancy: { occupied: true } } } });
    await update(keys.occupancy!, 'occupied', true, after);
    await devices.ok({ cmd: 'set', endpoint: 'contact', values: { booleanState: { stateValue: false } } });
    await update(keys.contact!, 'open', true, after);
    await devices.ok({ cmd: 'set', endpoint: 'smoke', values: { smokeCoAlarm: { smokeState: 2, expressedState: 1 } } });
    await update(keys.smoke!, 'smokeDetected', true, after);
    await devices.ok({ cmd: 'set', endpoint: 'leak', values: { booleanState: { stateValue: true } } });
    await update(keys.leak!, 'leakDetected', true, after);
    await devices.ok({ cmd: 'set', endpoint: 'lock', values: { doorLock: { lockState: 2 } } });
    await update(keys.lock!, 'locked', false, after);
    // an update carries only what changed
    const plugUpdates = controller.events().slice(after).filter((e) => e.event === 'update' && e.key === keys.plug);
    for (const u of plugUpdates) expect(Object.keys(u.state).every((f) => f === 'powerW' || f === 'energyKWh')).toBe(true);
    expect((await controller.ok({ cmd: 'state', key: keys.plug })).state).toEqual({ on: true, powerW: 60.5, energyKWh: 2.25 });
  }, 60_000);

  it('reconnects after the device process restarts', async () => {
    await devices.stop();
    devices = (await lab.startDevices(deviceDir)).proc;
    const after = controller.events().length;
    // a change on the restarted device reaches us once the controller has resubscribed
    await waitUntil(
      async () => {
        await devices.ok({ cmd: 'set', endpoint: 'temperature', values: { temperatureMeasurement: { measuredValue: 1900 + Math.floor(Math.random() * 50) } } });
        return controller.events().slice(after).find((e) => e.event === 'update' && e.key === keys.temperature && typeof e.state.temperatureC === 'number');
      },
      'a reported change after the restart',
      60_000,
      2_000,
    );
    const r = await waitUntil(async () => {
      const x = await execute(keys.plug!, 'turnOff');
      return x.ok ? x : undefined;
    }, 'a command after the restart', 30_000, 500);
    expect(r.state).toMatchObject({ on: false });
    expect((await onDevice('plug')).onOff!.onOff).toBe(false);
  }, 150_000);

  it('keeps its fabric across a controller restart: no re-commissioning, owner-only files, no secret in its logs', async () => {
    const before = controller.proc.stderr.join('\n');
    await controller.request({ cmd: 'close' });
    await controller.proc.exited;
    const started = await lab.startController(controllerDir);
    controller = started.proc;
    const keysAfter = (started.ready.found as Found[]).map((f) => f.key).sort();
    expect(keysAfter).toEqual(Object.values(keys).sort());
    // the state is the device's now (the plug was switched off after the device restart), not a stale copy
    const plug = await onDevice('plug');
    expect((started.ready.found as Found[]).find((f) => f.key === keys.plug)!.state).toEqual({
      on: false,
      powerW: plug.electricalPowerMeasurement!.activePower / 1000,
      energyKWh: plug.electricalEnergyMeasurement!.cumulativeEnergyImported.energy / 1_000_000,
    });
    const files = modes(join(controllerDir, 'matter'));
    expect(files.filter((f) => !f.dir).length).toBeGreaterThan(0);
    for (const f of files) expect([f.path, f.mode]).toEqual([f.path, f.dir ? 0o700 : 0o600]);
    expect(statSync(join(controllerDir, 'matter')).mode & 0o777).toBe(0o700);
    const logs = before + controller.proc.stderr.join('\n');
    for (const code of [codes.light!.manual, codes.home!.manual, codes.home!.qr, '20202021', '20202022']) expect(logs).not.toContain(code);

    await openAll(started.ready.found as Found[]);
    const r = await execute(keys.light!, 'setBrightness', { brightness: 25 });
    expect(r.ok).toBe(true);
    expect((await onDevice('bulb')).levelControl!.currentLevel).toBe(64);
    expect(r.state).toMatchObject({ on: true, brightness: 25 });
  }, 120_000);

  it('shares the light with a second controller through a commissioning window, which then decommissions it', async () => {
    const shared = await controller.ok({ cmd: 'share', key: keys.light }, 30_000);
    expect(shared.codes.manualPairingCode).toMatch(/^\d{11}$/);
    const second = (await lab.startController(lab.tmp())).proc;
    try {
      const r = await second.ok({ cmd: 'commission', code: shared.codes.manualPairingCode }, 90_000);
      expect((r.found as Found[]).map((f) => [f.descriptor.type, f.label])).toEqual([['light', 'Steward Test Devices Colour Bulb']]);
      expect((await devices.ok({ cmd: 'fabrics', node: 'light' })).fabrics).toBe(2);
      const key2 = (r.found as Found[])[0]!.key;
      await second.ok({ cmd: 'forget', key: key2 }, 30_000);
      await second.waitEvent((e) => e.event === 'discovery' && e.kind === 'lost' && e.key === key2, 'the lost event');
      await waitUntil(async () => (await devices.ok({ cmd: 'fabrics', node: 'light' })).fabrics === 1, 'the second fabric removed from the light');
      expect((await second.ok({ cmd: 'found' })).found).toEqual([]);
    } finally {
      await second.stop();
    }
    // ours still drives it
    const r = await execute(keys.light!, 'turnOff');
    expect(r, JSON.stringify(r)).toMatchObject({ ok: true, state: { on: false } });
  }, 150_000);

  it('forgets one endpoint of a node still in use, and decommissions the node with its last one: RemoveFabric on the device', async () => {
    let after = controller.events().length;
    await controller.ok({ cmd: 'forget', key: keys.plug }, 30_000);
    const lostNow = () => controller.events().slice(after).filter((e) => e.event === 'discovery' && e.kind === 'lost').map((e) => e.key as string).sort();
    expect(lostNow()).toEqual([keys.plug]);
    expect((await devices.ok({ cmd: 'fabrics', node: 'home' })).fabrics).toBe(1);
    const homeKeys = Object.entries(keys).filter(([n]) => n !== 'light' && n !== 'plug').map(([, k]) => k!);
    expect((await controller.ok({ cmd: 'found' })).found.map((f: Found) => f.key).sort()).toEqual([keys.light!, ...homeKeys].sort());
    // the others still work
    expect(await execute(keys.lock!, 'lock')).toMatchObject({ ok: true, state: { locked: true } });

    for (const k of homeKeys) await controller.ok({ cmd: 'closeDriver', key: k });
    after = controller.events().length;
    await controller.ok({ cmd: 'forget', key: keys.lock }, 30_000);
    expect(lostNow()).toEqual([...homeKeys].sort());
    await waitUntil(async () => (await devices.ok({ cmd: 'fabrics', node: 'home' })).fabrics === 0, 'the home node to have no fabric');
    expect((await controller.ok({ cmd: 'found' })).found.map((f: Found) => f.key)).toEqual([keys.light]);
    const r = await controller.request({ cmd: 'forget', key: keys.plug });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  }, 60_000);
});
