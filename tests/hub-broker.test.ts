/**
 * The embedded broker's packet size limit: MQTT 3.1.1 framing is followed across TCP chunk boundaries, packets up to
 * the limit pass, and a client that sends a larger one is disconnected while every other client stays connected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAsync } from 'mqtt';
import { pino } from 'pino';
import { PacketSizeScanner } from '@steward/hub/broker/packet-size-guard.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from '@steward/hub/broker/embedded-broker.ts';
import { MqttCollector } from './helpers/mqtt-collector.ts';

/** an MQTT fixed header (type byte + Remaining Length, MQTT 3.1.1 §2.2.3) followed by `bodyBytes` bytes */
function packet(bodyBytes: number): Buffer {
  const length: number[] = [];
  let x = bodyBytes;
  do {
    let byte = x % 128;
    x = Math.floor(x / 128);
    if (x > 0) byte |= 0x80;
    length.push(byte);
  } while (x > 0);
  return Buffer.concat([Buffer.from([0x30, ...length]), Buffer.alloc(bodyBytes, 0x61)]);
}

describe('PacketSizeScanner', () => {
  it('finds packet boundaries however the stream is cut', () => {
    const stream = Buffer.concat([packet(0), packet(100), packet(127), packet(128), packet(16_000), packet(5)]);
    for (const chunk of [1, 2, 3, 7, 64, 1000, stream.length]) {
      const scanner = new PacketSizeScanner(16_100);
      const reports: (number | undefined)[] = [];
      for (let i = 0; i < stream.length; i += chunk) reports.push(scanner.feed(stream.subarray(i, i + chunk)));
      expect(reports.filter((r) => r !== undefined)).toEqual([]);
      // a packet over the limit right after is still caught: the scanner is at a boundary
      expect(scanner.feed(packet(16_200))).toBe(16_203);
    }
  });

  it('reports a packet over the limit as soon as its length is read, before its body arrives', () => {
    const scanner = new PacketSizeScanner(1000);
    expect(scanner.feed(packet(500))).toBeUndefined();
    const big = packet(20_000);
    // type byte and the three length bytes only
    expect(scanner.feed(big.subarray(0, 4))).toBe(20_004);
  });

  it('treats a fifth length byte as malformed', () => {
    expect(new PacketSizeScanner(1000).feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff]))).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('embedded broker with a packet limit', () => {
  const LIMIT = 4096;
  let broker: EmbeddedBroker;
  let listener: MqttCollector;

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, maxPacketBytes: LIMIT, logger: pino({ level: 'silent' }) });
    listener = await MqttCollector.connect(broker.url, ['size/#']);
  });

  afterAll(async () => {
    await listener?.close();
    await broker?.close();
  });

  it('listens on the loopback port it reports', () => {
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
    expect(broker.port).toBeGreaterThan(0);
  });

  it('delivers a packet under the limit and disconnects only the client that sends one over it', async () => {
    const sender = await connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
    await sender.publishAsync('size/ok', Buffer.alloc(LIMIT - 100, 0x62), { qos: 1 });
    await listener.waitFor((m) => m.topic === 'size/ok');
    const closed = new Promise<void>((resolve) => sender.once('close', () => resolve()));
    sender.publish('size/big', Buffer.alloc(LIMIT * 4, 0x63), { qos: 0 });
    await closed;
    sender.end(true);
    // the other client is still connected and still receives
    const other = await connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
    await other.publishAsync('size/after', 'still here', { qos: 1 });
    await listener.waitFor((m) => m.topic === 'size/after');
    expect(listener.client.connected).toBe(true);
    expect(listener.find((m) => m.topic === 'size/big')).toBeUndefined();
    await other.endAsync();
  });
});
