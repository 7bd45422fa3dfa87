"""Example: one split of a lakebook dataset as a polars lazy frame.

    python scan_split.py <dataset> [train|validation|test ...]

Prints a JSON list, one summary per split: rows, days, time range, and the mean and null count of
each return label.
"""

import json
import sys

import polars as pl

from lakebook_data import scan_split

dataset = sys.argv[1]
out = []
for split in sys.argv[2:] or ["train"]:
    lf = scan_split(dataset, split)  # lazy: nothing is read before collect()
    rets = [c for c in lf.collect_schema().names() if c.startswith("ret_")]
    summary = lf.select(
        pl.len().alias("rows"),
        pl.col("date").n_unique().alias("days"),
        pl.col("time").min().dt.epoch("us").alias("first_us"),
        pl.col("time").max().dt.epoch("us").alias("last_us"),
        *[pl.col(c).mean().alias(f"mean_{c}") for c in rets],
        *[pl.col(c).null_count().alias(f"nulls_{c}") for c in rets],
    ).collect()
    out.append({"split": split, **summary.to_dicts()[0]})
print(json.dumps(out))
