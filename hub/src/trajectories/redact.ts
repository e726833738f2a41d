/**
 * Redaction for exported trajectories: the names of devices, areas, nodes and scenes (every language, and their
 * ids) and the places a request named (navigation destinations) become stable placeholders such as DEVICE_3 or
 * AREA_1, inside free text too; numbers, units, modes and the schema's own keys stay, so the data still teaches.
 * The same thing always gets the same placeholder within an export.
 */
import { NamesSchema } from '@steward/device-adapters';
import type { Db } from '../store/database.ts';

export type EntityKind = 'DEVICE' | 'AREA' | 'NODE' | 'SCENE' | 'PLACE';

export interface Entity {
  kind: EntityKind;
  /** the id (replaced where it stands alone as a value or key) */
  id: string;
  names: readonly string[];
}

export interface Redactor {
  text(s: string): string;
  /** strings inside, and keys equal to a known id or name; other keys (field and parameter names) stay */
  value(v: unknown): unknown;
  /** every term replaced, longest first (tests check that none survives) */
  readonly terms: readonly string[];
}

const HAN = /\p{Script=Han}/u;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Entities of the home as the hub's SQLite file holds them now (owner's renames included), in the registry's order. */
export function homeEntities(db: Db): Entity[] {
  const read = (table: string, kind: EntityKind): Entity[] =>
    (db.prepare(`SELECT id, names FROM ${table} ORDER BY sort, id`).all() as { id: string; names: string }[]).map((r) => {
      const names = NamesSchema.parse(JSON.parse(r.names));
      return { kind, id: r.id, names: Object.values(names).flat() };
    });
  return [...read('areas', 'AREA'), ...read('devices', 'DEVICE'), ...read('nodes', 'NODE'), ...read('scenes', 'SCENE')];
}

export function createRedactor(entities: readonly Entity[]): Redactor {
  const counters = new Map<EntityKind, number>();
  const byTerm = new Map<string, string>();
  for (const e of entities) {
    const n = (counters.get(e.kind) ?? 0) + 1;
    counters.set(e.kind, n);
    const placeholder = `${e.kind}_${n}`;
    for (const term of [e.id, ...e.names]) {
      const t = term.trim();
      // a name made only of digits would eat values; the first entity to claim a term keeps it
      if (t.length === 0 || /^[\d\s.,%°]+$/.test(t) || byTerm.has(t.toLowerCase())) continue;
      byTerm.set(t.toLowerCase(), placeholder);
    }
  }
  const terms = [...byTerm.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b));
  // Latin terms only as whole words (a plural s/es allowed); Chinese ones wherever they stand
  const alternatives = terms.map((t) => (HAN.test(t) ? escape(t) : `(?<![\\p{L}\\p{N}_])${escape(t)}(?:e?s)?(?![\\p{L}\\p{N}_])`));
  const pattern = terms.length > 0 ? new RegExp(alternatives.join('|'), 'giu') : undefined;

  const lookup = (match: string): string => {
    const lower = match.toLowerCase();
    return byTerm.get(lower) ?? byTerm.get(lower.replace(/e?s$/, '')) ?? byTerm.get(lower.replace(/s$/, '')) ?? match;
  };
  const text = (s: string): string => (pattern ? s.replace(pattern, lookup) : s);

  const value = (v: unknown): unknown => {
    if (typeof v === 'string') return text(v);
    if (Array.isArray(v)) return v.map(value);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [byTerm.get(k.toLowerCase()) ?? k, value(inner)]));
    }
    return v;
  };
  return { text, value, terms };
}

/** Places named in tool arguments (a navigation destination): redacted like the home's own names. */
export function placesIn(values: Iterable<unknown>): Entity[] {
  const places = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) {
        if (k === 'destination' && typeof inner === 'string') places.add(inner.trim());
        else walk(inner);
      }
    }
  };
  for (const v of values) walk(v);
  return [...places].sort().map((p) => ({ kind: 'PLACE' as const, id: p, names: [] }));
}
