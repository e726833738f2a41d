/**
 * Schema versions, applied in order inside one transaction each; `PRAGMA user_version` records the last one.
 * Never edit a shipped migration: add the next one.
 * JSON columns hold zod-validated values (names per language, traits, attributes, state values).
 */
export const MIGRATIONS: readonly string[] = [
  // 1: registry, last known state, history
  `
  CREATE TABLE areas (
    id TEXT PRIMARY KEY,
    names TEXT NOT NULL,
    sort INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE nodes (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    names TEXT NOT NULL,
    -- last Homie $state seen and when; online is decided at run time, never read from here
    last_state TEXT,
    last_seen_at INTEGER,
    sort INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    node_id TEXT NOT NULL REFERENCES nodes(id),
    area_id TEXT NOT NULL REFERENCES areas(id),
    type TEXT NOT NULL,
    names TEXT NOT NULL,
    traits TEXT NOT NULL,
    attributes TEXT NOT NULL,
    confirm TEXT NOT NULL,
    -- set once the owner renamed or moved the device: a home file then no longer overrides it
    names_edited INTEGER NOT NULL DEFAULT 0,
    area_edited INTEGER NOT NULL DEFAULT 0,
    sort INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX devices_by_node ON devices(node_id);
  CREATE TABLE scenes (
    id TEXT PRIMARY KEY,
    names TEXT NOT NULL,
    states TEXT NOT NULL,
    sort INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE device_state (
    device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    value TEXT,          -- JSON of the last reported value; NULL while only a target is known
    target TEXT,         -- JSON of the pending Homie $target; NULL when none
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (device_id, field)
  );
  CREATE TABLE state_history (
    id INTEGER PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('value', 'target')),
    value TEXT,          -- JSON; NULL for a cleared target
    at INTEGER NOT NULL
  );
  CREATE INDEX state_history_by_device ON state_history(device_id, at);
  `,
  // 2: scheduled commands ("turn off the lights in 1 minute") survive restarts; finished ones stay as a record
  `
  CREATE TABLE schedules (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    actions TEXT NOT NULL,       -- JSON array of device actions
    confirmed INTEGER NOT NULL,  -- the owner said yes to these before they were scheduled
    context TEXT NOT NULL,       -- JSON {source?, by?} for the audit log when they run
    created_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed', 'missed', 'cancelled')),
    finished_at INTEGER,
    results TEXT                 -- JSON array of action results once run
  );
  CREATE INDEX schedules_by_status ON schedules(status, due_at);
  `,
  // 3: dashboard sign-in sessions (the browser's cookie holds the id; only its SHA-256 is kept), across restarts
  `
  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,    -- sha256 hex of the cookie's 256-bit random id
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    address TEXT                 -- where it signed in from, for the audit log
  );
  CREATE INDEX sessions_by_expiry ON sessions(expires_at);
  `,
  // 4: devices nodes found after pairing, waiting for the owner (adoption/); one row per node, ecosystem and key
  `
  CREATE TABLE adoptions (
    id TEXT PRIMARY KEY,         -- the hub's id for the record (GET /api/adoptions)
    node_id TEXT NOT NULL,
    ecosystem TEXT NOT NULL,
    key TEXT NOT NULL,           -- the device's id inside its ecosystem
    descriptor TEXT NOT NULL,    -- JSON: type, traits, attributes, suggested names (what the node reported)
    label TEXT NOT NULL,         -- what the device says about itself: shown as text, never obeyed
    state TEXT NOT NULL,         -- JSON: the state it was found with
    status TEXT NOT NULL CHECK (status IN ('pending', 'adopted', 'ignored', 'removing')),
    device_id TEXT,              -- once adopted
    found_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (node_id, ecosystem, key)
  );
  CREATE INDEX adoptions_by_device ON adoptions(device_id);
  `,
  // 5: the floor an area is on (naming the floor names its rooms: "the lights upstairs")
  `
  ALTER TABLE areas ADD COLUMN floor TEXT;
  `,
  // 6: changes waiting for the owner's yes (conversation/confirmations.ts) survive a restart with their own expiry;
  // a settled row stays (pruned to the newest) so a late or repeated answer learns why it is refused, never runs twice
  `
  CREATE TABLE confirmations (
    id TEXT PRIMARY KEY,
    actions TEXT NOT NULL,       -- JSON array of device actions held back
    summary TEXT NOT NULL,       -- what the owner is asked, in the request's language
    lang TEXT NOT NULL,
    source TEXT NOT NULL,        -- sentence, scene, api, planner, voice, dashboard
    conversation_id TEXT,        -- the conversation whose "yes" also settles it
    delay_ms INTEGER,            -- confirmed now, run this much later
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'cancelled', 'expired', 'superseded')),
    settled_at INTEGER,
    result TEXT                  -- JSON of what the yes did (executed or scheduled, with results) once it ran
  );
  CREATE INDEX confirmations_by_status ON confirmations(status, settled_at);
  `,
];
