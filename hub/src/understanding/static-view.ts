/**
 * A HomeView over a Home object and in-memory states: for tests, benchmarks and evaluation scripts that run the
 * engine without the registry.
 */
import type { Home, State } from '@steward/device-adapters';
import type { DeviceView, HomeView } from './contract.ts';

export interface StaticHomeView extends HomeView {
  /** merges a patch into a device's state (what an executed command would report) */
  patch(deviceId: string, state: State): void;
}

export function homeViewFromHome(home: Home, states?: Record<string, State>): StaticHomeView {
  const devices: DeviceView[] = home.devices.map((d) => ({
    id: d.id,
    type: d.type,
    area: d.area,
    names: d.names,
    traits: d.traits,
    attributes: d.attributes,
    confirm: d.confirm,
  }));
  const live = new Map<string, State>(home.devices.map((d) => [d.id, { ...d.state, ...(states?.[d.id] ?? {}) }]));
  return {
    version: 1,
    areas: () => home.areas,
    devices: () => devices,
    scenes: () => home.scenes,
    nodes: () => home.nodes,
    state: (id) => live.get(id),
    patch(id, state) {
      live.set(id, { ...(live.get(id) ?? {}), ...state });
    },
  };
}
