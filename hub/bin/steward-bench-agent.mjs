#!/usr/bin/env node
// the built JavaScript, rebuilt first when stale (see steward-hub.mjs)
import { ensureBuilt } from '@steward/device-adapters/build-check';

ensureBuilt('steward-bench-agent');
await import('../dist/bench/agent-bench.js');
