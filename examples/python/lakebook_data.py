"""Small loaders for a lakebook dataset (docs/dataset-schema.md): a polars lazy scan of one split,
and a numpy iterator of fixed-length windows of book states for sequence models.

Needs polars, pyarrow and numpy. Both loaders read the Hive-partitioned Parquet as it is written:
  features/date=D/part-*.parquet, labels/date=D/part-*.parquet, book/date=D/part-*.parquet
and split codes 0 train, 1 validation, 2 test (-1 purged, -2 embargoed rows are never returned).

PyTorch wraps the window iterator in three lines (torch is not needed here):

    class BookWindows(torch.utils.data.IterableDataset):
        def __init__(self, dataset, **kw): self.dataset, self.kw = dataset, kw
        def __iter__(self): return book_windows(self.dataset, **self.kw)

then torch.utils.data.DataLoader(BookWindows(ds, split="train"), batch_size=None) yields the
batches as they are (batch_size=None: the iterator batches already).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import numpy as np
import polars as pl
import pyarrow.dataset as pads

SPLITS = {"train": 0, "validation": 1, "test": 2}


def grid_us(dataset: str | Path) -> int:
    """The grid step in µs, from certificate.json."""
    cert = json.loads((Path(dataset) / "certificate.json").read_text())
    return int(cert["config"]["gridUs"])


def scan_split(dataset: str | Path, split: str, table: str = "features") -> pl.LazyFrame:
    """A lazy frame of one split: the rows of `table` (features or book) with their labels.

    Nothing is read until .collect(); polars pushes the split filter and column selection down
    to the Parquet scan.
    """
    ds = Path(dataset)
    rows = pl.scan_parquet(ds / table / "*" / "*.parquet", hive_partitioning=True)
    labels = pl.scan_parquet(ds / "labels" / "*" / "*.parquet", hive_partitioning=True).drop("date")
    return rows.join(labels, on="time", how="inner").filter(pl.col("split") == SPLITS[split])


def book_windows(
    dataset: str | Path,
    split: str = "train",
    window: int = 50,
    batch_size: int = 64,
    target: str = "ret_1s",
    levels: int = 5,
    stride: int = 1,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Batches (x, y) of fixed-length windows of book states, in time order.

    x: float32 [batch, window, 4 * levels] — per grid row the best `levels` bid (price, size)
       pairs then ask pairs, prices relative to the mid of the window's last row (NaN where the
       book has fewer levels).
    y: float32 [batch] — the label `target` at the window's last row.

    A window holds `window` consecutive grid rows (no missing row, so no missing day or gap), all
    in `split`, ending on a row whose target is not null. Days are read one at a time, each with
    the last window − 1 rows of the day before, so windows cross midnight and memory stays at
    about a day. The last batch may be shorter.
    """
    ds = Path(dataset)
    step = grid_us(ds)
    code = SPLITS[split]
    cols = [f"{s}_{i}_{k}" for s in ("bid", "ask") for i in range(levels) for k in ("price", "size")]
    book = pads.dataset(ds / "book", format="parquet", partitioning="hive")
    labels = pads.dataset(ds / "labels", format="parquet", partitioning="hive")
    days = sorted({str(f.split("date=")[1].split("/")[0]) for f in book.files})
    tail: pl.DataFrame | None = None
    xs: list[np.ndarray] = []
    ys: list[float] = []
    for day in days:
        b = pl.from_arrow(book.to_table(columns=["time", *cols], filter=pads.field("date") == day))
        lab = pl.from_arrow(
            labels.to_table(columns=["time", "split", target], filter=pads.field("date") == day)
        )
        rows = b.join(lab, on="time", how="inner").sort("time")  # type: ignore[union-attr]
        if tail is not None:
            rows = pl.concat([tail, rows])
        t = rows["time"].dt.epoch("us").to_numpy()
        x = rows.select(cols).to_numpy().astype(np.float64)
        ok_split = (rows["split"] == code).to_numpy()
        y = rows[target].to_numpy().astype(np.float64)  # null → nan
        # A window ending at row e: its rows span exactly window − 1 grid steps (none missing)
        # and none of them is outside the split.
        idx = np.arange(window - 1, len(t))
        span_ok = t[idx] - t[idx - window + 1] == (window - 1) * step
        outside = np.concatenate([[0], np.cumsum(~ok_split)])
        split_ok = outside[idx + 1] - outside[idx - window + 1] == 0
        ends = idx[span_ok & split_ok & ~np.isnan(y[idx])][::stride]
        first = 0 if tail is None else len(tail)
        for e in ends[ends >= first]:
            w = x[e - window + 1 : e + 1].copy()
            mid = (w[-1, 0] + w[-1, 2 * levels]) / 2
            w[:, 0 : 2 * levels : 2] -= mid
            w[:, 2 * levels :: 2] -= mid
            xs.append(w.astype(np.float32))
            ys.append(y[e])
            if len(xs) == batch_size:
                yield np.stack(xs), np.asarray(ys, dtype=np.float32)
                xs, ys = [], []
        tail = rows.tail(window - 1) if window > 1 else None
    if xs:
        yield np.stack(xs), np.asarray(ys, dtype=np.float32)
