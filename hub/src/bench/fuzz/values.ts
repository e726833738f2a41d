import type { Prng } from './prng.ts';

/**
 * Hostile values, one generator per kind: malformed, truncated, oversized, deeply nested, wrongly typed, invalid
 * UTF-8. `valid` is a well-formed sample for the surface (a real message), which the truncating and the retyping
 * kinds start from.
 */
export const VALUE_KINDS = ['malformed', 'truncated', 'oversized', 'nested', 'wrongType', 'badUtf8', 'empty', 'random'] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

const WEIRD_SCALARS: unknown[] = [
  null, true, false, 0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, '', ' ', 'null', '__proto__', 'constructor',
  '../../etc/passwd', '%00', '\u0000', '\ud800', '😀'.repeat(50), 'x'.repeat(1000), [], {}, [[]], { '': '' },
];

function retype(p: Prng, v: unknown, depth = 0): unknown {
  if (depth > 6) return p.pick(WEIRD_SCALARS);
  if (Array.isArray(v)) return p.chance(0.3) ? p.pick(WEIRD_SCALARS) : v.map((x) => retype(p, x, depth + 1));
  if (v && typeof v === 'object') {
    if (p.chance(0.2)) return p.pick(WEIRD_SCALARS);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (p.chance(0.15)) continue; // a missing field
      out[k] = p.chance(0.5) ? retype(p, x, depth + 1) : p.pick(WEIRD_SCALARS);
    }
    if (p.chance(0.3)) out[p.pick(['__proto__', 'constructor', 'extra', 'id', 'x'.repeat(200)])] = p.pick(WEIRD_SCALARS);
    return out;
  }
  return p.pick(WEIRD_SCALARS);
}

function nested(p: Prng): string {
  const depth = p.pick([100, 1000, 10_000, 100_000]);
  const [open, close] = p.pick([['[', ']'], ['{"a":', '}']] as const);
  return open.repeat(depth) + (p.chance(0.5) ? '1' + close.repeat(depth) : '');
}

/** a hostile payload of the given kind (a Buffer: MQTT and HTTP bodies are bytes) */
export function hostile(p: Prng, kind: ValueKind, valid: unknown, maxBytes: number): Buffer {
  const json = JSON.stringify(valid) ?? 'null';
  switch (kind) {
    case 'malformed':
      return Buffer.from(p.pick(['{', '}', '{"a":}', "{'a':1}", '[1,2,,]', 'NaN', 'undefined', '{"a":1}}', json.replace(/"/g, '')]));
    case 'truncated':
      return Buffer.from(json.slice(0, p.int(0, Math.max(0, json.length - 1))));
    case 'oversized': {
      // mostly just over common limits; now and then the whole budget
      const n = p.chance(0.05) ? maxBytes : p.int(64 * 1024, Math.min(maxBytes, 300 * 1024));
      return Buffer.from(JSON.stringify({ ...(typeof valid === 'object' && valid ? valid : {}), pad: 'x'.repeat(n) }));
    }
    case 'nested':
      return Buffer.from(nested(p));
    case 'wrongType':
      return Buffer.from(JSON.stringify(retype(p, valid)) ?? 'null');
    case 'badUtf8':
      return Buffer.concat([Buffer.from(json.slice(0, json.length >> 1)), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from(json.slice(json.length >> 1))]);
    case 'empty':
      return Buffer.alloc(0);
    case 'random':
      return p.bytes(p.int(1, 512));
  }
}

// encodeURIComponent throws on a lone surrogate: that one goes as its (invalid) UTF-8 bytes
const encode = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};

/** a hostile string for a path segment, a header value or a query value */
export function hostileString(p: Prng): string {
  return p.pick([
    () => '',
    () => '..%2F..%2Fetc%2Fpasswd',
    () => '%',
    () => '%ZZ',
    () => '%C3%28',
    () => 'x'.repeat(p.int(1, 20_000)),
    () => encode(String(p.pick(WEIRD_SCALARS))),
    () => '[object Object]',
    () => '-1',
    () => '1e999',
    () => encode(p.bytes(p.int(1, 40)).toString('latin1')),
  ])();
}
