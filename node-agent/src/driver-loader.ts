import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StewardError, type DeviceDescriptor, type DeviceDriver, type State } from '@steward/device-adapters';
import type { AgentDevice } from './config.ts';

/**
 * What a driver module exports. A real driver (IR blaster, CAN bus) and the simulators' driver module both have
 * this shape; the agent imports them by name at run time, so it never depends on either.
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

const modules = new Map<string, Promise<DriverModule>>();

async function importDriverModule(url: string): Promise<DriverModule> {
  let loading = modules.get(url);
  if (!loading) {
    loading = import(url).then((m: Partial<DriverModule>) => {
      if (typeof m.createDriver !== 'function') throw new Error('it does not export createDriver(device, initialState, options)');
      return m as DriverModule;
    });
    modules.set(url, loading);
  }
  return loading;
}

export async function loadDriver(device: AgentDevice, baseDir: string): Promise<DeviceDriver> {
  const id = device.descriptor.id;
  const url = resolveDriverModule(device.driver.module, baseDir);
  let driver: DeviceDriver;
  try {
    const mod = await importDriverModule(url);
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
