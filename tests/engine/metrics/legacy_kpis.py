#!/usr/bin/python3
"""The legacy dashboard's KPI definitions, computed with pandas over a runs folder, as a reference for
tst_kpi_legacy_reference. Rows, frame and KPIs come from bench/legacy_loader.py (the legacy flattening
and the KPIs the way the legacy Streamlit code computed them on its DataFrame), so the test also
proves that the loader `djp bench` compares against computes the same KPIs as we do.

    /usr/bin/python3 legacy_kpis.py BENCH_DIR RUNS_DIR    -> one JSON object on stdout
"""
import glob
import json
import os
import sys


def main():
    bench_dir, runs_dir = sys.argv[1], sys.argv[2]
    sys.path.insert(0, bench_dir)
    from legacy_loader import build_frame, compute_kpis, filter_mask, load_row

    paths = sorted(glob.glob(os.path.join(runs_dir, "**", "*.json"), recursive=True))
    df = build_frame([load_row(p) for p in paths])
    df = df[filter_mask(df)]
    out = compute_kpis(df)
    if len(df):
        failing = df[df["status"].isin(["advisory_only", "none"])]
        # Every reason's count: the caller checks that ours is a valid top 5 of these (ties may order freely).
        out["failure_reason_counts"] = {k: int(v) for k, v in failing["advisory_reason"].value_counts().items()}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
