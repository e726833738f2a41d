/**
 * `steward-agent pair --simulate` needs @steward/simulators, an optional peer dependency of the agent: installed
 * here (the workspace), it resolves; missing (an agent installed alone), the agent says so clearly.
 */
import { describe, expect, it } from 'vitest';
import { SIMULATED_DRIVER_MODULE, assertSimulatorsInstalled } from '@steward/node-agent/pairing/simulate.ts';

describe('--simulate and the optional simulators package', () => {
  it('finds the simulators driver module when the package is installed', () => {
    expect(() => assertSimulatorsInstalled()).not.toThrow();
    expect(SIMULATED_DRIVER_MODULE).toBe('@steward/simulators/driver-module.ts');
  });

  it('says clearly that the simulators are not installed when they cannot be resolved', () => {
    const missing = (s: string): string => {
      throw new Error(`Cannot find package '${s}'`);
    };
    expect(() => assertSimulatorsInstalled(missing)).toThrow(
      '--simulate needs the simulators package (@steward/simulators), which is not installed next to this agent: install it (npm install @steward/simulators) or pair without --simulate',
    );
  });
});
