#!/usr/bin/python3
"""The legacy dashboard's KPI definitions, computed with pandas over a runs folder, as a reference for
tst_kpi_legacy_reference. Rows come from bench/legacy_loader.py's load_row (the legacy flattening);
the KPIs below are written the way the legacy Streamlit code computed them on its DataFrame.

    /usr/bin/python3 legacy_kpis.py BENCH_DIR RUNS_DIR    -> one JSON object on stdout
"""
import glob
import json
import os
import sys

import pandas as pd


def main():
    bench_dir, runs_dir = sys.argv[1], sys.argv[2]
    sys.path.insert(0, bench_dir)
    from legacy_loader import load_row

    paths = sorted(glob.glob(os.path.join(runs_dir, "**", "*.json"), recursive=True))
    df = pd.DataFrame([load_row(p) for p in paths])
    total = len(df)
    out = {"total_runs": total}
    if total == 0:
        print(json.dumps(out))
        return
    status = df["status"]
    out["published_runs"] = int((status == "published").sum())
    out["advisory_runs"] = int((status == "advisory_only").sum())
    out["failed_runs"] = int((status == "none").sum())
    out["publish_rate"] = out["published_runs"] / total
    out["advisory_rate"] = out["advisory_runs"] / total
    out["failure_rate"] = out["failed_runs"] / total
    out["avg_cost"] = float(df["est_cost"].mean())
    out["avg_tokens"] = float(df["total_tokens"].mean())
    out["avg_duration"] = float(pd.to_numeric(df["duration"]).mean())
    published = df[status == "published"]
    out["provider_mix"] = {k: float(v) for k, v in published["provider"].value_counts(normalize=True).items()}
    failing = df[status.isin(["advisory_only", "none"])]
    # Every reason's count: the caller checks that ours is a valid top 5 of these (ties may order freely).
    out["failure_reason_counts"] = {k: int(v) for k, v in failing["advisory_reason"].value_counts().items()}
    required = df[df["citations_required"] > 0]
    out["citations_compliance_rate"] = float(required["citations_ok"].mean()) if len(required) else 1.0
    print(json.dumps(out))


if __name__ == "__main__":
    main()
