export * from './clock.ts';
export * from './motion.ts';
export * from './simulated-driver.ts';
export * from './behaviours/index.ts';
export { createDriver, SimDriverOptionsSchema, DRIVER_MODULE, type SimDriverOptions } from './driver-module.ts';
export * from './fleet.ts';
export { createDiscovery, SimDiscoveryOptionsSchema, DISCOVERY_MODULE, type SimDiscoveryOptions } from './discovery-module.ts';
export { SIM_BIN } from './bin-path.ts';
