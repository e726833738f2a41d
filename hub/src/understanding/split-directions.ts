/**
 * English direction phrases said around their object: "cool the living room down", "crank the TV up", "warm the
 * kids room up". Built from the lexicon's `directions` entries of the form "<word> up|down" that name an attribute.
 */
import type { Attr, Meaning } from './lexicon/types.ts';
import type { Language } from './languages/types.ts';
import type { Token } from './scan.ts';
import type { Normalized } from './text.ts';

const TARGETS: ReadonlySet<Meaning['r']> = new Set(['dev', 'area', 'scene', 'node', 'type', 'pron']);

type DirTable = ReadonlyMap<string, ReadonlyMap<string, { sign: 1 | -1; attr: Attr }>>;
const tables = new WeakMap<Language, DirTable>();

/** head word -> particle -> direction ("cool" -> "down" -> temperature -1), built once per language */
function splitDirsOf(language: Language): DirTable {
  const known = tables.get(language);
  if (known) return known;
  const out = new Map<string, Map<string, { sign: 1 | -1; attr: Attr }>>();
  for (const d of language.lexicon.directions) {
    if (!d.attr) continue;
    for (const w of d.words) {
      const m = /^([a-z]+) (up|down)$/.exec(w);
      if (!m) continue;
      const byParticle = out.get(m[1]!) ?? new Map<string, { sign: 1 | -1; attr: Attr }>();
      byParticle.set(m[2]!, { sign: d.sign, attr: d.attr });
      out.set(m[1]!, byParticle);
    }
  }
  tables.set(language, out);
  return out;
}

type Dir = { sign: 1 | -1; attr: Attr };

/** A clause's split direction phrases: the head word's index -> its direction; the particles' indexes, to skip. */
export function splitDirections(tokens: readonly Token[], n: Normalized, language: Language): { heads: Map<number, Dir>; particles: Set<number> } {
  const heads = new Map<number, Dir>();
  const particles = new Set<number>();
  if (!language.grammar.splitDirections) return { heads, particles };
  const SPLIT_DIRS = splitDirsOf(language);
  for (let i = 0; i < tokens.length; i++) {
    const byParticle = SPLIT_DIRS.get(n.text.slice(tokens[i]!.s, tokens[i]!.e));
    if (!byParticle) continue;
    for (let j = i + 2; j < tokens.length; j++) {
      const dir = byParticle.get(n.text.slice(tokens[j]!.s, tokens[j]!.e));
      if (!dir) continue;
      const between = tokens.slice(i + 1, j);
      if (between.some((x) => x.m.some((m) => TARGETS.has(m.r)))) {
        heads.set(i, dir);
        particles.add(j);
      }
      break;
    }
  }
  return { heads, particles };
}
