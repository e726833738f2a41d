import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Home } from '@steward/device-adapters';
import { benchmarkHome } from './agents.ts';

/**
 * The benchmark home cut down to some of its nodes (and their devices), written to a temp file: tests that need a
 * few real node processes start in a fraction of the time the full home takes. Areas stay; scenes keep the devices
 * that remain.
 */
export function subsetHome(nodeIds: readonly string[]): Home {
  const full = benchmarkHome();
  const devices = full.devices.filter((d) => nodeIds.includes(d.node));
  const kept = new Set(devices.map((d) => d.id));
  const scenes = full.scenes
    .map((s) => ({ ...s, states: Object.fromEntries(Object.entries(s.states).filter(([id]) => kept.has(id))) }))
    .filter((s) => Object.keys(s.states).length > 0);
  return { ...full, nodes: full.nodes.filter((n) => nodeIds.includes(n.id)), devices, scenes };
}

export function writeHomeFile(home: Home, dir = mkdtempSync(join(tmpdir(), 'steward-home-'))): string {
  const file = join(dir, 'home.json');
  writeFileSync(file, JSON.stringify(home, null, 2));
  return file;
}
