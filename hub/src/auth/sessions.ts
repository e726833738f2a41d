/**
 * Dashboard sign-in: a browser trades the admin token once for a session cookie (HttpOnly, SameSite=Strict, Secure
 * over HTTPS). The cookie holds a 256-bit random id; SQLite keeps only its SHA-256 with an absolute expiry, so a
 * session survives a hub restart and a stolen database holds nothing to replay. Rotating the admin token ends
 * every session (admin-token.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../store/database.ts';

export const SESSION_COOKIE = 'steward_session';
/** the header a cookie-authenticated change must carry (a cross-site form cannot set it) */
export const CSRF_HEADER = 'x-steward-csrf';

const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const hash = (id: string) => createHash('sha256').update(id, 'utf8').digest('hex');

export interface SessionOptions {
  /** how long a session lasts from its sign-in */
  ttlMs: number;
  /** the oldest go beyond this many (a script signing in in a loop cannot fill the table) */
  maxSessions?: number;
  now?: () => number;
}

export class SessionStore {
  private readonly q;
  private readonly now: () => number;
  readonly ttlMs: number;
  private readonly maxSessions: number;

  constructor(db: Db, opts: SessionOptions) {
    this.now = opts.now ?? Date.now;
    this.ttlMs = opts.ttlMs;
    this.maxSessions = opts.maxSessions ?? 200;
    this.q = {
      insert: db.prepare(`INSERT INTO sessions (id_hash, created_at, expires_at, address) VALUES (?, ?, ?, ?)`),
      get: db.prepare(`SELECT expires_at FROM sessions WHERE id_hash = ?`),
      delete: db.prepare(`DELETE FROM sessions WHERE id_hash = ?`),
      expire: db.prepare(`DELETE FROM sessions WHERE expires_at <= ?`),
      trim: db.prepare(`DELETE FROM sessions WHERE id_hash NOT IN (SELECT id_hash FROM sessions ORDER BY created_at DESC, rowid DESC LIMIT ?)`),
      count: db.prepare(`SELECT COUNT(*) AS n FROM sessions`),
    };
  }

  /** A new session: the id for the cookie (returned once) and when it ends. */
  create(address?: string): { id: string; expiresAt: number } {
    const id = randomBytes(32).toString('base64url');
    const now = this.now();
    const expiresAt = now + this.ttlMs;
    this.q.expire.run(now);
    this.q.insert.run(hash(id), now, expiresAt, address ?? null);
    this.q.trim.run(this.maxSessions);
    return { id, expiresAt };
  }

  /** whether the cookie's id names a live session */
  verify(id: string): boolean {
    if (!ID_PATTERN.test(id)) return false;
    const row = this.q.get.get(hash(id)) as { expires_at: number } | undefined;
    if (!row) return false;
    if (row.expires_at > this.now()) return true;
    this.q.delete.run(hash(id));
    return false;
  }

  /** signs one browser out; false when it held no session */
  revoke(id: string): boolean {
    if (!ID_PATTERN.test(id)) return false;
    return this.q.delete.run(hash(id)).changes > 0;
  }

  count(): number {
    this.q.expire.run(this.now());
    return (this.q.count.get() as { n: number }).n;
  }
}

/** Every session ends (the admin token changed); a database without the table (an old file) has none. */
export function revokeAllSessions(db: Db): number {
  const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sessions'`).get();
  return exists ? db.prepare(`DELETE FROM sessions`).run().changes : 0;
}

/** the value of one cookie in a Cookie header; undefined when absent */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The Set-Cookie value for a session (Max-Age so the browser drops it when the hub would refuse it). */
export function sessionCookie(id: string, maxAgeMs: number, secure: boolean): string {
  const attrs = [`${SESSION_COOKIE}=${id}`, 'HttpOnly', 'SameSite=Strict', 'Path=/', `Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}`];
  if (secure) attrs.push('Secure');
  return attrs.join('; ');
}

/** The Set-Cookie value that removes the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}
