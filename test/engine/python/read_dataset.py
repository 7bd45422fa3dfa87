"""Reads an exported lakebook dataset with pyarrow, pandas, polars and duckdb and prints what
each saw as JSON (schemas, rows per day, key-value metadata, sample book rows, split counts), for
test/engine/python/consumers.test.ts to check against the certificate and an independent replay.

Usage: python read_dataset.py <dataset> '<json list of grid times in µs>'
"""

import json
import sys

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as pads
import pyarrow.parquet as pq

ds, times = sys.argv[1], [int(t) for t in json.loads(sys.argv[2])]
TABLES = ["book", "features", "labels"]
BOOK_COLS = ["bid_0_price", "bid_0_size", "ask_0_price", "ask_0_size"]
out = {}

# pyarrow: schema (type and nullability), rows per day from the Hive partitions, KV metadata.
arrow = {"schema": {}, "rows": {}, "kv": {}, "encodings": {}}
for t in TABLES:
    d = pads.dataset(f"{ds}/{t}", format="parquet", partitioning="hive")
    arrow["schema"][t] = [[f.name, str(f.type), f.nullable] for f in d.schema]
    counts = d.to_table(columns=["date"]).group_by("date").aggregate([([], "count_all")])
    arrow["rows"][t] = {str(r["date"]): r["count_all"] for r in counts.to_pylist()}
    first = sorted(d.files)[0]
    meta = pq.ParquetFile(first).metadata.metadata or {}
    arrow["kv"][t] = {k.decode(): v.decode() for k, v in meta.items() if k != b"ARROW:schema"}
    rg = pq.ParquetFile(first).metadata.row_group(0)
    arrow["encodings"][t] = {
        rg.column(i).path_in_schema: sorted(rg.column(i).encodings) for i in range(rg.num_columns)
    }
out["pyarrow"] = arrow

# pandas (through pyarrow): dtypes, rows per day, the book at the sample times.
book = pd.read_parquet(f"{ds}/book", columns=["time", *BOOK_COLS])
book["t"] = book["time"].astype("int64") // 1000 if book["time"].dt.unit == "ns" else book["time"].astype("int64")
features = pd.read_parquet(f"{ds}/features")
out["pandas"] = {
    "dtypes": {"features": {c: str(features[c].dtype) for c in features.columns}},
    "rows": {"features": {str(k): int(v) for k, v in features.groupby("date", observed=True).size().items()}},
    "book": book[book["t"].isin(times)].sort_values("t")[["t", *BOOK_COLS]].to_dict("records"),
}

# polars: lazy scans, rows per day, split counts, the book at the sample times.
lbl = pl.scan_parquet(f"{ds}/labels/*/*.parquet", hive_partitioning=True)
pbook = (
    pl.scan_parquet(f"{ds}/book/*/*.parquet", hive_partitioning=True)
    .with_columns(pl.col("time").dt.epoch("us").alias("t"))
    .filter(pl.col("t").is_in(times))
    .select(["t", *BOOK_COLS])
    .sort("t")
    .collect()
)
out["polars"] = {
    "rows": {
        t: {
            str(r["date"]): r["len"]
            for r in pl.scan_parquet(f"{ds}/{t}/*/*.parquet", hive_partitioning=True)
            .group_by("date")
            .len()
            .collect()
            .to_dicts()
        }
        for t in TABLES
    },
    "split": {str(r["split"]): r["len"] for r in lbl.group_by("split").len().collect().to_dicts()},
    "splitDays": {
        f"{r['date']}/{r['split']}": r["len"] for r in lbl.group_by(["date", "split"]).len().collect().to_dicts()
    },
    "nullRet1s": lbl.select(pl.col("ret_1s").null_count()).collect().item(),
    "book": pbook.to_dicts(),
}

# duckdb: the same counts by SQL, and the labels joined to the features.
con = duckdb.connect()
glob = lambda t: f"read_parquet('{ds}/{t}/*/*.parquet', hive_partitioning = true)"  # noqa: E731
out["duckdb"] = {
    "rows": {
        t: {str(d): n for d, n in con.execute(f"SELECT date, count(*) FROM {glob(t)} GROUP BY date").fetchall()}
        for t in TABLES
    },
    "split": {str(s): n for s, n in con.execute(f"SELECT split, count(*) FROM {glob('labels')} GROUP BY split").fetchall()},
    "joined": con.execute(
        f"SELECT count(*) FROM {glob('features')} f JOIN {glob('labels')} l USING (time)"
    ).fetchone()[0],
}
print(json.dumps(out, default=str))
