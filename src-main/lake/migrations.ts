// The manifest's schema history: every migration in the order it was added, applied once each by
// lake/manifest.ts (the database's user_version counts them). A table's SQL lives here and its
// repository beside its feature (sources/cryptolake/sqlLedger.ts, validate/store.ts,
// capture/sessionRepo.ts, export/backfillStore.ts, gates/store.ts), so the lake imports no feature.
// Never edit a released migration: add one.

export const JOBS_SQL = `CREATE TABLE jobs (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     state TEXT NOT NULL,
     params TEXT NOT NULL,
     created_at TEXT NOT NULL,
     started_at TEXT,
     ended_at TEXT,
     result TEXT,
     error TEXT,
     owner_pid INTEGER
   );
   CREATE INDEX jobs_created ON jobs(created_at);`

/**
 * The ledger's tables, for the manifest's migrations (SQLite). `acquired_files` holds the latest
 * outcome per object; `acquisition_transfers` is append-only.
 */
export const ACQUISITION_LEDGER_SQL = `CREATE TABLE acquired_files (
  bucket TEXT NOT NULL,
  key TEXT NOT NULL,
  table_name TEXT NOT NULL,
  exchange TEXT NOT NULL,
  symbol TEXT NOT NULL,
  dt TEXT NOT NULL,
  filename TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('verified', 'failed', 'denied', 'missing')),
  reason TEXT,
  size INTEGER,
  etag TEXT,
  etag_verified INTEGER NOT NULL DEFAULT 0,
  md5 TEXT,
  sha256 TEXT,
  row_count INTEGER,
  row_groups INTEGER,
  schema_fingerprint TEXT,
  schema_json TEXT,
  kv_json TEXT,
  path TEXT,
  attempts INTEGER NOT NULL,
  bytes_transferred INTEGER NOT NULL,
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (bucket, key),
  CHECK (status <> 'verified' OR (sha256 IS NOT NULL AND path IS NOT NULL AND reason IS NULL))
);
CREATE INDEX acquired_files_partition ON acquired_files (table_name, exchange, symbol, dt);
CREATE TABLE acquisition_transfers (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  bucket TEXT NOT NULL,
  key TEXT NOT NULL,
  bytes INTEGER NOT NULL CHECK (bytes >= 0)
);
CREATE INDEX acquisition_transfers_at ON acquisition_transfers (at);`

/**
 * The data gate's tables:
 *   validation_runs      one row per validate or certify run (its selection and summary);
 *   validation_files     each file a run read: hash, size, rows, span, status, where it ended up;
 *   validation_findings  every rule result of a run, per file, per partition-day or for the range,
 *                        with the threshold, the measurement and the first offending rows;
 *   gate_files           the current state of every file the gate knows, per zone (staging, ready):
 *                        the sha256 recorded when it entered that zone (import or promotion), the
 *                        latest status and the reasons a staging file is held back.
 * Scopes in validation_findings: a lake-relative file path, 'day:{table}/{dt}', or 'range'.
 */
export const VALIDATION_SQL = `CREATE TABLE validation_runs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('validate', 'certify')),
  created_at TEXT NOT NULL,
  exchange TEXT NOT NULL,
  symbol TEXT NOT NULL,
  day_from TEXT,
  day_to TEXT,
  params_json TEXT NOT NULL,
  summary_json TEXT NOT NULL
);
CREATE INDEX validation_runs_created ON validation_runs (created_at);
CREATE TABLE validation_files (
  run_id TEXT NOT NULL REFERENCES validation_runs (id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  final_path TEXT NOT NULL,
  zone TEXT NOT NULL CHECK (zone IN ('staging', 'ready', 'other')),
  table_name TEXT NOT NULL,
  exchange TEXT NOT NULL,
  symbol TEXT NOT NULL,
  dt TEXT NOT NULL,
  filename TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  rows INTEGER NOT NULL,
  footer_rows INTEGER,
  row_groups INTEGER,
  first_receive TEXT,
  last_receive TEXT,
  status TEXT NOT NULL CHECK (status IN ('pass', 'warn', 'fail')),
  PRIMARY KEY (run_id, path)
);
CREATE INDEX validation_files_partition ON validation_files (table_name, exchange, symbol, dt);
CREATE TABLE validation_findings (
  run_id TEXT NOT NULL REFERENCES validation_runs (id) ON DELETE CASCADE,
  scope TEXT NOT NULL,
  rule TEXT NOT NULL,
  category TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pass', 'warn', 'fail', 'skip')),
  threshold TEXT NOT NULL,
  measured TEXT NOT NULL,
  count INTEGER NOT NULL,
  first_row INTEGER,
  examples_json TEXT NOT NULL,
  PRIMARY KEY (run_id, scope, rule)
);
CREATE INDEX validation_findings_rule ON validation_findings (rule, status);
CREATE TABLE gate_files (
  table_name TEXT NOT NULL,
  exchange TEXT NOT NULL,
  symbol TEXT NOT NULL,
  dt TEXT NOT NULL,
  filename TEXT NOT NULL,
  zone TEXT NOT NULL CHECK (zone IN ('staging', 'ready')),
  path TEXT NOT NULL,
  source TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('staged', 'pass', 'warn', 'fail')),
  reasons_json TEXT NOT NULL DEFAULT '[]',
  entered_at TEXT NOT NULL,
  validated_at TEXT,
  last_run_id TEXT,
  PRIMARY KEY (table_name, exchange, symbol, dt, filename, zone)
);`

/**
 * The tables that mirror capture sessions (session.json stays the truth on disk). Receive times
 * are decimal ns strings (exact: 19 digits do not fit a double) beside ISO times for queries;
 * update ids fit a double exactly (USD-M ~5e12 < 2^53).
 */
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

