import net from 'node:net';
import type { Prng } from './prng.ts';

const str = (s: string) => {
  const b = Buffer.from(s);
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
};
const varint = (n: number) => {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0 && out.length < 4);
  return Buffer.from(out);
};
const packet = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type]), varint(body.length), body]);
const connect = (level: number, flags: number, ...fields: Buffer[]) =>
  packet(0x10, Buffer.concat([str('MQTT'), Buffer.from([level, flags, 0, 30]), ...fields]));

/** MQTT packets that break the protocol, as raw TCP bytes to the broker: one connection each. */
export class RawMqttSurface {
  constructor(private readonly port: number) {}

  private bytes(p: Prng): [string, Buffer] {
    return p.pick<() => [string, Buffer]>([
      () => ['random', p.bytes(p.int(1, 4096))],
      () => ['huge-length', Buffer.from([0x10, 0xff, 0xff, 0xff, 0x7f, 0, 4])],
      () => ['bad-protocol', packet(0x10, Buffer.concat([str('MQIsdp?'), Buffer.from([p.int(0, 255), p.int(0, 255), 0, 0]), str('x')]))],
      () => ['bad-level', connect(p.int(6, 255), 0x02, str('fuzz'))],
      () => ['reserved-flag', connect(4, 0x03, str('fuzz'))],
      () => ['truncated-connect', connect(4, 0xc2, str('fuzz'), str('user'), str('pass')).subarray(0, p.int(1, 20))],
      () => ['publish-first', packet(0x32, Buffer.concat([str('homie/5/x/$state'), Buffer.from([0, 1]), Buffer.from('ready')]))],
      () => ['bad-utf8-client-id', connect(4, 0x02, Buffer.from([0, 4, 0xff, 0xfe, 0xc3, 0x28]))],
      () => ['length-lies', Buffer.concat([Buffer.from([0x10, 0x7f]), p.bytes(p.int(0, 40))])],
      () => ['connect-then-garbage', Buffer.concat([connect(4, 0x02, str(`fuzz-${p.int(0, 1e6)}`)), p.bytes(p.int(1, 256))])],
      () => ['type-zero', Buffer.from([0x00, 0x00])],
      () => ['type-15', packet(0xf0, p.bytes(p.int(0, 64)))],
      () => ['v5-bad-properties', packet(0x10, Buffer.concat([str('MQTT'), Buffer.from([5, 0x02, 0, 30, 0xff, 0xff, 0xff, 0x7f]), str('fuzz')]))],
    ])();
  }

  send(p: Prng): Promise<string> {
    const [what, bytes] = this.bytes(p);
    return new Promise((resolve) => {
      const s = net.connect(this.port, '127.0.0.1');
      const done = () => {
        clearTimeout(t);
        s.destroy();
        resolve(`raw-mqtt ${what}`);
      };
      const t = setTimeout(done, 300);
      s.on('error', done);
      s.on('close', done);
      // an answer (a CONNACK refusing it, say) or the broker closing: the input was handled
      s.on('data', done);
      s.on('connect', () => s.write(bytes));
    });
  }
}
