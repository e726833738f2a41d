// first: matter.js reads these flags when @matter/main is imported
import './matter-config.ts';
import type { DiscoveryContext, DiscoveryModule } from '@steward/device-adapters';
import { MatterDiscovery, MatterOptionsSchema } from './matter-discovery.ts';

export { MatterDiscovery, MatterOptionsSchema, keyOf, type MatterOptions } from './matter-discovery.ts';
export { MatterDeviceDriver } from './matter-device-driver.ts';
export { parseSetupCode, SetupCodeSchema, type SetupCode } from './setup-code.ts';
export { MAPPINGS, describeEndpoint, readState } from './clusters/index.ts';

/** The node agent's entry: `discovery: [{ "module": "@steward/driver-matter", "options": {...} }]`. */
export function createDiscovery(options: Record<string, unknown>, context: DiscoveryContext): MatterDiscovery {
  return new MatterDiscovery(MatterOptionsSchema.parse(options ?? {}), context);
}

export default { createDiscovery } satisfies DiscoveryModule;
