import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { NODE_ID, StewardError } from '@steward/device-adapters';
import type { Db } from '../store/database.ts';
import { DUMMY_HASH, hashPassword, randomSecret, verifyPassword } from './passwords.ts';
import { ensureSecuritySchema } from './schema.ts';

export const ROLES = ['node', 'hub', 'admin', 'controller'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;
export const CredentialSourceSchema = z.enum(['pairing', 'demo', 'admin', 'hub']);
export type CredentialSource = z.infer<typeof CredentialSourceSchema>;

/** MQTT user names: what mosquitto_sub -u takes without quoting surprises */
export const USERNAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
export const HUB_USERNAME = 'steward-hub';

export interface CredentialRecord {
  username: string;
  role: Role;
  nodeId: string | null;
  publicKey: string | null;
  source: CredentialSource;
  label: string | null;
  generation: number;
  createdAt: number;
}

export interface IssueRequest {
  username: string;
  role: Role;
  source: CredentialSource;
  /** role node: the node (defaults to the username, which it must equal) */
  nodeId?: string;
  publicKey?: string;
  label?: string;
}

/** returned once; only the hash stays */
export interface IssuedCredentials {
  username: string;
  password: string;
  role: Role;
  generation: number;
}

interface Row {
  username: string;
  role: string;
  node_id: string | null;
  password_hash: string;
  public_key: string | null;
  source: string;
  label: string | null;
  generation: number;
  created_at: number;
}

/**
 * MQTT credentials per principal (node, hub, admin, controller), hashed with scrypt in SQLite and mirrored in
 * memory so the broker's per-packet checks stay synchronous. One process owns the database (the hub).
 */
export class CredentialStore {
  private readonly cache = new Map<string, CredentialRecord & { hash: string }>();
  private readonly q;

  constructor(private readonly db: Db) {
    ensureSecuritySchema(db);
    this.q = {
      all: db.prepare(`SELECT * FROM mqtt_credentials ORDER BY created_at, username`),
      upsert: db.prepare(
        `INSERT INTO mqtt_credentials (username, role, node_id, password_hash, public_key, source, label, generation, created_at)
         VALUES (@username, @role, @nodeId, @hash, @publicKey, @source, @label, @generation, @createdAt)
         ON CONFLICT(username) DO UPDATE SET role = excluded.role, node_id = excluded.node_id, password_hash = excluded.password_hash,
           public_key = excluded.public_key, source = excluded.source, label = excluded.label, generation = excluded.generation,
           created_at = excluded.created_at`,
      ),
      delete: db.prepare(`DELETE FROM mqtt_credentials WHERE username = ?`),
    };
    for (const r of this.q.all.all() as Row[]) this.cache.set(r.username, toRecord(r));
  }

  /** Creates or replaces a principal's credentials with a fresh random password (a new generation). */
  async issue(req: IssueRequest): Promise<IssuedCredentials> {
    if (!USERNAME.test(req.username)) throw new StewardError('BAD_REQUEST', `invalid MQTT user name ${req.username}: use a-z, 0-9, _ . -`);
    const nodeId = req.role === 'node' ? (req.nodeId ?? req.username) : null;
    if (req.role === 'node' && (nodeId !== req.username || !NODE_ID.test(nodeId))) {
      throw new StewardError('BAD_REQUEST', `a node's user name is its node id (a Homie id), got ${req.username}`);
    }
    const existing = this.cache.get(req.username);
    if (existing && existing.role !== req.role) {
      throw new StewardError('CONFLICT', `the user name ${req.username} already belongs to a ${existing.role}`);
    }
    const password = randomSecret();
    const hash = await hashPassword(password);
    const record = {
      username: req.username,
      role: req.role,
      nodeId,
      publicKey: req.publicKey ?? null,
      source: req.source,
      label: req.label ?? null,
      // random, not incremented: a deleted and re-issued name must never match an old session's generation
      generation: randomInt(1, 2 ** 47),
      createdAt: Date.now(),
    };
    this.q.upsert.run({ ...record, hash });
    this.cache.set(record.username, { ...record, hash });
    return { username: record.username, password, role: record.role, generation: record.generation };
  }

  /** The principal when the password matches; undefined otherwise (unknown users cost as much as known ones). */
  async verify(username: string, password: string): Promise<CredentialRecord | undefined> {
    const entry = this.cache.get(username);
    const ok = await verifyPassword(password, entry?.hash ?? DUMMY_HASH);
    // re-read: the credentials may have been replaced or revoked while scrypt ran
    const now = this.cache.get(username);
    if (!ok || !entry || !now || now.generation !== entry.generation) return undefined;
    return strip(now);
  }

  get(username: string): CredentialRecord | undefined {
    const e = this.cache.get(username);
    return e && strip(e);
  }

  /** still the credentials a session was authenticated with (not revoked, not replaced) */
  isCurrent(username: string, generation: number): boolean {
    return this.cache.get(username)?.generation === generation;
  }

  list(): CredentialRecord[] {
    return [...this.cache.values()].map(strip);
  }

  /** node ids holding node credentials from a pairing (GET /api/nodes `paired`) */
  pairedNodeIds(): Set<string> {
    return new Set(this.list().filter((c) => c.role === 'node' && c.source === 'pairing').map((c) => c.nodeId!));
  }

  delete(username: string): boolean {
    const had = this.cache.delete(username);
    this.q.delete.run(username);
    return had;
  }

  /** every credential that speaks for this node; returns the user names removed */
  deleteNode(nodeId: string): string[] {
    const names = this.list().filter((c) => c.nodeId === nodeId).map((c) => c.username);
    this.db.transaction(() => {
      for (const n of names) this.q.delete.run(n);
    })();
    for (const n of names) this.cache.delete(n);
    return names;
  }
}

function toRecord(r: Row): CredentialRecord & { hash: string } {
  return {
    username: r.username,
    role: RoleSchema.parse(r.role),
    nodeId: r.node_id,
    publicKey: r.public_key,
    source: CredentialSourceSchema.parse(r.source),
    label: r.label,
    generation: r.generation,
    createdAt: r.created_at,
    hash: r.password_hash,
  };
}

function strip(e: CredentialRecord & { hash: string }): CredentialRecord {
  const { hash: _hash, ...rest } = e;
  return rest;
}
