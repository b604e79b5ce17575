// Append only: each entry moves the schema one version up (PRAGMA user_version).
export const migrations: string[] = [
  `CREATE TABLE conversations (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     model_id TEXT,
     settings TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE TABLE messages (
     id TEXT PRIMARY KEY,
     conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
     text TEXT NOT NULL,
     status TEXT NOT NULL,
     stats TEXT,
     error TEXT,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX messages_by_conversation ON messages(conversation_id, seq);
   CREATE TABLE models (
     id TEXT PRIMARY KEY,
     path TEXT NOT NULL UNIQUE,
     added_at INTEGER NOT NULL
   );`,
  `CREATE TABLE settings (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );`,
  `ALTER TABLE messages ADD COLUMN trace TEXT;`,
  `CREATE TABLE comparisons (
     id TEXT PRIMARY KEY,
     created_at INTEGER NOT NULL,
     settings TEXT NOT NULL,
     variants TEXT NOT NULL
   );`,
  `CREATE TABLE downloads (
     id TEXT PRIMARY KEY,
     uri TEXT NOT NULL,
     url TEXT NOT NULL,
     file_name TEXT NOT NULL,
     expected_sha256 TEXT,
     expected_size INTEGER,
     state TEXT NOT NULL,
     received INTEGER NOT NULL DEFAULT 0,
     total INTEGER,
     error TEXT,
     path TEXT,
     sha256 TEXT,
     verified_against TEXT,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE model_names (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL
   );`,
];
