import { fileURLToPath } from 'node:url';

/** The `steward-agent` executable (run with `node`), for whoever starts agents as processes (the simulated fleet, tests). */
export const AGENT_BIN = fileURLToPath(new URL('../bin/steward-agent.mjs', import.meta.url));
