"""Compare the frames of a run with a baseline's (see dump.py): same schema, same rows once sorted.

usage: compare.py BASEDIR NEWDIR [CORPUS...]    exit status 1 when a frame differs
"""
import sys
from pathlib import Path
import polars as pl
from polars.testing import assert_frame_equal

base = Path(sys.argv[1])
new = Path(sys.argv[2])
names = sys.argv[3:] or sorted(p.name for p in new.iterdir() if p.is_dir())
bad = 0
for name in names:
    for f in sorted((new / name).glob("*.parquet")):
        b = base / name / f.name
        if not b.exists():
            continue
        x, y = pl.read_parquet(b), pl.read_parquet(f)
        try:
            assert x.columns == y.columns and x.schema == y.schema, (x.schema, y.schema)
            assert_frame_equal(x.sort(x.columns, nulls_last=True), y.sort(y.columns, nulls_last=True))
            print(f"OK   {name}/{f.name}: {x.height} rows")
        except AssertionError as e:
            bad += 1
            print(f"DIFF {name}/{f.name}: base {x.height} rows, new {y.height} rows\n{str(e)[:500]}")
            only_b = x.join(y, on=x.columns, how="anti", nulls_equal=True) if x.schema == y.schema else None
            only_n = y.join(x, on=x.columns, how="anti", nulls_equal=True) if x.schema == y.schema else None
            if only_b is not None:
                print("  only in baseline:", only_b.height, "only in new:", only_n.height)
                with pl.Config(fmt_str_lengths=120, tbl_cols=20):
                    print(only_b.head(5)); print(only_n.head(5))
print("ALL IDENTICAL" if not bad else f"{bad} FRAMES DIFFER")
sys.exit(1 if bad else 0)
