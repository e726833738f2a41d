/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core (never a downloaded browser), with a
 * fresh profile and the flags that keep it from talking to anything but the hub, against a real hub running the
 * demo home as real node-agent processes. What the simulated devices report is read over MQTT by a test client,
 * not from the hub. One browser and one hub for the file (restarted once on the same data folder and port).
 * Screenshots go to test-artifacts/dashboard/ (gitignored).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type jsQRType from 'jsqr';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHome } from '@steward/device-adapters';
import { startAgentProcess, type AgentProcess } from './helpers/agents.ts';
import { ADOPTION_HOME, DISCOVERY_NODE, HOSTILE_LABEL, discoveryNodeConfig } from './helpers/adoption-node.ts';
import { writeHomeFile } from './helpers/hub-home.ts';
import { NodeReports } from './helpers/hub-nodes.ts';
import { startTestHub, tempDataDir, type TestHub } from './helpers/hub-start.ts';
import { freePort } from './helpers/ports.ts';
import { startScriptedLlm, type ScriptedLlm } from './helpers/scripted-llm.ts';
import { waitUntil } from './helpers/wait.ts';

const DEMO_HOME = resolve(import.meta.dirname, '..', 'hub', 'src', 'demo', 'demo-home.json');
const home = loadHome(DEMO_HOME);
const ARTIFACTS = resolve(import.meta.dirname, '..', 'test-artifacts', 'dashboard');
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// the microphone: Chromium's own fake capture device (a tone), allowed without a prompt
const MEDIA_FLAGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];
const require = createRequire(import.meta.url);
const axeSource = (require('axe-core') as { source: string }).source;
// a CommonJS package: its function is module.exports itself
const jsQR = require('jsqr') as typeof jsQRType.default;

let hub: TestHub | undefined;
/** the hub's planner backend: a scripted OpenAI-compatible server (the rules answer what they understand first) */
let llm: ScriptedLlm;
let nodes: NodeReports | undefined;
let context: BrowserContext;
let page: Page;
let port: number;
let dataDir: string;
let profile: string;
/** the errors the page logged: none expected */
const pageErrors: string[] = [];

async function startHub(): Promise<void> {
  hub = await startTestHub({ homeFile: DEMO_HOME, demo: true, dataDir, httpPort: port, llm: { url: llm.url, model: 'scripted' } });
  nodes = await NodeReports.connect(hub.hub.mqttUrl, home, await hub.mqttAdmin());
}

async function stopHub(): Promise<void> {
  await nodes?.close();
  await hub?.stop();
  nodes = undefined;
  hub = undefined;
}

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const tile = (deviceId: string) => page.locator(`[data-device="${deviceId}"]`);
const value = (deviceId: string, field: string) => tile(deviceId).locator(`[data-field="${field}"]`);

async function go(view: 'home' | 'conversation' | 'pairing' | 'history'): Promise<void> {
  const names = { home: 'Home', conversation: 'Conversation', pairing: 'Pairing & adoption', history: 'History' };
  await page.getByRole('link', { name: names[view], exact: true }).click();
  await page.locator('nav a[aria-current="page"]', { hasText: names[view] }).waitFor();
}

