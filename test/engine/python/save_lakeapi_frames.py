"""Saves Crypto Lake files the way a lakeapi user does: load each file as lakeapi.load_data returns
it (raw columns renamed, times as datetime64[ns], side categorical, and with its default
drop_partition_cols=False the categorical `exchange` and `symbol` columns taken from the path),
then DataFrame.to_parquet. lakeapi itself is not installable here; this follows its code as the
research notes describe it (crypto-lake-formats.md, "Corrections").

usage: save_lakeapi_frames.py SRC_ROOT DST_ROOT [SYMBOL_VALUE]
  SYMBOL_VALUE, when given, is written into the `symbol` column instead of the path's value.
Prints {"files": [...]} as JSON.
"""
import json
import os
import sys

import pandas as pd

RENAME = {
    "timestamp": "origin_time",
    "receipt_timestamp": "received_time",
    "amount": "quantity",
    "id": "trade_id",
}


def part(path, name):
    for seg in path.split(os.sep):
        if seg.startswith(name + "="):
            return seg[len(name) + 1 :]
    raise ValueError(f"{path}: no {name}= folder")


def main():
    src, dst = sys.argv[1], sys.argv[2]
    symbol_value = sys.argv[3] if len(sys.argv) > 3 else None
    out = []
    for dirpath, _, files in os.walk(src):
        for f in sorted(files):
            if not f.endswith(".parquet"):
                continue
            path = os.path.join(dirpath, f)
            df = pd.read_parquet(path).rename(columns=RENAME)
            for c in ("origin_time", "received_time"):
                df[c] = pd.to_datetime(df[c], unit="ns")
            if "side" in df.columns:
                df["side"] = df["side"].astype("category")
            df["exchange"] = pd.Categorical([part(path, "exchange")] * len(df))
            df["symbol"] = pd.Categorical([symbol_value or part(path, "symbol")] * len(df))
            target = os.path.join(dst, os.path.relpath(path, src))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            df.to_parquet(target, index=False)
            out.append(target)
    print(json.dumps({"files": out}))


main()
