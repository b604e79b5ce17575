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
  // Full-text search. A plain FTS5 table (it keeps its own copy of the text) keyed by search_rows, whose
  // INTEGER PRIMARY KEY is stable: an external-content index on messages' implicit rowid could drift
  // after a VACUUM. Triggers keep it in step inside every write's own transaction.
  `CREATE TABLE search_rows (
     rowid INTEGER PRIMARY KEY,
     conversation_id TEXT NOT NULL,
     message_id TEXT UNIQUE
   );
   CREATE UNIQUE INDEX search_rows_title ON search_rows(conversation_id) WHERE message_id IS NULL;
   CREATE VIRTUAL TABLE search_index USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
   CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
     INSERT INTO search_rows (conversation_id, message_id) VALUES (new.conversation_id, new.id);
     INSERT INTO search_index (rowid, body) VALUES ((SELECT rowid FROM search_rows WHERE message_id = new.id), new.text);
   END;
   CREATE TRIGGER messages_search_update AFTER UPDATE OF text ON messages BEGIN
     UPDATE search_index SET body = new.text WHERE rowid = (SELECT rowid FROM search_rows WHERE message_id = new.id);
   END;
   CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
     DELETE FROM search_index WHERE rowid = (SELECT rowid FROM search_rows WHERE message_id = old.id);
     DELETE FROM search_rows WHERE message_id = old.id;
   END;
   CREATE TRIGGER conversations_search_insert AFTER INSERT ON conversations BEGIN
     INSERT INTO search_rows (conversation_id, message_id) VALUES (new.id, NULL);
     INSERT INTO search_index (rowid, body)
       VALUES ((SELECT rowid FROM search_rows WHERE conversation_id = new.id AND message_id IS NULL), new.title);
   END;
   CREATE TRIGGER conversations_search_update AFTER UPDATE OF title ON conversations BEGIN
     UPDATE search_index SET body = new.title
       WHERE rowid = (SELECT rowid FROM search_rows WHERE conversation_id = new.id AND message_id IS NULL);
   END;
   CREATE TRIGGER conversations_search_delete AFTER DELETE ON conversations BEGIN
     DELETE FROM search_index
       WHERE rowid = (SELECT rowid FROM search_rows WHERE conversation_id = old.id AND message_id IS NULL);
     DELETE FROM search_rows WHERE conversation_id = old.id AND message_id IS NULL;
   END;
   INSERT INTO search_rows (conversation_id, message_id) SELECT id, NULL FROM conversations ORDER BY created_at;
   INSERT INTO search_rows (conversation_id, message_id) SELECT conversation_id, id FROM messages ORDER BY created_at, seq;
   INSERT INTO search_index (rowid, body)
     SELECT r.rowid, COALESCE(m.text, c.title) FROM search_rows r
       LEFT JOIN messages m ON m.id = r.message_id
       LEFT JOIN conversations c ON c.id = r.conversation_id AND r.message_id IS NULL;`,
  // The user's presets (the shipped ones live in shared/presets.ts) and each model's default preset.
  `CREATE TABLE presets (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL UNIQUE COLLATE NOCASE,
     settings TEXT NOT NULL,
     thinking INTEGER NOT NULL DEFAULT 0,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE model_presets (
     model_id TEXT PRIMARY KEY,
     preset_id TEXT NOT NULL
   );`,
  // Attached documents: their page texts, and chunks for retrieval with an FTS5 index (bm25) and an
  // optional embedding. The index is external-content on document_chunks' INTEGER PRIMARY KEY (stable
  // across VACUUM); triggers keep it in step, and deleting a conversation cascades through all of it.
  `CREATE TABLE documents (
     id TEXT PRIMARY KEY,
     conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
     name TEXT NOT NULL,
     kind TEXT NOT NULL,
     path TEXT,
     bytes INTEGER NOT NULL,
     mtime_ms INTEGER,
     sha256 TEXT NOT NULL,
     pages INTEGER,
     tokens INTEGER NOT NULL,
     token_basis TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX documents_by_conversation ON documents(conversation_id);
   CREATE TABLE document_pages (
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     page INTEGER NOT NULL,
     text TEXT NOT NULL,
     PRIMARY KEY (document_id, page)
   );
   CREATE TABLE document_chunks (
     id INTEGER PRIMARY KEY,
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     page INTEGER,
     start INTEGER NOT NULL,
     end INTEGER NOT NULL,
     tokens INTEGER NOT NULL,
     text TEXT NOT NULL,
     embedding BLOB
   );
   CREATE INDEX document_chunks_by_document ON document_chunks(document_id, seq);
   CREATE VIRTUAL TABLE document_chunks_fts USING fts5(
     text, content = 'document_chunks', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
   );
   CREATE TRIGGER document_chunks_fts_insert AFTER INSERT ON document_chunks BEGIN
     INSERT INTO document_chunks_fts (rowid, text) VALUES (new.id, new.text);
   END;
   CREATE TRIGGER document_chunks_fts_delete AFTER DELETE ON document_chunks BEGIN
     INSERT INTO document_chunks_fts (document_chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
   END;`,
  // Branches: each message names the one it follows, and each conversation its chosen path's last message
  // (leaf_id); chosen_child remembers which version below a message was last shown. Every existing
  // conversation becomes a single path: each message follows the one before it in seq order, and its
  // newest message is the leaf. No foreign key on parent_id: deleting a branch walks the subtree itself,
  // where a cascade would recurse once per message and hit SQLite's trigger depth.
  `ALTER TABLE messages ADD COLUMN parent_id TEXT;
   ALTER TABLE messages ADD COLUMN chosen_child TEXT;
   ALTER TABLE conversations ADD COLUMN leaf_id TEXT;
   UPDATE messages SET parent_id = (
     SELECT p.id FROM messages p
      WHERE p.conversation_id = messages.conversation_id AND p.seq < messages.seq
      ORDER BY p.seq DESC LIMIT 1);
   UPDATE conversations SET leaf_id = (
     SELECT m.id FROM messages m WHERE m.conversation_id = conversations.id ORDER BY m.seq DESC LIMIT 1);
   CREATE INDEX messages_by_parent ON messages(parent_id);`,
  // A reasoning model's thoughts, kept apart from the answer's text (and out of the search index).
  `ALTER TABLE messages ADD COLUMN thoughts TEXT;`,
  // MCP servers the user added (config: the command, arguments and environment, or the URL), and which
  // tools each conversation has turned off or on (no row: on).
  `CREATE TABLE mcp_servers (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL UNIQUE COLLATE NOCASE,
     config TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE conversation_tools (
     conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
     server TEXT NOT NULL,
     tool TEXT NOT NULL,
     enabled INTEGER NOT NULL,
     PRIMARY KEY (conversation_id, server, tool)
   );`,
];
