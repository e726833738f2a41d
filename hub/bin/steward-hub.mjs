#!/usr/bin/env node
// TypeScript runs through tsx's loader: no build step (see the README).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
