import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared benchmark folder, `../shared/benchmarks/commands` from the project root. */
export const SHARED_COMMANDS = resolve(fileURLToPath(new URL('../../../../shared/benchmarks/commands', import.meta.url)));

/** `--name value` flags; a flag given without a value is `true`. */
export function parseFlags(argv: readonly string[]): Map<string, string | true> {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags.set(a.slice(2), next);
      i++;
    } else flags.set(a.slice(2), true);
  }
  return flags;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Home Assistant's intent corpus, `../shared/benchmarks/ha-intents` from the project root. */
export const SHARED_HA_INTENTS = resolve(fileURLToPath(new URL('../../../../shared/benchmarks/ha-intents', import.meta.url)));
