/**
 * The Node.js flags a node agent runs with (`node <flags> steward-agent.mjs start ...`): an agent on a TV or a car
 * head unit handles a few messages a second, so it trades peak speed for memory. A young generation of 1 MB
 * semi-spaces instead of up to 16 MB, and no optimizing compiler (TurboFan's code and its feedback), take about
 * 20 MB off each agent's resident memory (docs/benchmarks.md, `npm run bench:footprint`). Whoever starts agents
 * passes them: the simulator's fleet does, and so should a service unit.
 */
export const AGENT_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--no-opt'];
