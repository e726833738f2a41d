/** The understanding engine over the benchmark home, and short ways to read what it makes of a sentence. */
import { resolve } from 'node:path';
import { loadHome } from '@steward/device-adapters';
import { createUnderstanding, homeViewFromHome } from '@steward/hub/understanding/index.ts';
import type { Clause, ParseContext } from '@steward/hub/understanding/contract.ts';

// the benchmark home: 34 devices in 9 areas, 3 scenes
export const home = loadHome(resolve(import.meta.dirname, '../../../shared/benchmarks/commands/home.json'));
export const u = createUnderstanding(homeViewFromHome(home));
export const parse = (text: string, ctx: ParseContext = {}) => u.parse(text, ctx);
/** every action of every act clause, as [deviceId, command, params] */
export const acts = (text: string, ctx: ParseContext = {}) =>
  parse(text, ctx).clauses.flatMap((c: Clause) => (c.kind === 'act' ? c.actions.map((a) => [a.deviceId, a.command, a.params]) : []));
/** the clauses' replies (or kinds) joined */
export const reply = (text: string, ctx: ParseContext = {}) => parse(text, ctx).clauses.map((c) => ('reply' in c ? c.reply : c.kind)).join(' ');
