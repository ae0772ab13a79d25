"""python -m synthetic_returns --seed 2025 --scale 1 --out DIR"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .generate import generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m synthetic_returns", description=__doc__)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--scale", type=int, default=1, help="multiplies the record-level rows")
    parser.add_argument("--out", type=Path, required=True, help="writes OUT/landing/<force>/..., OUT/truth.json, OUT/README.md")
    args = parser.parse_args(argv)
    started = time.monotonic()
    m = generate(args.seed, args.scale, args.out)
    rows = sum(f["rows"] for f in m["files"].values())
    print(f"{len(m['files'])} files, {rows:,} rows, in {time.monotonic() - started:.1f}s -> {args.out}")
    for fid, f in m["figures"].items():
        value = f"{f['low']:,}" if f["low"] == f["high"] else f"{f['low']:,} to {f['high']:,}"
        print(f"  {fid:<32} {value:>20}   (truth {f['truth']:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
