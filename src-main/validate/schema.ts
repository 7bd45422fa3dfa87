// The data gate's tables in the manifest (SQLite): migration 3 of src-main/lake/manifest.ts.
//   validation_runs      one row per validate or certify run (its selection and summary);
//   validation_files     each file a run read: hash, size, rows, span, status, where it ended up;
//   validation_findings  every rule result of a run, per file, per partition-day or for the range,
//                        with the threshold, the measurement and the first offending rows;
//   gate_files           the current state of every file the gate knows, per zone (staging, ready):
//                        the sha256 recorded when it entered that zone (import or promotion), the
//                        latest status and the reasons a staging file is held back.
// Scopes in validation_findings: a lake-relative file path, 'day:{table}/{dt}', or 'range'.

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
