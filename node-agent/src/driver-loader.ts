import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  StewardError,
  type DeviceDescriptor,
  type DeviceDiscovery,
  type DeviceDriver,
  type DiscoveryContext,
  type DiscoveryModule,
  type State,
} from '@steward/device-adapters';
import type { AgentDevice } from './config.ts';

/**
 * What a driver module exports. A real driver (IR blaster, CAN bus) and the simulators' driver module both have
 * this shape; the agent imports them by name at run time, so it never depends on either. A module may also (or
 * instead) export `createDiscovery` (device-adapters/src/discovery.ts) for devices found after pairing.
 */
export interface DriverModule {
  createDriver(device: DeviceDescriptor, initialState: State, options: Record<string, unknown>): DeviceDriver | Promise<DeviceDriver>;
}

/** `./x.ts` and `/abs/x.ts` are files (relative to the config's folder); anything else is a package or URL. */
export function resolveDriverModule(spec: string, baseDir: string): string {
  if (spec.startsWith('./') || spec.startsWith('../')) return pathToFileURL(resolve(baseDir, spec)).href;
  if (isAbsolute(spec)) return pathToFileURL(spec).href;
  return spec;
}

const modules = new Map<string, Promise<Record<string, unknown>>>();

/** imports a module once per URL and checks it exports `name` as a function */
async function importModule<T>(url: string, name: string, signature: string): Promise<T> {
  let loading = modules.get(url);
  if (!loading) modules.set(url, (loading = import(url) as Promise<Record<string, unknown>>));
  const m = await loading;
  if (typeof m[name] !== 'function') throw new Error(`it does not export ${name}${signature}`);
  return m as T;
}

export async function loadDriver(device: AgentDevice, baseDir: string): Promise<DeviceDriver> {
  const id = device.descriptor.id;
  const url = resolveDriverModule(device.driver.module, baseDir);
  let driver: DeviceDriver;
  try {
    const mod = await importModule<DriverModule>(url, 'createDriver', '(device, initialState, options)');
    driver = await mod.createDriver(device.descriptor, device.state, device.driver.options);
  } catch (e) {
    throw new StewardError('DRIVER_ERROR', `cannot create the driver of ${id} from ${device.driver.module}: ${(e as Error).message}`);
  }
  if (driver.descriptor.id !== id) {
    throw new StewardError('DRIVER_ERROR', `the driver module ${device.driver.module} made a driver for ${driver.descriptor.id}, not ${id}`);
  }
  return driver;
}

export async function loadDrivers(devices: readonly AgentDevice[], baseDir: string): Promise<DeviceDriver[]> {
  const drivers: DeviceDriver[] = [];
  try {
    for (const d of devices) drivers.push(await loadDriver(d, baseDir));
  } catch (e) {
    await Promise.allSettled(drivers.map((d) => d.close()));
    throw e;
  }
  return drivers;
}

/** Creates one discovery per configured module (`discovery: [{module, options}]`), not started yet. */
export async function loadDiscoveries(
  refs: readonly { module: string; options: Record<string, unknown> }[],
  baseDir: string,
  context: DiscoveryContext,
): Promise<DeviceDiscovery[]> {
  const made: DeviceDiscovery[] = [];
  try {
    for (const ref of refs) {
      try {
        const mod = await importModule<DiscoveryModule>(resolveDriverModule(ref.module, baseDir), 'createDiscovery', '(options, context)');
        made.push(await mod.createDiscovery(ref.options, context));
      } catch (e) {
        throw new StewardError('DRIVER_ERROR', `cannot create the discovery of ${ref.module}: ${(e as Error).message}`);
      }
    }
    const seen = new Set<string>();
    for (const d of made) {
      if (seen.has(d.ecosystem)) throw new StewardError('BAD_REQUEST', `two discovery modules serve the ecosystem ${d.ecosystem}`);
      seen.add(d.ecosystem);
    }
  } catch (e) {
    await Promise.allSettled(made.map((d) => d.close()));
    throw e;
  }
  return made;
}
