"""Example: fixed-length windows of book states for a sequence model, as numpy batches.

    python windows.py <dataset> [split] [window] [target]

Prints a JSON summary of what a training loop would get: batches, windows, shapes, the sum of the
targets and the first window's last row (relative prices and sizes of the best bid and ask).
"""

import json
import sys

import numpy as np

from lakebook_data import book_windows

dataset = sys.argv[1]
split = sys.argv[2] if len(sys.argv) > 2 else "train"
window = int(sys.argv[3]) if len(sys.argv) > 3 else 50
target = sys.argv[4] if len(sys.argv) > 4 else "ret_1s"
batches = windows = 0
y_sum = 0.0
shape = None
first = None
for x, y in book_windows(dataset, split=split, window=window, batch_size=256, target=target):
    batches += 1
    windows += len(y)
    y_sum += float(np.sum(y, dtype=np.float64))
    shape = [list(x.shape[1:]), list(y.shape[1:])]
    if first is None:
        first = [float(v) for v in x[0, -1, [0, 1, 10, 11]]]
print(json.dumps({"batches": batches, "windows": windows, "shape": shape, "y_sum": y_sum, "first": first}))
