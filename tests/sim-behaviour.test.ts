import { describe, expect, it } from 'vitest';
import type { StateUpdate } from '@steward/device-adapters';
import { ManualClock, SimulatedDriver, PROGRAM_MINUTES, VACUUM, EV, TRAVEL_MS, MOTION_STEP_MS } from '@steward/simulators';
import { benchmarkHome } from './helpers/agents.ts';

// Simulated devices with controllable time: ManualClock.advance fires due timers in order, nothing else runs.
const MIN = 60_000;

function device(id: string, clock: ManualClock, state: Record<string, unknown> = {}) {
  const d = benchmarkHome().devices.find((x) => x.id === id)!;
  const node = benchmarkHome().nodes.find((n) => n.id === d.node)!;
  const driver = new SimulatedDriver(d, { ...d.state, ...(state as object) }, { clock, nodeKind: node.kind });
  const updates: StateUpdate[] = [];
  driver.onUpdate((u) => updates.push(u));
  return { driver, updates, initial: d.state };
}

describe('ManualClock', () => {
  it('fires due timers in time order, intervals repeatedly, and cancelled ones never', () => {
    const clock = new ManualClock();
    const log: string[] = [];
    clock.setTimeout(() => log.push('b@300'), 300);
    clock.every(200, () => log.push(`tick@${clock.now()}`));
    const c = clock.setTimeout(() => log.push('never'), 100);
    c.cancel();
    clock.advance(500);
    expect(log).toEqual(['tick@200', 'b@300', 'tick@400']);
    expect(clock.now()).toBe(500);
  });
});

