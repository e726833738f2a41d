/**
 * Third-party Homie tools against the hub's own broker, as Home Assistant or openHAB users would run them: real
 * `mosquitto_sub` and `mosquitto_pub` with controller credentials issued by the admin API. Anonymous tools are
 * refused; a controller reads everything and sets what needs no confirmation, never an unlock.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCHMARK_HOME, benchmarkHome } from './helpers/agents.ts';
import { NodeReports } from './helpers/hub-nodes.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';

const run = promisify(execFile);
let t: TestHub;
let nodes: NodeReports;
let login: { username: string; password: string };
let port: string;

beforeAll(async () => {
  t = await startTestHub({ homeFile: BENCHMARK_HOME, demo: true });
  nodes = await NodeReports.connect(t.hub.mqttUrl, benchmarkHome(), await t.mqttAdmin());
  port = new URL(t.hub.mqttUrl).port;
  const r = await t.api.post('/api/mqtt-credentials', { username: 'homie-tools', role: 'controller' });
  expect(r.status).toBe(200);
  login = { username: r.body.username, password: r.body.password };
}, 90_000);

afterAll(async () => {
  await nodes?.close();
  await t?.stop();
});

const auth = () => ['-h', '127.0.0.1', '-p', port, '-V', 'mqttv311', '-u', login.username, '-P', login.password];

describe('mosquitto_sub and mosquitto_pub with controller credentials', () => {
  it('mosquitto_sub reads the retained Homie tree', async () => {
    const { stdout } = await run('mosquitto_sub', [...auth(), '-t', 'homie/5/+/$state', '-v', '--retained-only', '-C', '9', '-W', '10'], {
      timeout: 15_000,
    });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(9);
    for (const line of lines) expect(line).toMatch(/^homie\/5\/[a-z0-9-]+\/\$state ready$/);
  });

  it('mosquitto_pub on /set turns the kitchen light off; the node reports it', async () => {
    await nodes.waitForValue('kitchen_light', 'on', true);
    await run('mosquitto_pub', [...auth(), '-t', 'homie/5/kitchen-hub/kitchen-light/on/set', '-m', 'false'], { timeout: 10_000 });
    await nodes.waitForValue('kitchen_light', 'on', false);
  });

  it('an unlock through /set is refused: the lock stays locked', async () => {
    // the broker closes a controller that publishes where it may not (MQTT 3.1.1 cannot refuse one message)
    await run('mosquitto_pub', [...auth(), '-t', 'homie/5/hallway-gateway/front-door-lock/locked/set', '-m', 'false'], { timeout: 10_000 }).catch(
      () => undefined,
    );
    // a permitted /set afterwards is seen, so the refused one had its chance to arrive first
    await run('mosquitto_pub', [...auth(), '-t', 'homie/5/hallway-gateway/hallway-light/on/set', '-m', 'true'], { timeout: 10_000 });
    await nodes.waitForValue('hallway_light', 'on', true);
    expect((await nodes.snapshot('hallway-gateway')).front_door_lock!.state.locked).toBe(true);
  });

  it('anonymous and wrong-password tools are refused', async () => {
    const anon = run('mosquitto_pub', ['-h', '127.0.0.1', '-p', port, '-V', 'mqttv311', '-t', 'homie/5/kitchen-hub/kitchen-light/on/set', '-m', 'true'], {
      timeout: 10_000,
    });
    await expect(anon).rejects.toThrow();
    const wrong = run('mosquitto_pub', ['-h', '127.0.0.1', '-p', port, '-V', 'mqttv311', '-u', login.username, '-P', 'not-the-password', '-t', 'x', '-m', 'y'], {
      timeout: 10_000,
    });
    await expect(wrong).rejects.toThrow();
    expect((await nodes.snapshot('kitchen-hub')).kitchen_light!.state.on).toBe(false);
  });
});
