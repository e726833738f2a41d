/**
 * The hub's dashboard feature without a browser: the controls it generates from the device model, and how it serves
 * a build (real files in a temp folder, a real fastify app): cache headers, nothing outside the build, and a clear
 * page when the dashboard was never built.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { loadHome } from '@steward/device-adapters';
import { fieldControls } from '@steward/hub/dashboard/controls.ts';
import { dashboardStatic, loadDashboard } from '@steward/hub/dashboard/static.ts';

const home = loadHome(resolve(import.meta.dirname, '..', 'hub', 'src', 'demo', 'demo-home.json'));
const device = (id: string) => home.devices.find((d) => d.id === id)!;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('controls generated from the trait fields', () => {
  it('gives each field its type, unit, range or options, and the direct command that sets it', () => {
    const lamp = fieldControls(device('reading_lamp'));
    expect(lamp.map((c) => c.field)).toEqual(['on', 'brightness', 'hue', 'saturation']);
    expect(lamp.find((c) => c.field === 'on')).toEqual({
      trait: 'onOff',
      field: 'on',
      datatype: 'boolean',
      readOnly: false,
      set: { kind: 'boolean', on: { command: 'turnOn', params: {} }, off: { command: 'turnOff', params: {} } },
    });
    expect(lamp.find((c) => c.field === 'brightness')).toEqual({
      trait: 'brightness',
      field: 'brightness',
      datatype: 'integer',
      unit: '%',
      readOnly: false,
      range: [0, 100],
      set: { kind: 'number', command: 'setBrightness', param: 'brightness' },
    });
    expect(lamp.find((c) => c.field === 'hue')?.set).toEqual({ kind: 'number', command: 'setColor', param: 'hue' });

    const ac = fieldControls(device('living_room_ac'));
    const mode = ac.find((c) => c.field === 'mode')!;
    expect(mode.set?.kind).toBe('enum');
    expect(mode.options).toContain('cool');
    expect(mode.set?.kind === 'enum' && mode.set.calls.cool).toEqual({ command: 'setMode', params: { mode: 'cool' } });
    expect(ac.find((c) => c.field === 'ambientC')).toEqual({ trait: 'thermostat', field: 'ambientC', datatype: 'float', unit: '°C', readOnly: true });

    expect(fieldControls(device('front_door'))[0]?.set).toEqual({ kind: 'boolean', on: { command: 'lock', params: {} }, off: { command: 'unlock', params: {} } });
    expect(fieldControls(device('dishwasher')).find((c) => c.field === 'running')?.set).toEqual({
      kind: 'boolean',
      on: { command: 'startProgram', params: {} },
      off: { command: 'pauseProgram', params: {} },
    });
    expect(fieldControls(device('kitchen_robot')).find((c) => c.field === 'batteryPct')).toMatchObject({ readOnly: true, unit: '%' });
    expect(fieldControls(device('kitchen_robot')).find((c) => c.field === 'batteryPct')?.set).toBeUndefined();
  });
});

async function serve(dist: string) {
  const app = Fastify();
  await app.register(dashboardStatic, { files: loadDashboard(dist) });
  return app;
}

describe('serving the built dashboard', () => {
  it('serves index.html without caching and the assets as immutable, by exact name only', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'steward-dash-'));
    dirs.push(dist);
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(dist, 'assets', 'app-ABC.js'), 'console.log(1)');
    writeFileSync(join(dist, 'secret.txt'), 'not served');
    const app = await serve(dist);
    const index = await app.inject('/');
    expect(index.statusCode).toBe(200);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.body).toBe('<!doctype html><title>t</title>');
    expect((await app.inject('/docs')).body).toBe(index.body);
    const js = await app.inject('/assets/app-ABC.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const url of ['/assets/..%2Fsecret.txt', '/assets/../secret.txt', '/assets/%2e%2e%2fsecret.txt', '/secret.txt', '/assets/', '/assets/app-abc.js']) {
      const r = await app.inject(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.body, url).not.toContain('not served');
    }
    await app.close();
  });

  it('answers / with a page that says how to build the dashboard when it is missing', async () => {
    const app = await serve(join(tmpdir(), 'steward-no-such-dashboard'));
    const r = await app.inject('/');
    expect(r.statusCode).toBe(503);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toContain('The dashboard is not built');
    expect(r.body).toContain('npm run build');
    expect((await app.inject('/assets/app.js')).statusCode).toBe(404);
    await app.close();
  });
});
