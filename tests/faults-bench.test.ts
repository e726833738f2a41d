/**
 * Issue 15: `npm run bench:faults` at a small size through the real command (a real hub process on its own data
 * folder, the benchmark home's agents under the benchmark's supervisor, load from three clients, kill -9 of the hub,
 * of a third of the agents and of Mosquitto): the three fault lines and the last line in their formats, the last
 * line the sum of the fault lines, nothing lost. Speed is the benchmark's to print, not asserted here. And the
 * ledger that decides what "lost" means, on its own.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Ledger } from '@steward/hub/bench/faults/ledger.ts';

const ROOT = resolve(import.meta.dirname, '..');

describe('the ledger of acknowledged values', () => {
  it('a field is lost when its state after recovery is neither its last acknowledged value nor an unanswered later one', () => {
    const l = new Ledger();
    l.sending('lamp', 'on', true);
    l.acknowledged('lamp', { on: true, brightness: 40 });
    l.sending('lamp', 'brightness', 70); // sent, never answered: it may have run
    l.sending('fan', 'on', true); // never acknowledged at all: nothing to lose
    expect(l.lost({ lamp: { on: true, brightness: 70 }, fan: { on: false } })).toEqual([]);
    expect(l.lost({ lamp: { on: true, brightness: 40 } })).toEqual([]);
    expect(l.lost({ lamp: { on: false, brightness: 55 } })).toEqual([
      { deviceId: 'lamp', field: 'on', acknowledged: true, unconfirmed: [], after: false },
      { deviceId: 'lamp', field: 'brightness', acknowledged: 40, unconfirmed: [70], after: 55 },
    ]);
    // a later acknowledgement closes what was open; a device that answered nothing keeps its last acknowledged value
    l.acknowledged('lamp', { on: false, brightness: 70 });
    expect(l.lost({ lamp: { on: false, brightness: 40 } })).toEqual([{ deviceId: 'lamp', field: 'brightness', acknowledged: 70, unconfirmed: [], after: 40 }]);
  });

  it('one command in flight per device', async () => {
    const l = new Ledger();
    expect(l.tryTake('lamp')).toBe(true);
    expect(l.tryTake('lamp')).toBe(false);
    const waiting = l.take('lamp', 1000);
    l.release('lamp');
    await waiting;
    expect(l.isBusy('lamp')).toBe(true);
    await expect(l.take('lamp', 50)).rejects.toThrow('lamp stayed busy for 50 ms');
  });
});

describe('npm run bench:faults at a small size through the real command', () => {
  it('three faults under load: their lines and the last line add up, and nothing is lost', async () => {
    const { stdout, stderr } = await promisify(execFile)('npm', ['run', '--silent', 'bench:faults', '--', '--before', '1', '--after', '1', '--rate', '60', '--clients', '3'], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    const lines = stdout.trim().split('\n');
    expect(lines, stderr).toHaveLength(4);
    const faults = lines.slice(0, 3).map((l) => {
      const m = /^fault (.+): sent (\d+), acknowledged before the fault (\d+), lost (\d+), back online in (\d+(?:\.\d)?) s$/.exec(l);
      expect(m, l).not.toBeNull();
      return { name: m![1], sent: Number(m![2]), acked: Number(m![3]), lost: Number(m![4]), back: Number(m![5]) };
    });
    expect(faults.map((f) => f.name)).toEqual(['hub kill -9', 'agents kill -9', 'mosquitto kill -9']);
    for (const f of faults) {
      expect(f.acked, JSON.stringify(f)).toBeGreaterThan(0);
      expect(f.acked).toBeLessThan(f.sent);
      expect(f.back).toBeGreaterThan(0);
    }
    const sum = (k: 'sent' | 'acked' | 'lost') => faults.reduce((s, f) => s + f[k], 0);
    expect(lines[3], stderr).toBe(`faults: sent ${sum('sent')}, acknowledged ${sum('acked')}, lost 0, back online in ${Math.max(...faults.map((f) => f.back))} s`);
    // the agents ran under the benchmark's supervisor, one process per node after every fault
    expect(stderr.match(/agents 9\/9, duplicated 0/g)).toHaveLength(3);
  }, 300_000);
});
