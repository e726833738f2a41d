/**
 * What the hub's CLI needs for issue 5, so its wiring is a few lines: ask the running hub for a pairing window or a
 * revocation with the admin token from `<data-dir>/admin-token`, print a window for people, rotate a lost token.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { ErrorBodySchema, StewardError } from '@steward/device-adapters';
import { openDatabase } from '../store/database.ts';
import { ADMIN_TOKEN_FILE, AdminTokens } from '../auth/admin-token.ts';
import { AuditLog } from '../auth/audit-log.ts';
import type { OpenedWindow } from './service.ts';
import type { RevocationReport } from './revocation.ts';
import type { NodeRemovalReport } from '../auth/removal.ts';

export function readAdminToken(dataDir: string): string {
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    throw new StewardError('UNAUTHORIZED', `no admin token at ${file}: start the hub once with this --data-dir (or rotate the token)`);
  }
}

/** an authenticated request to the running hub; its error envelope becomes a StewardError */
export async function callHub<T>(httpUrl: string, dataDir: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${httpUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${readAdminToken(dataDir)}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  }).catch((e: Error) => {
    throw new StewardError('NODE_OFFLINE', `cannot reach the hub at ${httpUrl}: ${e.message}`);
  });
  const json = (await res.json().catch(() => ({}))) as { error?: unknown };
  if (!res.ok) {
    const err = ErrorBodySchema.safeParse(json.error);
    throw new StewardError(err.success ? err.data.code : 'INTERNAL', err.success ? err.data.message : `HTTP ${res.status}`);
  }
  return json as T;
}

/** `steward-hub pair`: opens a window on the running hub (POST /api/pairing) */
export function requestPairingWindow(opts: { httpUrl: string; dataDir: string; windowMs?: number }): Promise<OpenedWindow> {
  return callHub(opts.httpUrl, opts.dataDir, 'POST', '/api/pairing', opts.windowMs ? { windowMs: opts.windowMs } : {});
}

/** `steward-hub revoke NODE`: POST /api/nodes/NODE/revoke */
export function requestRevocation(opts: { httpUrl: string; dataDir: string; nodeId: string }): Promise<RevocationReport> {
  return callHub(opts.httpUrl, opts.dataDir, 'POST', `/api/nodes/${encodeURIComponent(opts.nodeId)}/revoke`);
}

/** `steward-hub remove NODE`: DELETE /api/nodes/NODE (revoked first when paired) */
export function requestNodeRemoval(opts: { httpUrl: string; dataDir: string; nodeId: string }): Promise<NodeRemovalReport> {
  return callHub(opts.httpUrl, opts.dataDir, 'DELETE', `/api/nodes/${encodeURIComponent(opts.nodeId)}`);
}

/** `steward-hub mqtt-credentials NAME [--role controller|admin]`: POST /api/mqtt-credentials */
export function requestMqttCredentials(opts: { httpUrl: string; dataDir: string; username: string; role: 'controller' | 'admin' }): Promise<{ username: string; password: string; role: string }> {
  return callHub(opts.httpUrl, opts.dataDir, 'POST', '/api/mqtt-credentials', { role: opts.role, username: opts.username });
}

/** the window as the owner reads it, with the agent command that uses it */
export function formatPairingWindow(w: OpenedWindow): string {
  const grouped = w.code.replace(/(\d{4})(?=\d)/g, '$1 ');
  return [
    `Pairing code: ${grouped}   (valid until ${w.expiresAt}; one device)`,
    `QR payload:   ${w.qr}`,
    'On the device:',
    `  steward-agent pair --code ${w.code} --data-dir DIR --interface IF`,
    `  steward-agent pair --code '${w.qr}' --data-dir DIR`,
    '',
  ].join('\n');
}

/** `steward-hub admin-token --rotate --data-dir D`: works with the hub stopped (a lost token) */
export function rotateAdminTokenOffline(dataDir: string): { token: string; file: string } {
  const db = openDatabase(dataDir);
  try {
    const tokens = new AdminTokens(db, dataDir, new AuditLog(db, pino({ level: 'silent' })));
    return { token: tokens.rotate('cli'), file: tokens.file };
  } finally {
    db.close();
  }
}
