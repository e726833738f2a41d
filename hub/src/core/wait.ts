import { StewardError } from '@steward/device-adapters';
import type { Clock } from './clock.ts';

/**
 * Resolves once `missing()` is empty, checked now and on every `changed` event; TIMEOUT after `timeoutMs` on the
 * hub's clock, naming what is still missing (`what`: "nodes not online").
 */
export async function waitUntilNone(
  missing: () => readonly string[],
  changed: { on(listener: () => void): () => void },
  clock: Clock,
  timeoutMs: number,
  what: string,
): Promise<void> {
  if (missing().length === 0) return;
  await new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      clock.clearTimeout(timer);
      off();
      if (err) reject(err);
      else resolve();
    };
    const off = changed.on(() => {
      if (missing().length === 0) done();
    });
    const timer = clock.setTimeout(() => done(new StewardError('TIMEOUT', `${what} after ${timeoutMs} ms: ${missing().join(', ')}`)), timeoutMs);
  });
}