export const BACKFILL_SQL = `CREATE TABLE export_backfills (
  id TEXT PRIMARY KEY,
  dataset TEXT NOT NULL,
  exchange TEXT NOT NULL,
  symbol TEXT NOT NULL,
  from_day TEXT NOT NULL,
  to_day TEXT NOT NULL,
  params TEXT NOT NULL,
  created_at TEXT NOT NULL,
  parallel INTEGER NOT NULL DEFAULT 1,
  certificate TEXT
);
CREATE TABLE export_backfill_days (
  backfill_id TEXT NOT NULL REFERENCES export_backfills(id) ON DELETE CASCADE,
  day TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  reason TEXT,
  owner_pid INTEGER,
  started_at TEXT,
  ended_at TEXT,
  input_rows INTEGER,
  input_bytes INTEGER,
  events INTEGER,
  output_bytes INTEGER,
  seconds REAL,
  PRIMARY KEY (backfill_id, day)
);
CREATE INDEX export_backfill_days_state ON export_backfill_days(backfill_id, state, day);`

export const GATES_SQL = `CREATE TABLE gate_decisions (
  id TEXT PRIMARY KEY,
  gate TEXT NOT NULL,
  subject TEXT NOT NULL,
  who TEXT NOT NULL,
  at TEXT NOT NULL,
  why TEXT NOT NULL,
  overrode TEXT NOT NULL CHECK (overrode IN ('pass', 'warn', 'fail'))
);
CREATE INDEX gate_decisions_subject ON gate_decisions (gate, subject, at);
CREATE TABLE gate_checks (
  gate TEXT NOT NULL,
  at TEXT NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'warn', 'fail')),
  summary_json TEXT NOT NULL
);
CREATE INDEX gate_checks_gate ON gate_checks (gate, at);
CREATE TABLE data_requirements (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  requirement_json TEXT NOT NULL,
  saved_at TEXT NOT NULL
);`

/** A later migration: how the ETag was verified (multipart part size) or why it was not. */
export const ACQUISITION_ETAG_SQL = `ALTER TABLE acquired_files ADD COLUMN etag_part_size INTEGER;
ALTER TABLE acquired_files ADD COLUMN etag_note TEXT;`

/**
 * Alerts (monitor/alertStore.ts): one row per episode of a rule firing for a key — raised, seen
 * again, cleared, acknowledged — and the time of each running job's last progress report, so a
 * stalled job is found by any process that opens the lake.
 */
export const ALERTS_SQL = `CREATE TABLE alerts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  rule TEXT NOT NULL,
  key TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('warn', 'error')),
  message TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('firing', 'cleared')),
  first_at TEXT NOT NULL,
  last_at TEXT NOT NULL,
  count INTEGER NOT NULL,
  cleared_at TEXT,
  ack_at TEXT
);
CREATE INDEX alerts_open ON alerts(state, rule, key);
ALTER TABLE jobs ADD COLUMN progress_at TEXT;`

/**
 * Each job's metric time series (throughput, rows, disk free, a capture's gaps and lag…), one
 * row per sample at a bounded rate (jobs/metricsSampler.ts); the values are a JSON object.
 */
export const JOB_METRICS_SQL = `CREATE TABLE job_metrics (
  job_id TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  unit TEXT,
  values_json TEXT NOT NULL
);
CREATE INDEX job_metrics_job ON job_metrics(job_id, at_ms);
CREATE INDEX job_metrics_at ON job_metrics(at_ms);`

/**
 * Each finished backfill day's summary (export/daySummary.ts: rows in, applied, gaps, resyncs,
 * crossed time, drift, throughput, verdict) as JSON, for `lakebook status` and the Monitor page.
 */
export const BACKFILL_DAY_SUMMARY_SQL = `ALTER TABLE export_backfill_days ADD COLUMN summary TEXT;`

/**
 * A running capture's streams as it last saw them (capture/sessionRepo.ts liveStreams): JSON
 * {at, streams: [{stream, silentMs}]}, refreshed every second or so, so `lakebook status` in
 * another process finds a stream that stopped (and a capture whose process is gone).
 */
export const CAPTURE_STREAMS_LIVE_SQL = `ALTER TABLE capture_sessions ADD COLUMN streams_live TEXT;`

export const MIGRATIONS: readonly string[] = [
  JOBS_SQL,
  // 2: downloaded files and transferred bytes (sources/cryptolake/ledger.ts).
  ACQUISITION_LEDGER_SQL,
  // 3: the data gate: validation runs, per-file results, findings, staging/ready files (validate/).
  VALIDATION_SQL,
  // 4: live capture sessions and their gaps (capture/sessionRepo.ts).
  CAPTURE_SESSIONS_SQL,
  // 5: the backfill queue (export/backfillStore.ts).
  BACKFILL_SQL,
  // 6: gate decisions (overrides, budget approval) and the saved data requirement (gates/).
  GATES_SQL,
  // 7: how each download's ETag was verified (multipart part size) or why not (ledger.ts).
  ACQUISITION_ETAG_SQL,
  // 8: alerts and each running job's last progress (monitor/).
  ALERTS_SQL,
  // 9: each job's metric time series (lake/jobMetrics.ts).
  JOB_METRICS_SQL,
  // 10: each finished backfill day's summary (export/daySummary.ts).
  BACKFILL_DAY_SUMMARY_SQL,
  // 11: a running capture's per-stream silence (capture/sessionRepo.ts).
  CAPTURE_STREAMS_LIVE_SQL
]
