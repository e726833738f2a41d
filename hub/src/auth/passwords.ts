import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost: about 30-60 ms per check on a small hub, paid once per MQTT connect */
const N = 16384;
const R = 8;
const P = 1;
const KEY_LEN = 32;

function scryptAsync(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LEN, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64): parameters travel with the hash so they can grow later */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const expected = Buffer.from(parts[5]!, 'base64');
  const key = await scryptAsync(password, Buffer.from(parts[4]!, 'base64'), n, r, p);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** a hash nobody's password matches: checked for unknown users so their answer takes as long as a known one's */
export const DUMMY_HASH = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LEN).toString('base64')}`;

/** 32 random bytes, URL-safe: MQTT passwords and the admin token */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