/** axe-core run inside the page: the serious and critical violations, as `rule: targets` lines */
async function seriousViolations(): Promise<string[]> {
  // through the DevTools protocol: the page's Content-Security-Policy (script-src 'self') refuses inline scripts
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

beforeAll(async () => {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  port = await freePort();
  dataDir = tempDataDir();
  profile = mkdtempSync(join(tmpdir(), 'steward-chromium-'));
  llm = await startScriptedLlm();
  await startHub();
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: [...FLAGS, ...MEDIA_FLAGS], locale: 'en-US', viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // the page may fetch nothing but the hub
  await context.route('**/*', (route) => (new URL(route.request().url()).host === `127.0.0.1:${port}` || route.request().url().startsWith('data:') ? route.continue() : route.abort()));
}, 120_000);

afterAll(async () => {
  await context?.close();
  await stopHub();
  await llm?.close();
  rmSync(profile, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the dashboard in Chromium against the demo home', { timeout: 60_000 }, () => {
  it('is served by the hub: the page without caching, hashed assets as immutable, no path outside the build', async () => {
    const base = `http://127.0.0.1:${port}`;
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await index.text();
    const js = /src="(\/assets\/app-[A-Z0-9]+\.js)"/.exec(html)?.[1];
    expect(js).toMatch(/^\/assets\/app-[A-Z0-9]+\.js$/);
    const asset = await fetch(`${base}${js}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${base}/docs`)).status).toBe(200);
    // a browser on another machine loads the page (no data in it) and must sign in for the data
    const app = hub!.hub.feature('api').app;
    const remote = await app.inject({ method: 'GET', url: '/', remoteAddress: '192.0.2.7' });
    expect(remote.statusCode).toBe(200);
    expect(remote.body).toBe(html);
    expect((await app.inject({ method: 'GET', url: '/api/devices', remoteAddress: '192.0.2.7' })).statusCode).toBe(401);
    for (const path of ['/assets/..%2Findex.html', '/assets/..%2F..%2Fpackage.json', '/assets/%2e%2e/%2e%2e/package.json', '/assets/nope.js', '/../package.json']) {
      const r = await fetch(`${base}${path}`);
      expect(r.status, path).toBe(404);
      expect(await r.text(), path).not.toContain('"name"');
    }
  });

  it('lists every device of the demo home by area, online, with its main values as text, read-only before sign-in', async () => {
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.locator('[data-device]').nth(home.devices.length - 1).waitFor();
    const ids = await page.locator('[data-device]').evaluateAll((els) => els.map((e) => e.getAttribute('data-device')));
    expect(ids.sort()).toEqual(home.devices.map((d) => d.id).sort());
    const areas = await page.locator('section.area h2').allTextContents();
    expect(areas.sort()).toEqual(['Bedroom', 'Car', 'Entrance', 'Kitchen', 'Living room', 'Study']);
    await expect.poll(() => page.locator('[data-status]', { hasText: 'offline' }).count()).toBe(0);
    expect(await page.locator('[data-status]', { hasText: 'online' }).count()).toBe(home.devices.length);
    // main values as text, from the home's initial states
    expect(await value('reading_lamp', 'brightness').textContent()).toBe('40 %');
    expect(await value('living_room_ac', 'targetC').textContent()).toBe('25 °C');
    expect(await value('kitchen_robot', 'status').textContent()).toBe('docked');
    expect(await value('kitchen_robot', 'batteryPct').textContent()).toBe('90 %');
    expect(await value('front_door', 'locked').textContent()).toBe('locked');
    expect(await value('porch_light', 'on').textContent()).toBe('off');
    // controls generated from the traits: a switch, a slider, a colour, a mode select, a program start, a position
    await expect.poll(() => page.getByRole('switch', { name: 'Porch light: on' }).count()).toBe(1);
    expect(await page.getByRole('slider', { name: 'Reading lamp: brightness' }).getAttribute('max')).toBe('100');
    expect(await page.getByLabel('Reading lamp: Colour').getAttribute('type')).toBe('color');
    expect(await page.getByRole('combobox', { name: 'Air conditioner: mode' }).locator('option').allTextContents()).toContain('cool');
    expect(await page.getByRole('button', { name: 'Dishwasher: Start' }).count()).toBe(1);
    expect(await page.getByRole('slider', { name: 'Blinds: position' }).inputValue()).toBe('50');
    // nobody signed in: shown read-only, controls disabled
    expect(await page.locator('[data-readonly]').isVisible()).toBe(true);
    expect(await page.getByRole('switch', { name: 'Porch light: on' }).isDisabled()).toBe(true);
    await shot('home-readonly');
  });

  it('signs in with the admin token, which enables the controls', async () => {
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Admin token', { exact: true }).fill('not-the-token');
    await page.locator('form.signin button[type="submit"]').click();
    await page.locator('form.signin [role="alert"]').waitFor();
    expect(await page.getByRole('switch', { name: 'Porch light: on' }).isDisabled()).toBe(true);
    await page.getByLabel('Admin token', { exact: true }).fill(hub!.token);
    await page.locator('form.signin button[type="submit"]').click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await page.locator('[data-readonly]').count()).toBe(0);
    expect(await page.getByRole('switch', { name: 'Porch light: on' }).isEnabled()).toBe(true);
  });

  it('a typed command turns a lamp on and its tile shows it without a reload', async () => {
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));
    await go('conversation');
    await page.getByLabel('Say something to your home').fill('turn on the porch light');
    await page.getByLabel('Say something to your home').press('Enter');
    await page.locator('[data-reply]').first().waitFor();
    expect(await page.locator('[data-reply]').first().textContent()).toMatch(/porch light/i);
    await nodes!.waitForValue('porch_light', 'on', true);
    await shot('conversation');
    await go('home');
    await expect.poll(() => value('porch_light', 'on').textContent(), { timeout: 10_000 }).toBe('on');
    expect(await page.getByRole('switch', { name: 'Porch light: on' }).isChecked()).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');
  });

  it("a switch on the page changes the simulated device's reported state, and the tile follows", async () => {
    expect(nodes!.value('desk_lamp', 'on')).toBe(false);
    await page.getByRole('switch', { name: 'Desk lamp: on' }).click();
    await nodes!.waitForValue('desk_lamp', 'on', true);
    await expect.poll(() => value('desk_lamp', 'on').textContent(), { timeout: 10_000 }).toBe('on');
    // a slider: the desk lamp's brightness to 30 % by keyboard (Home, then ten steps of 3 up)
    const slider = page.getByRole('slider', { name: 'Desk lamp: brightness' });
    await slider.focus();
    await slider.press('Home');
    await nodes!.waitForValue('desk_lamp', 'brightness', 0);
    for (let i = 0; i < 30; i++) await slider.press('ArrowRight');
    await nodes!.waitForValue('desk_lamp', 'brightness', 30);
    await expect.poll(() => value('desk_lamp', 'brightness').textContent(), { timeout: 10_000 }).toBe('30 %');
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, 0);
    });
    await page.screenshot({ path: join(ARTIFACTS, 'home-signed-in.png') });
  });

  it('an unlock asks for confirmation and nothing changes until Confirm', async () => {
    expect(nodes!.value('front_door', 'locked')).toBe(true);
    await page.getByRole('switch', { name: 'Front door: locked' }).click();
    const bar = tile('front_door').locator('[data-confirmation]');
    await bar.waitFor();
    expect(await bar.textContent()).toMatch(/front door/i);
    // the switch still shows the truth: locked
    expect(await page.getByRole('switch', { name: 'Front door: locked' }).isChecked()).toBe(true);
    const pending = (await hub!.api.get('/api/confirmations')).body.confirmations;
    expect(pending.map((c: { actions: { deviceId: string; command: string }[] }) => c.actions)).toEqual([[{ deviceId: 'front_door', command: 'unlock', params: {} }]]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(nodes!.value('front_door', 'locked')).toBe(true);
    expect(await value('front_door', 'locked').textContent()).toBe('locked');
    await shot('confirmation');
    await bar.getByRole('button', { name: 'Confirm' }).click();
    await nodes!.waitForValue('front_door', 'locked', false);
    await expect.poll(() => value('front_door', 'locked').textContent(), { timeout: 10_000 }).toBe('unlocked');
    await expect.poll(() => bar.count()).toBe(0);
  });

  it('a sentence that unlocks asks in the conversation, and Cancel leaves the car locked', async () => {
    await go('conversation');
    await page.getByLabel('Say something to your home').fill('unlock the car doors');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const turn = page.locator('[data-turn]').last();
    const bar = turn.locator('[data-confirmation]');
    await bar.waitFor();
    expect(await bar.textContent()).toMatch(/car doors/i);
    const pending = (await hub!.api.get('/api/confirmations')).body.confirmations;
    expect(pending.map((c: { confirmationId: string }) => c.confirmationId)).toEqual([await bar.getAttribute('data-confirmation')]);
    await bar.getByRole('button', { name: 'Cancel' }).click();
    await turn.locator('.settled', { hasText: 'Cancelled' }).waitFor();
    expect((await hub!.api.get('/api/confirmations')).body.confirmations).toEqual([]);
    expect(nodes!.value('car_doors', 'locked')).toBe(true);
  });

  it("the microphone button records, posts the audio to /api/voice and shows the hub's answer", async () => {
    const start = page.getByRole('button', { name: 'Record a spoken command' });
    await start.click();
    const stop = page.getByRole('button', { name: 'Stop recording and send' });
    await stop.waitFor();
    expect(await stop.getAttribute('aria-pressed')).toBe('true');
    await page.waitForTimeout(1500);
    const [request] = await Promise.all([page.waitForRequest((r) => new URL(r.url()).pathname === '/api/voice'), stop.click()]);
    expect(request.method()).toBe('POST');
    expect(request.headers()['content-type']).toBe('audio/webm');
    expect(request.postDataBuffer()!.length).toBeGreaterThan(1000);
    const response = (await request.response())!;
    const body = (await response.json()) as { reply?: string; error?: { message: string } };
    const turn = page.locator('[data-turn]').last();
    // what the speech engine makes of a test tone is not the point: the page shows what the hub answered
    if (response.status() === 200) await expect.poll(() => turn.locator('[data-reply]').textContent()).toContain(body.reply);
    else await expect.poll(() => turn.locator('.error').textContent()).toContain(body.error!.message);
  });

  it("a request the rules do not understand goes to the planner, and the conversation shows its steps and tool calls as they stream", async () => {
    expect(nodes!.value('bedroom_light', 'on')).toBe(false);
    llm.script([{ toolCalls: [{ name: 'turn_on', arguments: { device_ids: ['bedroom_light'] } }] }, { content: 'The bedroom light is on for your reading.' }]);
    await page.getByLabel('Say something to your home').fill('I would like to read in bed');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const turn = page.locator('[data-turn]').last();
    await expect.poll(() => turn.locator('[data-reply]').textContent(), { timeout: 15_000 }).toBe('Steward: The bedroom light is on for your reading.');
    expect(await turn.locator('details.steps ol li').allTextContents()).toEqual(['step 1', '→ turn_on({"device_ids":["bedroom_light"]})', '← turn_on: ok', 'step 2']);
    expect(llm.requests.length).toBe(2);
    await nodes!.waitForValue('bedroom_light', 'on', true);
    await shot('conversation-planner');
  });

  it('the pairing page shows an 8-digit code and a QR image that decodes to the pairing payload', async () => {
    await go('pairing');
    await page.getByRole('button', { name: 'Open a pairing window' }).click();
    const code = (await page.locator('[data-pairing-code]').textContent())!;
    expect(code).toMatch(/^\d{8}$/);
    const payload = (await page.locator('.payload code').textContent())!;
    expect(payload).toMatch(/^steward:\/\/pair\?/);
    expect(new URL(payload).searchParams.get('code')).toBe(code);
    expect((await hub!.api.get('/api/pairing')).body).toMatchObject({ open: true });
    // decode what is on the screen: the QR image's screenshot, its pixels read back through a canvas
    const png = await page.locator('[data-pairing-qr]').screenshot();
    const { width, height, data } = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      [c.width, c.height] = [img.naturalWidth, img.naturalHeight];
      const g = c.getContext('2d')!;
      g.drawImage(img, 0, 0);
      return { width: c.width, height: c.height, data: Array.from(g.getImageData(0, 0, c.width, c.height).data) };
    }, png.toString('base64'));
    const decoded = jsQR(Uint8ClampedArray.from(data), width, height);
    expect(decoded?.data).toBe(payload);
    // the nodes the hub knows, and the adoption list (or the hub saying it has none yet)
    expect((await page.locator('[data-node]').evaluateAll((els) => els.map((e) => e.getAttribute('data-node')))).sort()).toEqual(home.nodes.map((n) => n.id).sort());
    const adoptions = await hub!.api.get('/api/adoptions');
    if (adoptions.status === 404) await page.locator('[data-adoptions-unavailable]').waitFor();
    else expect(await page.locator('[data-adoption]').count()).toBe(adoptions.body.adoptions.length);
    await shot('pairing');
  });

  it('renames a device and moves it to another area from the page', async () => {
    const row = page.locator('[data-device-edit="car_seat_heating"]');
    await row.getByLabel('Name').fill('Seat warmer');
    // the home's areas, by their names
    expect(await row.getByLabel('Area').locator('option').allTextContents()).toEqual(['Living room', 'Kitchen', 'Bedroom', 'Study', 'Entrance', 'Car']);
    await row.getByLabel('Area').selectOption('bedroom');
    await row.getByRole('button', { name: 'Save' }).click();
    await waitUntil(async () => (await hub!.api.get('/api/devices/car_seat_heating')).body.area === 'bedroom', 'the move to the bedroom');
    const d = (await hub!.api.get('/api/devices/car_seat_heating')).body;
    expect(d.names.en[0]).toBe('Seat warmer');
    expect(d.names.zh).toEqual(home.devices.find((x) => x.id === 'car_seat_heating')!.names.zh);
    await go('home');
    await expect.poll(() => page.locator('section[data-area="bedroom"] [data-device="car_seat_heating"] h3').textContent(), { timeout: 10_000 }).toBe('Seat warmer');
    await go('pairing');
  });

  it("commissions the demo's colour bulb by its setup code (a wrong code shows the hub's error), adopts it, then removes it from the page", async () => {
    const form = page.locator('form.commission');
    await form.getByLabel('Node').selectOption('house-gateway');
    // a wrong code: the hub's own error text, nothing found
    await form.getByLabel('Setup code').fill('1234-567-8901');
    const [wrong] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === '/api/nodes/house-gateway/commission'), form.getByRole('button', { name: 'Commission' }).click()]);
    const err = ((await wrong.json()) as { error: { code: string; message: string } }).error;
    expect(wrong.status()).toBeGreaterThanOrEqual(400);
    await expect.poll(() => form.locator('[data-commission-error]').textContent()).toBe(`${err.message} (${err.code})`);
    expect((await hub!.api.get('/api/adoptions')).body.adoptions.map((a: { label: string }) => a.label)).not.toContain('Acme Colour Bulb B3 (simulated)');
    // the documented demo code: the bulb waits for adoption
    await form.getByLabel('Setup code').fill('3497-011-2332');
    await form.getByRole('button', { name: 'Commission' }).click();
    await expect.poll(() => form.locator('[data-commission-found]').textContent(), { timeout: 15_000 }).toBe('Found: Acme Colour Bulb B3 (simulated)');
    expect(await form.locator('[data-commission-error]').count()).toBe(0);
    const bulb = ((await hub!.api.get('/api/adoptions')).body.adoptions as { id: string; label: string }[]).find((a) => a.label === 'Acme Colour Bulb B3 (simulated)')!;
    const row = page.locator(`[data-adoption="${bulb.id}"]`);
    expect(await row.locator('strong').textContent()).toBe('Acme Colour Bulb B3 (simulated)');
    await row.getByLabel('Name').fill('colour bulb');
    await row.getByLabel('Area').selectOption('study');
    await row.getByRole('button', { name: 'Adopt' }).click();
    const adopted = await waitUntil(async () => (await hub!.api.get('/api/devices')).body.devices.find((d: { names: { en?: string[] } }) => d.names.en?.includes('colour bulb')), 'the adopted bulb among the devices', 15_000);
    expect(adopted).toMatchObject({ area: 'study', type: 'light', node: 'house-gateway' });
    const edit = page.locator(`[data-device-edit="${adopted.id}"]`);
    await edit.waitFor();
    await shot('commissioned');
    // remove it: the page asks first (a dialog), then the device is gone from the hub and the page
    page.once('dialog', (d) => void d.accept());
    await edit.getByRole('button', { name: `Remove ${adopted.id}` }).click();
    await waitUntil(async () => !(await hub!.api.get('/api/devices')).body.devices.some((d: { id: string }) => d.id === adopted.id), 'the bulb removed from /api/devices', 15_000);
    await expect.poll(() => edit.count(), { timeout: 10_000 }).toBe(0);
    await go('home');
    expect(await tile(adopted.id).count()).toBe(0);
    await expect.poll(() => page.locator('[data-device]').count()).toBe(home.devices.length);
  });

  it('the history lists earlier requests as trajectories with their steps and replies', async () => {
    await go('history');
    await page.locator('[data-trajectory]').first().waitFor();
    const first = page.locator('[data-trajectory]').filter({ hasText: 'turn on the porch light' });
    expect(await first.locator('summary').textContent()).toMatch(/\[rules\] turn on the porch light → .*porch light/i);
    await first.locator('summary').click();
    expect(await first.locator('ol li').allTextContents()).toEqual(expect.arrayContaining(['parse', expect.stringMatching(/^reply “/)]));
    // the unlock asked first: its trajectory records the request for confirmation
    const unlock = page.locator('[data-trajectory]').filter({ hasText: 'unlock the car doors' });
    await unlock.locator('summary').click();
    expect(await unlock.locator('ol li').allTextContents()).toContain('confirmation requested');
  });

  it('the history shows recent commands with actions and results, and a chart of a device value with its recorded points', async () => {
    await page.locator('[data-command]').first().waitFor();
    const row = await page.locator('[data-command]').filter({ hasText: 'turn on the porch light' }).first().locator('td').allTextContents();
    expect(row.slice(1, 4)).toEqual(['turn on the porch light', 'turn_on {"device_ids":["porch_light"]}', 'turn_on: ok']);
    await page.getByLabel('Device', { exact: true }).selectOption('desk_lamp');
    await page.getByLabel('Value', { exact: true }).selectOption('brightness');
    const chart = page.locator('svg.chart');
    await chart.waitFor();
    const since = Date.now() - 3_600_000;
    const api = (await hub!.api.get(`/api/devices/desk_lamp/history?since=${since}&field=brightness`)).body as { points: { value: number }[] };
    expect(api.points.map((p) => p.value)).toContain(30);
    await expect.poll(() => chart.locator('circle.point').count()).toBe(api.points.length);
    expect(await chart.getAttribute('data-points')).toBe(String(api.points.length));
    await shot('history');
  });

  it('has no serious accessibility violations in any view, and works from the keyboard', async () => {
    for (const view of ['home', 'conversation', 'pairing', 'history'] as const) {
      await go(view);
      await page.waitForTimeout(300);
      expect(await seriousViolations(), view).toEqual([]);
    }
    // keyboard only: Tab to the navigation, Enter opens the conversation, the command goes with Enter, Space toggles a switch
    await page.goto(`http://127.0.0.1:${port}/#/home`);
    await page.reload();
    await page.locator('[data-device]').first().waitFor();
    let reached = false;
    for (let i = 0; i < 10 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.textContent === 'Conversation');
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.locator('#command-text').waitFor();
  });

  it('/docs renders every operation of the OpenAPI document, accessibly', async () => {
    const doc = (await hub!.anon.get('/api/schema')).body as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).map((m) => `${m.toUpperCase()} ${path}`));
    await page.goto(`http://127.0.0.1:${port}/docs`);
    await page.locator('[data-operation]').first().waitFor();
    expect((await page.locator('[data-operation]').evaluateAll((els) => els.map((e) => e.getAttribute('data-operation')))).sort()).toEqual(operations.sort());
    expect(operations).toContain('GET /api/dashboard/controls');
    expect(await seriousViolations()).toEqual([]);
    await page.goto(`http://127.0.0.1:${port}/#/home`);
    await page.locator('[data-device]').first().waitFor();
  });

  it('recovers after the hub restarts on the same data folder: devices come back and changes show live', async () => {
    await go('home');
    await stopHub();
    await expect.poll(() => page.locator('[data-connection]').getAttribute('data-connection'), { timeout: 15_000 }).toBe('reconnecting');
    await startHub();
    await expect.poll(() => page.locator('[data-connection]').getAttribute('data-connection'), { timeout: 30_000 }).not.toBe('reconnecting');
    // the restarted hub's devices and a change made after the restart, on the same page
    expect(await value('desk_lamp', 'brightness').textContent()).toBe('30 %');
    expect((await hub!.api.post('/api/devices/kitchen_light/commands', { command: 'setBrightness', params: { brightness: 35 } })).status).toBe(200);
    await expect.poll(() => value('kitchen_light', 'brightness').textContent(), { timeout: 15_000 }).toBe('35 %');
    await expect.poll(() => page.locator('[data-status]', { hasText: 'offline' }).count(), { timeout: 15_000 }).toBe(0);
    await shot('home-after-restart');
    expect(pageErrors).toEqual([]);
  });

  it('switches to Chinese text', async () => {
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh');
    await page.getByRole('link', { name: '家', exact: true }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.getByRole('switch', { name: '门廊灯: 开关' }).count()).toBe(1);
    expect(await value('porch_light', 'on').textContent()).toBe('开');
    // a device's mode in the engine's Chinese words, the select's options too (the vocabulary's zh lexicon)
    expect(await value('living_room_ac', 'mode').textContent()).toBe('制冷');
    const modes = tile('living_room_ac').getByRole('combobox', { name: /模式$/ });
    expect(await modes.locator('option').allTextContents()).toEqual(['制冷', '制热', '除湿', '自动']);
    expect(await modes.inputValue()).toBe('cool');
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
  });

  it("revokes a node from the page (it goes offline), then removes it: the node and its devices leave the hub and the page", async () => {
    const carDevices = home.devices.filter((d) => d.node === 'car-unit').map((d) => d.id);
    expect(carDevices).toEqual(['car_climate', 'car_doors', 'car_boot', 'car_seat_heating', 'car_charger']);
    await go('pairing');
    const row = page.locator('[data-node="car-unit"]');
    expect(await row.locator('td').nth(2).textContent()).toBe('online');
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Revoke car-unit' }).click();
    await waitUntil(async () => (await hub!.api.get('/api/nodes')).body.nodes.find((n: { id: string }) => n.id === 'car-unit')?.online === false, 'the revoked node offline', 15_000);
    await expect.poll(() => row.locator('td').nth(2).textContent(), { timeout: 10_000 }).toBe('offline');
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Remove car-unit' }).click();
    await waitUntil(async () => !(await hub!.api.get('/api/nodes')).body.nodes.some((n: { id: string }) => n.id === 'car-unit'), 'the node removed from /api/nodes', 15_000);
    const left = ((await hub!.api.get('/api/devices')).body.devices as { id: string }[]).map((d) => d.id);
    expect(left.sort()).toEqual(home.devices.map((d) => d.id).filter((id) => !carDevices.includes(id)).sort());
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
    await go('home');
    await expect.poll(() => page.locator('[data-device]').count(), { timeout: 10_000 }).toBe(left.length);
    for (const id of carDevices) expect(await tile(id).count(), id).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});

