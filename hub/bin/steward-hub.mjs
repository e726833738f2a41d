#!/usr/bin/env node
// Runs the built JavaScript in dist/ (npm run build; npm ci runs it). A build older than its sources is rebuilt
// first, or refused with what to run: see "How TypeScript runs" in the README.
import { ensureBuilt } from '@steward/device-adapters/build-check';

ensureBuilt('steward-hub');
await import('../dist/cli.js');
