"""Reads Crypto Lake-format Parquet files with pyarrow, polars and duckdb and prints what each saw
as JSON: pyarrow's schema metadata and file key-value metadata (without ARROW:schema), the row
groups' sizes, and the row count each library reads. For test/engine/convert/vendorWriter.test.ts.

Usage: python lake_files.py <file.parquet>...
"""

import json
import sys

import duckdb
import polars as pl
import pyarrow.parquet as pq


def text(meta):
    return {k.decode(): v.decode() for k, v in (meta or {}).items() if k != b"ARROW:schema"}


out = {}
for f in sys.argv[1:]:
    m = pq.read_metadata(f)
    out[f] = {
        "schemaMeta": text(pq.read_schema(f).metadata),
        "fileMeta": text(m.metadata),
        "rowGroups": [m.row_group(i).num_rows for i in range(m.num_row_groups)],
        "rows": {
            "pyarrow": pq.read_table(f).num_rows,
            "polars": pl.read_parquet(f).height,
            "duckdb": duckdb.sql("SELECT count(*) FROM read_parquet(?)", params=[f]).fetchone()[0],
        },
    }
print(json.dumps(out))