/**
 * Adoption on a second, small hub (a home whose one gateway declares nothing and finds devices through the
 * simulated discovery module, a real agent process), in the same browser: the list, adopt with a name and an area,
 * ignore; a device's label is shown as text.
 */
describe('devices waiting for adoption, in the same browser', { timeout: 60_000 }, () => {
  let second: TestHub;
  let agent: AgentProcess;
  let adoptPage: Page;

  beforeAll(async () => {
    second = await startTestHub({ homeFile: writeHomeFile(ADOPTION_HOME) });
    agent = await startAgentProcess(discoveryNodeConfig(second.hub.mqttUrl, await second.provisionNodes([DISCOVERY_NODE])));
    await second.hub.waitForNodes([DISCOVERY_NODE], 20_000);
    adoptPage = await context.newPage();
    adoptPage.on('pageerror', (e) => pageErrors.push(e.message));
  }, 90_000);

  afterAll(async () => {
    await adoptPage?.close();
    await agent?.stop();
    await second?.stop();
  });

  it('lists what the node found, adopts one into an area with a name, ignores another', async () => {
    await waitUntil(async () => (await second.api.get('/api/adoptions')).body.adoptions.length === 4, 'the four simulated devices to be found (a fifth waits for its setup code)', 20_000);
    const base = second.hub.httpUrl;
    await context.route(`${base}/**`, (route) => route.continue());
    await adoptPage.goto(`${base}/#/pairing`);
    await adoptPage.getByRole('button', { name: 'Sign in' }).click();
    await adoptPage.getByLabel('Admin token', { exact: true }).fill(second.token);
    await adoptPage.locator('form.signin button[type="submit"]').click();
    await adoptPage.getByRole('button', { name: 'Sign out' }).waitFor();
    const listed = adoptPage.locator('[data-adoption]');
    await expect.poll(() => listed.count()).toBe(4);
    const records = (await second.api.get('/api/adoptions')).body.adoptions as { id: string; label: string }[];
    // labels are data: shown as the hub lists them, the hostile one too, nothing in them acted on
    expect((await listed.locator('strong').allTextContents()).sort()).toEqual(records.map((r) => r.label).sort());
    const hostile = records.find((r) => r.label.startsWith(HOSTILE_LABEL.slice(0, 20)))!.label;
    const lamp = records.find((r) => r.label === 'Acme Lamp')!;
    const sensor = records.find((r) => r.label === 'Climate sensor')!;

    const row = adoptPage.locator(`[data-adoption="${lamp.id}"]`);
    await row.getByLabel('Name').fill('hall lamp');
    await row.getByLabel('Area').selectOption('hallway');
    await row.getByRole('button', { name: 'Adopt' }).click();
    const device = await waitUntil(async () => (await second.api.get('/api/devices')).body.devices.find((d: { names: { en?: string[] } }) => d.names.en?.includes('hall lamp')), 'the adopted lamp among the devices', 20_000);
    expect(device).toMatchObject({ area: 'hallway', type: 'light', node: DISCOVERY_NODE });
    await adoptPage.locator(`[data-adoption="${sensor.id}"]`).getByRole('button', { name: 'Ignore' }).click();
    await expect.poll(async () => (await second.api.get('/api/adoptions')).body.adoptions.map((a: { label: string }) => a.label).sort(), { timeout: 15_000 }).toEqual(['Front lock', hostile].sort());
    await expect.poll(() => listed.count(), { timeout: 15_000 }).toBe(2);
    // the adopted lamp is on the home view, in its area
    await adoptPage.getByRole('link', { name: 'Home', exact: true }).click();
    await expect.poll(() => adoptPage.locator('section[data-area="hallway"] [data-device] h3').allTextContents(), { timeout: 15_000 }).toEqual(['Hall lamp']);
    await adoptPage.screenshot({ path: join(ARTIFACTS, 'adopted.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
