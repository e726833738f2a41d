import type { Db } from '../store/database.ts';

/**
 * The security tables, created if missing. They live in the hub's steward.db but outside the registry migrations so
 * pairing can ship on its own: call once after openDatabase (createHubSecurity does). Never drop or rename columns
 * here; add new tables or `ALTER TABLE ... ADD COLUMN` guarded by a check.
 */
export function ensureSecuritySchema(db: Db): void {
  db.exec(`
  CREATE TABLE IF NOT EXISTS mqtt_credentials (
    username TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('node', 'hub', 'admin', 'controller')),
    node_id TEXT,                 -- role node: the node it speaks for (= username)
    password_hash TEXT NOT NULL,  -- scrypt$N$r$p$salt$hash; the password itself is never stored
    public_key TEXT,              -- paired nodes: their Ed25519 public key (SPKI DER, base64)
    source TEXT NOT NULL,         -- pairing | demo | admin | hub
    label TEXT,
    generation INTEGER NOT NULL,  -- sessions authenticated with an older generation lose their rights
    created_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS mqtt_credentials_by_node ON mqtt_credentials(node_id);
  CREATE TABLE IF NOT EXISTS admin_token (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    token_hash TEXT NOT NULL,     -- sha256 hex of a 256-bit random token
    created_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT,
    subject TEXT,
    source TEXT,
    detail TEXT                   -- JSON, never secrets
  );
  CREATE INDEX IF NOT EXISTS audit_log_by_kind ON audit_log(kind, at);
  `);
}