describe('washer and dishwasher', () => {
  it('a quick wash counts remainingMin down each minute and stops at 0', async () => {
    const clock = new ManualClock();
    const { driver, updates } = device('washing_machine', clock);
    await driver.execute('startProgram', { program: 'quick' });
    expect(driver.state()).toMatchObject({ running: true, program: 'quick', remainingMin: PROGRAM_MINUTES.washer!.quick });
    clock.advance(MIN);
    expect(driver.state().remainingMin).toBe(29);
    clock.advance(10 * MIN);
    expect(driver.state()).toMatchObject({ running: true, remainingMin: 19 });
    clock.advance(19 * MIN);
    expect(driver.state()).toMatchObject({ running: false, remainingMin: 0, program: 'quick' });
    // every minute was reported, and the end is one update
    expect(updates.filter((u) => 'remainingMin' in u.state)).toHaveLength(1 + 30);
    expect(updates.at(-1)!.state).toEqual({ remainingMin: 0, running: false });
    clock.advance(5 * MIN);
    expect(driver.state().remainingMin).toBe(0);
  });

  it('pause keeps remainingMin, resume continues from there, cancel zeroes it', async () => {
    const clock = new ManualClock();
    const { driver } = device('dishwasher', clock);
    await driver.execute('startProgram', {});
    expect(driver.state()).toMatchObject({ program: 'eco', remainingMin: 180 });
    clock.advance(30 * MIN);
    await driver.execute('pauseProgram', {});
    clock.advance(60 * MIN);
    expect(driver.state()).toMatchObject({ running: false, remainingMin: 150 });
    await driver.execute('startProgram', {});
    clock.advance(10 * MIN);
    expect(driver.state()).toMatchObject({ running: true, remainingMin: 140 });
    await driver.execute('cancelProgram', {});
    expect(driver.state()).toMatchObject({ running: false, remainingMin: 0 });
    clock.advance(10 * MIN);
    expect(driver.state().remainingMin).toBe(0);
  });

  it('refuses to switch programs mid-cycle', async () => {
    const clock = new ManualClock();
    const { driver } = device('dishwasher', clock);
    await driver.execute('startProgram', { program: 'intensive' });
    await expect(driver.execute('startProgram', { program: 'quick' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(driver.state()).toMatchObject({ program: 'intensive', remainingMin: 130 });
  });
});

describe('thermostat devices', () => {
  it('an AC cooling drifts ambientC toward the target and holds it there', async () => {
    const clock = new ManualClock();
    const { driver } = device('living_room_ac', clock); // ambient 29, target 26, auto
    await driver.execute('turnOn', {});
    await driver.execute('setMode', { mode: 'cool' });
    clock.advance(10 * MIN);
    const after10 = driver.state().ambientC as number;
    expect(after10).toBeLessThan(29);
    expect(after10).toBeGreaterThan(26);
    clock.advance(120 * MIN);
    expect(driver.state().ambientC).toBe(26);
    clock.advance(60 * MIN);
    expect(driver.state().ambientC).toBe(26);
  });

  it('cool mode never heats a cold room; heat mode warms it; off drifts back toward the room baseline', async () => {
    const clock = new ManualClock();
    const { driver } = device('bedroom_ac', clock); // ambient 18, target 22, mode cool
    await driver.execute('turnOn', {});
    clock.advance(30 * MIN);
    expect(driver.state().ambientC).toBe(18); // baseline is 18 too: nothing pushes it
    await driver.execute('setMode', { mode: 'heat' });
    clock.advance(60 * MIN);
    expect(driver.state().ambientC).toBe(22);
    await driver.execute('turnOff', {});
    clock.advance(20 * MIN);
    const cooling = driver.state().ambientC as number;
    expect(cooling).toBeLessThan(22);
    expect(cooling).toBeGreaterThanOrEqual(18);
  });

  it('a water heater keeps heating toward its target while on', async () => {
    const clock = new ManualClock();
    const { driver } = device('water_heater', clock); // on, 48 -> 50
    clock.advance(30 * MIN);
    expect(driver.state().ambientC).toBe(50);
  });
});

describe('robot vacuum', () => {
  it('drains while cleaning, returns when told, is docked after the trip, charges when docked', async () => {
    const clock = new ManualClock();
    const { driver } = device('robot_vacuum', clock);
    await driver.execute('startCleaning', {});
    clock.advance(20 * MIN);
    expect(driver.state()).toEqual({ status: 'cleaning', batteryPct: 80, remainingMin: VACUUM.runMin - 20 });
    await driver.execute('returnToDock', {});
    expect(driver.state().status).toBe('returning');
    clock.advance(VACUUM.returnMs - 1);
    expect(driver.state().status).toBe('returning');
    clock.advance(1);
    expect(driver.state().status).toBe('docked');
    clock.advance(20 * MIN);
    expect(driver.state().batteryPct).toBe(90);
  });

  it('goes home by itself when its battery runs low', async () => {
    const clock = new ManualClock();
    const { driver } = device('robot_vacuum', clock, { batteryPct: 20 });
    await driver.execute('startCleaning', {});
    clock.advance(5 * MIN);
    expect(driver.state()).toEqual({ status: 'returning', batteryPct: VACUUM.lowBatteryPct, remainingMin: 0 });
    clock.advance(VACUUM.returnMs);
    expect(driver.state().status).toBe('docked');
  });

  it('reports the minutes of its run left: counted down while cleaning, kept while paused, 0 when it is done and home', async () => {
    const clock = new ManualClock();
    const { driver, updates } = device('robot_vacuum', clock);
    // the benchmark home's state has no remainingMin: the robot reports that no run is under way
    expect(driver.state()).toEqual({ status: 'docked', batteryPct: 100, remainingMin: 0 });
    await driver.execute('startCleaning', {});
    expect(driver.state()).toEqual({ status: 'cleaning', batteryPct: 100, remainingMin: VACUUM.runMin });
    expect(updates.at(-1)!.state).toEqual({ status: 'cleaning', remainingMin: VACUUM.runMin });
    clock.advance(10 * MIN);
    expect(driver.state().remainingMin).toBe(VACUUM.runMin - 10);
    await driver.execute('pauseCleaning', {});
    clock.advance(10 * MIN);
    expect(driver.state()).toMatchObject({ status: 'paused', remainingMin: VACUUM.runMin - 10 });
    await driver.execute('startCleaning', {});
    expect(driver.state()).toMatchObject({ status: 'cleaning', remainingMin: VACUUM.runMin - 10 });
    clock.advance((VACUUM.runMin - 11) * MIN);
    expect(driver.state()).toMatchObject({ status: 'cleaning', remainingMin: 1 });
    clock.advance(MIN);
    expect(driver.state()).toEqual({ status: 'returning', batteryPct: 100 - VACUUM.runMin, remainingMin: 0 });
    clock.advance(VACUUM.returnMs);
    expect(driver.state()).toMatchObject({ status: 'docked', remainingMin: 0 });
    // a new run from the dock starts from the full length
    await driver.execute('startCleaning', {});
    expect(driver.state().remainingMin).toBe(VACUUM.runMin);
    await driver.execute('returnToDock', {});
    expect(driver.state()).toMatchObject({ status: 'returning', remainingMin: 0 });
  });
});

describe('gradual position', () => {
  it('a curtain moves at its speed, holds the commanded value as target, and clears it on arrival', async () => {
    const clock = new ManualClock();
    const { driver, updates } = device('living_room_curtains', clock);
    await driver.execute('open', {});
    expect(driver.state().position).toBe(0);
    expect(driver.targets()).toEqual({ position: 100 });
    expect(updates[0]).toEqual({ state: {}, targets: { position: 100 } });
    clock.advance(TRAVEL_MS.curtain!.position! / 2);
    expect(driver.state().position).toBe(50);
    expect(driver.targets()).toEqual({ position: 100 });
    clock.advance(TRAVEL_MS.curtain!.position! / 2);
    expect(driver.state().position).toBe(100);
    expect(driver.targets()).toEqual({});
    expect(updates.at(-1)).toEqual({ state: { position: 100 }, targets: { position: null } });
    // the position passed through intermediate values on the way
    const seen = updates.map((u) => u.state.position).filter((p) => p !== undefined);
    expect(seen.length).toBeGreaterThan(10);
    expect(seen).toEqual([...seen].sort((a, b) => (a as number) - (b as number)));
  });

  it('a car window is much faster, and stopMoving stops where it is', async () => {
    const clock = new ManualClock();
    const { driver } = device('car_windows', clock);
    await driver.execute('setPosition', { position: 100 });
    clock.advance(TRAVEL_MS.window!.position! / 4);
    await driver.execute('stopMoving', {});
    expect(driver.state().position).toBe(25);
    expect(driver.targets()).toEqual({});
    clock.advance(10_000);
    expect(driver.state().position).toBe(25);
  });

  it('a new target redirects a moving trunk', async () => {
    const clock = new ManualClock();
    const { driver } = device('car_trunk', clock);
    await driver.execute('open', {});
    clock.advance(3 * MOTION_STEP_MS * 4); // 3 s of 6
    expect(driver.state().position).toBe(50);
    await driver.execute('close', {});
    expect(driver.targets()).toEqual({ position: 0 });
    clock.advance(3_000);
    expect(driver.state().position).toBe(0);
    expect(driver.targets()).toEqual({});
  });
});

describe('EV battery', () => {
  it('charges about 1 % per 2 minutes and stops at the limit', async () => {
    const clock = new ManualClock();
    const { driver } = device('car_battery', clock); // 62 %, limit 80
    await driver.execute('startCharging', {});
    clock.advance(20 * MIN);
    expect(driver.state()).toMatchObject({ charging: true, batteryPct: 72, remainingMin: 16 });
    clock.advance(60 * MIN);
    expect(driver.state()).toEqual({ charging: false, batteryPct: 80, chargeLimitPct: 80, remainingMin: 0 });
  });

  it('reports the minutes to the charge limit at its rate while charging, 0 when not', async () => {
    const clock = new ManualClock();
    const { driver } = device('car_battery', clock); // 62 %, limit 80
    expect(driver.state().remainingMin).toBe(0);
    await driver.execute('startCharging', {});
    expect(driver.state().remainingMin).toBe((80 - 62) / EV.chargePctPerMin);
    clock.advance(3 * MIN);
    expect(driver.state()).toMatchObject({ batteryPct: 63, remainingMin: (80 - 62) / EV.chargePctPerMin - 3 });
    await driver.execute('setChargeLimit', { percent: 90 });
    expect(driver.state().remainingMin).toBe(Math.ceil((90 - 63.5) / EV.chargePctPerMin));
    await driver.execute('stopCharging', {});
    expect(driver.state()).toMatchObject({ charging: false, remainingMin: 0 });
  });

  it('stops at once when the limit is lowered below the level', async () => {
    const clock = new ManualClock();
    const { driver } = device('car_battery', clock);
    await driver.execute('startCharging', {});
    await driver.execute('setChargeLimit', { percent: 60 });
    expect(driver.state()).toMatchObject({ charging: false, batteryPct: 62, chargeLimitPct: 60 });
  });
});

describe('reset', () => {
  it('restores the initial state and cancels every timer and motion', async () => {
    const clock = new ManualClock();
    const curtain = device('living_room_curtains', clock);
    const washer = device('washing_machine', clock);
    const vacuum = device('robot_vacuum', clock);
    await curtain.driver.execute('open', {});
    await washer.driver.execute('startProgram', { program: 'cotton' });
    await vacuum.driver.execute('startCleaning', {});
    clock.advance(5 * MIN);
    await Promise.all([curtain.driver.reset(), washer.driver.reset(), vacuum.driver.reset()]);
    // the vacuum reports that no run is under way
    vacuum.initial = { ...vacuum.initial, remainingMin: 0 };
    for (const d of [curtain, washer, vacuum]) {
      expect(d.driver.state()).toEqual(d.initial);
      expect(d.driver.targets()).toEqual({});
    }
    // a reset reports the whole state and drops pending targets
    expect(curtain.updates.at(-1)).toEqual({ state: { position: 0 }, targets: {} });
    clock.advance(60 * MIN);
    for (const d of [curtain, washer]) expect(d.driver.state()).toEqual(d.initial);
    // a docked, full vacuum stays as it was
    expect(vacuum.driver.state()).toEqual(vacuum.initial);
  });

  it('refuses commands the device model refuses, leaving the state unchanged', async () => {
    const clock = new ManualClock();
    const { driver, updates } = device('living_room_light', clock);
    await expect(driver.execute('setBrightness', { brightness: 150 })).rejects.toMatchObject({ code: 'OUT_OF_RANGE' });
    await expect(driver.execute('fly', {})).rejects.toMatchObject({ code: 'UNKNOWN_COMMAND' });
    await expect(driver.execute('setColor', { hue: 3 })).rejects.toMatchObject({ code: 'UNSUPPORTED_COMMAND' });
    expect(updates).toEqual([]);
  });
});
