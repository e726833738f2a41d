/**
 * Issue 15, found by `npm run bench:faults`: killing Mosquitto under load ended the hub. The RPC client awaited its
 * QoS 1 publish before handing the caller the pending answer; a broker that dies (or hangs) holds the publish's
 * acknowledgement back, and the node going offline, or the RPC timeout, then rejected that answer with no handler
 * attached: an unhandled rejection, which ends a Node process. Here Mosquitto is frozen (SIGSTOP) so the publish
 * hangs, and the call must fail cleanly, through the caller, in both ways (vitest fails the file on any unhandled
 * rejection).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { RpcClient } from '@steward/hub';
import { MqttConnection } from '@steward/hub/transport/mqtt-connection.ts';
import { startMosquitto, type TestMosquitto } from './helpers/mosquitto.ts';

let mosquitto: TestMosquitto;
let conn: MqttConnection;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  mosquitto = await startMosquitto();
  conn = await MqttConnection.open({ url: mosquitto.url, logger: pino({ level: 'silent' }) });
}, 30_000);

afterAll(async () => {
  process.kill(mosquitto.process.pid, 'SIGCONT');
  await conn?.close().catch(() => undefined);
  await mosquitto?.stop();
  process.off('unhandledRejection', onUnhandled);
});

const command = { deviceId: 'living_room_light', command: 'turnOn', params: {} };

describe('an RPC whose publish the broker never acknowledges', () => {
  it('fails with NODE_OFFLINE when the node goes offline meanwhile, and nothing is left unhandled', async () => {
    const rpc = new RpcClient(conn, { timeoutMs: 60_000, isOnline: () => true, logger: pino({ level: 'silent' }) });
    await rpc.start();
    process.kill(mosquitto.process.pid, 'SIGSTOP');
    try {
      const call = rpc.call('living-room-gateway', 'command', command, 'living_room_light');
      // the request is out on the socket; its PUBACK never comes while the broker is frozen
      await new Promise((r) => setTimeout(r, 200));
      rpc.failNode('living-room-gateway');
      await expect(call).rejects.toMatchObject({ code: 'NODE_OFFLINE', message: 'living_room_light is unreachable: its node living-room-gateway went offline' });
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.kill(mosquitto.process.pid, 'SIGCONT');
      rpc.stop();
    }
  }, 15_000);

  it('fails with TIMEOUT when the broker stays silent past the RPC timeout, and nothing is left unhandled', async () => {
    const rpc = new RpcClient(conn, { timeoutMs: 300, isOnline: () => true, logger: pino({ level: 'silent' }) });
    await rpc.start();
    process.kill(mosquitto.process.pid, 'SIGSTOP');
    try {
      const call = rpc.call('living-room-gateway', 'command', command, 'living_room_light');
      await expect(call).rejects.toMatchObject({ code: 'TIMEOUT', message: 'living_room_light did not answer: node living-room-gateway sent no reply to command within 300 ms' });
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.kill(mosquitto.process.pid, 'SIGCONT');
      rpc.stop();
    }
  }, 15_000);
});
