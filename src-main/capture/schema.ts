// The manifest tables that mirror capture sessions (session.json stays the truth on disk). The
// lead appends CAPTURE_SESSIONS_SQL to the manifest migrations (src-main/lake/manifest.ts);
// sessionRepo.ts reads and writes them through the open handle. Receive times are decimal ns
// strings (exact: 19 digits do not fit a double) beside ISO times for queries; update ids fit a
// double exactly (USD-M ~5e12 < 2^53).
export const CAPTURE_SESSIONS_SQL = `
CREATE TABLE capture_sessions (
  id TEXT PRIMARY KEY,
  symbol TEXT NOT NULL,
  market TEXT NOT NULL CHECK (market IN ('spot', 'usdm')),
  state TEXT NOT NULL CHECK (state IN ('running', 'done', 'cancelled', 'failed', 'interrupted')),
  dir TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  start_ns TEXT,
  end_ns TEXT,
  first_receive_at TEXT,
  last_receive_at TEXT,
  streams TEXT NOT NULL,
  files TEXT NOT NULL,
  segments TEXT NOT NULL,
  file_count INTEGER NOT NULL,
  messages INTEGER NOT NULL,
  depth_updates INTEGER NOT NULL,
  trades INTEGER NOT NULL,
  book_tickers INTEGER NOT NULL,
  snapshots INTEGER NOT NULL,
  malformed INTEGER NOT NULL,
  reconnects INTEGER NOT NULL,
  gap_count INTEGER NOT NULL,
  raw_bytes INTEGER NOT NULL,
  written_bytes INTEGER NOT NULL,
  window_ms INTEGER NOT NULL,
  regimes TEXT,
  job_id TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX capture_sessions_instrument ON capture_sessions(symbol, market, started_at);
CREATE TABLE capture_gaps (
  session_id TEXT NOT NULL REFERENCES capture_sessions(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  detail TEXT NOT NULL,
  start_ns TEXT NOT NULL,
  end_ns TEXT,
  start_at TEXT NOT NULL,
  end_at TEXT,
  last_u INTEGER,
  next_u INTEGER,
  snapshot_update_id INTEGER,
  last_trade_id INTEGER,
  next_trade_id INTEGER,
  segment INTEGER NOT NULL,
  PRIMARY KEY (session_id, seq)
);
`
