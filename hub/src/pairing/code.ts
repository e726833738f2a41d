import { randomInt } from 'node:crypto';

/**
 * Codes nobody should get: they are the first an attacker tries. Refused: any constant step mod 10 (11111111,
 * 12345678, 87654321, 13579135), any repetition of a block of up to 4 digits (12121212, 12341234), and codes of
 * at most two distinct digits (11112222). About 25 000 of the 10^8 eight-digit codes.
 */
export function isTrivialCode(code: string): boolean {
  const d = [...code].map(Number);
  if (d.length < 2) return true;
  const step = (d[1]! - d[0]! + 10) % 10;
  if (d.every((x, i) => i === 0 || (x - d[i - 1]! + 10) % 10 === step)) return true;
  for (let period = 1; period <= 4; period++) {
    if (d.every((x, i) => i < period || x === d[i - period])) return true;
  }
  return new Set(d).size <= 2;
}

/** A one-time code of `digits` decimal digits from the OS's cryptographic randomness, never a trivial one. */
export function generateCode(digits = 8): string {
  for (;;) {
    let code = '';
    for (let i = 0; i < digits; i++) code += String(randomInt(0, 10));
    if (!isTrivialCode(code)) return code;
  }
}
