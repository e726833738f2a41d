/**
 * The discovery protocol's rules: the report's bounds, setup codes, proofs bound to their method, the broker ACL
 * (a node publishes only its own report), and a hub that drops a malformed or oversized report from a real node
 * connection and keeps running.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DISCOVERY_LIMITS,
  DiscoveryReportSchema,
  SetupCodeSchema,
  checkCommandMac,
  newRpcSecret,
  signCommand,
  signedFieldsOf,
  topics,
  verhoeffDigit,
} from '@steward/device-adapters';
import { mayPublish, maySubscribe } from '@steward/hub/auth/topic-rules.ts';
import { ADOPTION_HOME, DISCOVERY_NODE } from './helpers/adoption-node.ts';
import { writeHomeFile } from './helpers/hub-home.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';
import { waitUntil } from './helpers/wait.ts';

const lamp = { ecosystem: 'sim', key: 'lamp-1', label: 'Lamp', descriptor: { type: 'light', traits: ['onOff'] }, state: { on: false } };

describe('the discovery report', () => {
  it('is bounded: at most 64 found devices, labels of 200 characters, keys of a safe alphabet', () => {
    expect(DiscoveryReportSchema.safeParse({ found: [lamp] }).success).toBe(true);
    const many = Array.from({ length: DISCOVERY_LIMITS.found + 1 }, (_, i) => ({ ...lamp, key: `k${i}` }));
    expect(DiscoveryReportSchema.safeParse({ found: many }).success).toBe(false);
    expect(DiscoveryReportSchema.safeParse({ found: [{ ...lamp, label: 'x'.repeat(201) }] }).success).toBe(false);
    expect(DiscoveryReportSchema.safeParse({ found: [{ ...lamp, key: '../etc/passwd' }] }).success).toBe(false);
    expect(DiscoveryReportSchema.safeParse({ found: [{ ...lamp, descriptor: { ...lamp.descriptor, id: 'front_door' } }] }).success).toBe(false);
    expect(DiscoveryReportSchema.safeParse({ found: [lamp], extra: 1 }).success).toBe(false);
  });
});

describe('setup codes', () => {
  it('takes 11- and 21-digit manual codes with their check digit, dashes and spaces allowed, and MT: payloads', () => {
    expect(SetupCodeSchema.parse('3497-011-2332')).toBe('34970112332');
    expect(SetupCodeSchema.parse(' 34970 112332 ')).toBe('34970112332');
    const long = '74970112332000010000';
    expect(SetupCodeSchema.parse(`${long}${verhoeffDigit(long)}`)).toBe(`${long}${verhoeffDigit(long)}`);
    expect(SetupCodeSchema.parse('MT:Y.K9042C00KA0648G00')).toBe('MT:Y.K9042C00KA0648G00');
  });

  it('refuses a wrong check digit, a wrong length, a bad first digit and a bad payload, saying why', () => {
    const why = (code: string) => SetupCodeSchema.safeParse(code).error?.issues[0]?.message;
    expect(why('34970112333')).toBe('the manual pairing code has a wrong check digit (mistyped?)');
    expect(why('3497011233')).toBe('a setup code is an 11- or 21-digit manual pairing code (dashes allowed) or an MT: QR payload');
    expect(why(`8497011233${verhoeffDigit('8497011233')}`)).toBe('a manual pairing code starts with a digit from 0 to 7');
    expect(why('MT:short')).toBe('a QR payload is MT: followed by at least 19 base-38 characters (0-9, A-Z, - and .)');
    expect(why('x'.repeat(65))).toBe('a setup code is at most 64 characters');
  });
});

describe('proofs for adopt, forget and commission', () => {
  it('bind the method: a proof for one never holds for another', () => {
    const secret = newRpcSecret();
    const adopt = { id: 'r1', ecosystem: 'sim', key: 'lamp-1', deviceId: 'porch_lamp', names: { en: ['Porch lamp'] } };
    const auth = signCommand(secret, signedFieldsOf('gw', 'adopt', adopt));
    expect(checkCommandMac(secret, signedFieldsOf('gw', 'adopt', adopt), auth)).toBeUndefined();
    expect(checkCommandMac(secret, signedFieldsOf('gw', 'forget', { id: 'r1', deviceId: 'porch_lamp' }), auth)).toBe('its signature does not match');
    expect(checkCommandMac(secret, signedFieldsOf('gw', 'command', { id: 'r1', deviceId: 'porch_lamp', command: 'adopt', params: {} }), auth)).toBe('its signature does not match');
    expect(checkCommandMac(secret, signedFieldsOf('gw', 'adopt', { ...adopt, key: 'lock-1' }), auth)).toBe('its signature does not match');
    expect(checkCommandMac(secret, signedFieldsOf('other-gw', 'adopt', adopt), auth)).toBe('its signature does not match');
  });
});

describe('the broker ACL', () => {
  const node = (nodeId: string) => ({ username: nodeId, role: 'node' as const, nodeId, generation: 1 });

  it('lets a node publish only its own report, retained, and subscribe to no report', () => {
    expect(mayPublish(node('gw-a'), topics.discovery('gw-a'), true, () => false)).toBeUndefined();
    expect(mayPublish(node('gw-a'), topics.discovery('gw-b'), true, () => false)).toMatch(/^node gw-a may publish only under homie\/5\/gw-a\//);
    expect(mayPublish(node('gw-a'), 'steward/1/gw-a/discovery/x', false, () => false)).toBe(
      'node gw-a may publish only under homie/5/gw-a/, to its own RPC responses, its steward/1/gw-a/discovery report and its steward/1/gw-a/voice/req utterances',
    );
    expect(maySubscribe(node('gw-a'), topics.discovery('gw-a'))).toBe(
      'node gw-a may subscribe only to homie/5/gw-a/…, steward/1/gw-a/rpc/+/req and steward/1/gw-a/voice/res',
    );
    expect(mayPublish({ username: 'c', role: 'controller', nodeId: null, generation: 1 }, topics.discovery('gw-a'), true, () => true)).toBe('a controller may publish only to /set of a property');
  });
});

describe('the hub reading reports', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ homeFile: writeHomeFile(ADOPTION_HOME) });
  }, 60_000);
  afterAll(async () => t?.stop());

  it('drops a malformed or oversized report from a real node connection and keeps running; a good one is listed', async () => {
    const creds = JSON.parse(readFileSync(await t.provisionNodes([DISCOVERY_NODE]), 'utf8'))[DISCOVERY_NODE];
    const client = await connectAsync(t.hub.mqttUrl, { protocolVersion: 4, clientId: `steward-agent-${DISCOVERY_NODE}`, username: creds.username, password: creds.password, reconnectPeriod: 0 });
    try {
      const rejected = async () => ((await t.api.get('/api/health')).body.rejections['mqtt-payload'] ?? 0) as number;
      await client.publishAsync(topics.discovery(DISCOVERY_NODE), 'not json', { qos: 1, retain: true });
      await client.publishAsync(topics.discovery(DISCOVERY_NODE), JSON.stringify({ found: [{ ...lamp, descriptor: { type: 'toaster', traits: ['onOff'] } }] }), { qos: 1, retain: true });
      await client.publishAsync(topics.discovery(DISCOVERY_NODE), JSON.stringify({ found: [lamp], pad: 'x'.repeat(DISCOVERY_LIMITS.reportBytes) }), { qos: 1, retain: true });
      await waitUntil(async () => (await rejected()) === 3, 'three rejected reports');
      expect((await t.api.get('/api/adoptions')).body.adoptions).toEqual([]);
      await client.publishAsync(topics.discovery(DISCOVERY_NODE), JSON.stringify({ found: [lamp] }), { qos: 1, retain: true });
      const list = await waitUntil(async () => {
        const a = (await t.api.get('/api/adoptions')).body.adoptions;
        return a.length === 1 && a;
      }, 'the good report to be listed');
      expect(list[0]).toMatchObject({ nodeId: DISCOVERY_NODE, key: 'lamp-1', type: 'light', label: 'Lamp', state: { on: false } });
      // a report for another node is refused by the broker: the client is disconnected, nothing is listed
      // (no PUBACK comes: aedes closes a 3.1.1 client whose publish it refuses)
      client.publish(topics.discovery(`other-${randomUUID().slice(0, 4)}`), JSON.stringify({ found: [lamp] }), { qos: 1 });
      await waitUntil(() => !client.connected, 'the broker to close a node publishing another node\'s report');
      expect((await t.api.get('/api/adoptions')).body.adoptions).toHaveLength(1);
      // the node removed for good: what it found goes with it
      expect((await t.api.delete(`/api/nodes/${DISCOVERY_NODE}`)).status).toBe(200);
      expect((await t.api.get('/api/adoptions')).body.adoptions).toEqual([]);
      expect((await t.api.post(`/api/adoptions/${list[0].id}`, { name: 'Lamp', area: 'hallway' })).status).toBe(404);
    } finally {
      await client.endAsync(true);
    }
  });
});
