/** Runs the HA adapter over a corpus file: the records of the 14 device intents, each with its own fixtures. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Lang } from '../understanding/contract.ts';
import { haHome, loadHaFixtures, type HaHome, type HaPart } from './ha-fixtures.ts';
import { haAdapter, HA_DEVICE_INTENTS, type HaAdapter, type Slots } from './ha-adapter.ts';

export const HA_LANGS = ['en', 'zh-cn', 'zh-tw', 'zh-hk'] as const;
export type HaLang = (typeof HA_LANGS)[number];
/** the engine's tag for each corpus language */
export const ENGINE_LANG: Record<HaLang, Lang> = { en: 'en', 'zh-cn': 'zh', 'zh-tw': 'zh-TW', 'zh-hk': 'zh-HK' };

export const HaRecordSchema = z.object({
  id: z.string(),
  text: z.string(),
  intent: z.string(),
  slots: z.record(z.string(), z.unknown()),
  context: z.object({ area: z.string().optional() }).passthrough().default({}),
  source: z.string(),
  format: z.enum(['classic', 'slot_combination']).default('classic'),
  expected_failure: z.boolean().default(false),
});
export type HaRecord = z.infer<typeof HaRecordSchema>;

export function readHaCorpus(path: string): HaRecord[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const r = HaRecordSchema.safeParse(JSON.parse(l));
      if (!r.success) throw new Error(`${path}:${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
      return r.data;
    });
}

export interface HaLine {
  id: string;
  intent: string | null;
  slots: Slots;
  ms: number;
}

export interface HaRun {
  engineLang: Lang;
  lines: HaLine[];
  skipped: Map<string, number>;
}

/** One adapter per fixture set: the language's own, and each slot-combination file's. */
export function haAdapters(lang: HaLang, dir: string): { adapterFor(r: HaRecord): HaAdapter | undefined; homes: HaHome[] } {
  const fixtures = loadHaFixtures(join(dir, `fixtures-${lang}.json`));
  const engineLang = ENGINE_LANG[lang];
  const cache = new Map<HaPart, { home: HaHome; adapter: HaAdapter }>();
  const get = (part: HaPart) => {
    let x = cache.get(part);
    if (!x) {
      const home = haHome(part, engineLang);
      x = { home, adapter: haAdapter(home) };
      cache.set(part, x);
    }
    return x;
  };
  const main = get(fixtures);
  return {
    adapterFor(r) {
      if (r.format === 'classic') return main.adapter;
      const part = fixtures.per_file[r.source];
      return part ? get(part).adapter : undefined;
    },
    get homes() {
      return [...cache.values()].map((x) => x.home);
    },
  };
}

export function runHaIntents(lang: HaLang, dir: string, rounds = 5): HaRun {
  const records = readHaCorpus(join(dir, `${lang}.jsonl`)).filter(
    (r) => !r.expected_failure && (HA_DEVICE_INTENTS as readonly string[]).includes(r.intent),
  );
  const adapters = haAdapters(lang, dir);
  const lines: HaLine[] = [];
  // a warm-up pass lets the JIT settle and compiles each home's matcher; a sentence's time is its median run
  for (const r of records) adapters.adapterFor(r)?.predict(r.text, r.context.area);
  for (const r of records) {
    const a = adapters.adapterFor(r);
    if (!a) continue; // no fixtures: the scorer counts a missing line as a miss
    const runs = Array.from({ length: rounds }, () => a.predict(r.text, r.context.area));
    const p = runs[0]!;
    const ms = runs.map((x) => x.ms).sort((x, y) => x - y)[Math.floor(rounds / 2)]!;
    lines.push({ id: r.id, intent: p.intent, slots: p.slots, ms });
  }
  // the classic home's left-out kinds
  const skipped = adapters.homes[0]?.skipped ?? new Map<string, number>();
  return { engineLang: ENGINE_LANG[lang], lines, skipped };
}
