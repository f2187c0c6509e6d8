"""Rebuild ``epoch_ml_hardware_slice.csv`` from a full export of Epoch AI's hardware data.

Usage: ``python tests/data/make_epoch_slice.py PATH/TO/epoch_ml_hardware.csv``. Keeps the rows of
the catalog's vendors released since 2019 (or with no release date) and the columns the catalog's
cross-checks read, in the export's order. Update ``README.md`` (export date) when you re-pin.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

VENDORS = (
    "NVIDIA",
    "AMD",
    "Intel",
    "Google",
    "Huawei",
    "Cambricon",
    "Biren",
    "Hygon",
    "Amazon",
)
COLUMNS = (
    "Hardware name",
    "Manufacturer",
    "Release date",
    "FP32 (single precision) performance (FLOP/s)",
    "FP16 (half precision) performance (FLOP/s)",
    "TF32 (TensorFloat-32) performance (FLOP/s)",
    "Tensor-FP16/BF16 performance (FLOP/s)",
    "FP8 performance (FLOP/s)",
    "FP4 performance (FLOP/s)",
    "INT8 performance (OP/s)",
    "Memory size per board (Byte)",
    "Memory bandwidth (byte/s)",
    "Intranode bandwidth (byte/s)",
    "Die Size (mm^2)",
    "TDP (W)",
    "Process size (nm)",
    "Foundry",
    "Total processing performance (bit-OP/s)",
    "Link to datasheet",
    "Last modified",
)
SINCE = "2019"
OUT = Path(__file__).with_name("epoch_ml_hardware_slice.csv")


def main(source: str) -> None:
    with Path(source).open(newline="", encoding="utf-8") as f:
        rows = [
            {c: row[c].strip() for c in COLUMNS}
            for row in csv.DictReader(f)
            if row["Manufacturer"].startswith(VENDORS)
            and (row["Release date"] >= SINCE or not row["Release date"])
        ]
    with OUT.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{OUT.name}: {len(rows)} rows, {len(COLUMNS)} columns")


if __name__ == "__main__":
    main(sys.argv[1])
