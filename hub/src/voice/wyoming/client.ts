/** A Wyoming client over TCP: one connection per request, as Home Assistant does; bounded by a timeout. */
import { connect } from 'node:net';
import { StewardError } from '@steward/device-adapters';
import { EventDecoder, encodeEvent, type WyomingEvent } from './protocol.ts';

export function parseTcpUrl(url: string): { host: string; port: number } {
  const m = /^tcp:\/\/([^:/]+|\[[^\]]+\]):(\d+)\/?$/.exec(url);
  if (!m) throw new StewardError('BAD_REQUEST', `a Wyoming address is tcp://host:port, not '${url}'`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

/** Sends the events, collects what the server sends until `until` says done. */
export function wyomingExchange(url: string, send: WyomingEvent[], until: (e: WyomingEvent, all: WyomingEvent[]) => boolean, timeoutMs = 15_000): Promise<WyomingEvent[]> {
  const { host, port } = parseTcpUrl(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const decoder = new EventDecoder();
    const got: WyomingEvent[] = [];
    let finished = false;
    const finish = (err?: Error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(got);
    };
    const timer = setTimeout(() => finish(new StewardError('TIMEOUT', `the Wyoming service at ${url} did not answer within ${timeoutMs} ms`)), timeoutMs);
    socket.on('connect', () => {
      for (const e of send) socket.write(encodeEvent(e));
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const e of decoder.push(chunk)) {
          got.push(e);
          if (e.type === 'error') return finish(new StewardError('DRIVER_ERROR', `the Wyoming service said: ${String(e.data.text ?? 'error')}`));
          if (until(e, got)) return finish();
        }
        if (got.length > 100_000) finish(new StewardError('BAD_REQUEST', 'the Wyoming service sent too many events'));
      } catch (err) {
        finish(err as Error);
      }
    });
    socket.on('error', (err) => finish(new StewardError('DRIVER_ERROR', `cannot reach the Wyoming service at ${url}: ${err.message}`)));
    socket.on('close', () => finish(new StewardError('DRIVER_ERROR', `the Wyoming service at ${url} closed the connection before answering`)));
  });
}
