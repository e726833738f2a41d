import { fileURLToPath } from 'node:url';

/**
 * The `steward-sim` executable (run with `node`): the hub's demo starts the simulated home as its own process,
 * like real nodes, through this package's public entry rather than a path into the package's folder.
 */
export const SIM_BIN = fileURLToPath(new URL('../bin/steward-sim.mjs', import.meta.url));
