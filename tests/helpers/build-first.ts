/**
 * vitest's global setup: the processes tests start (steward-hub, steward-sim, steward-agent) run the packages' built
 * JavaScript, so a stale build is rebuilt once here, before any test file runs, instead of by many bins at once.
 */
import { ensureBuilt } from '@steward/device-adapters/build-check';

export default function setup(): void {
  ensureBuilt('tests');
}
