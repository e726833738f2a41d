#!/usr/bin/env node
// Runs the built JavaScript in dist/ (npm run build; npm ci runs it). A build older than its sources is rebuilt
// first, or refused with what to run: see "How TypeScript runs" in the README.
import { ensureBuilt } from '@steward/device-adapters/build-check';

// what this process runs (its simulated drivers included); the hub's sources are the hub's to check
ensureBuilt('steward-sim', ['device-adapters', 'node-agent', 'simulators']);
await import('../dist/cli.js');
