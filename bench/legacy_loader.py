#!/usr/bin/python3
"""Legacy-style loader, for comparison with `djp bench` (docs/performance.md).

Does what the legacy Streamlit dashboard did on every refresh: for each *.json under the runs folder,
json.load it, flatten it into the SPEC §7.1 row dict, then build one pandas.DataFrame (and parse the
timestamp column). Run it with Debian's interpreter, which has python3-pandas:

    /usr/bin/python3 bench/legacy_loader.py RUNS_DIR [--json]
"""
import argparse
import glob
import json
import os
import resource
import sys
import time

import pandas as pd


def load_row(path):
    with open(path, "r", encoding="utf-8") as f:
        data = json.load(f)
    md = data.get("run_metadata", {}) or {}
    params = md.get("parameters", {}) or {}
    debate = data.get("debate", {}) or {}
    judge = data.get("judge", {}) or {}
    publish = data.get("publish", {}) or {}
    grounding = data.get("grounding", {}) or {}
    prov = data.get("provenance", {}) or {}
    usage = prov.get("model_usage", {}) or {}
    costs = prov.get("estimated_costs", {}) or {}

    tokens_in = sum(int(u.get("tokens_in", 0) or 0) for u in usage.values())
    tokens_out = sum(int(u.get("tokens_out", 0) or 0) for u in usage.values())
    required = int(params.get("require_citations", 0) or 0)
    ranked = judge.get("ranked_drafts", []) or []
    citations_ok = all(len(d.get("evidence", []) or []) >= required for d in ranked) if required else True
    events = publish.get("redaction_events", []) or []
    status = publish.get("status", "none")
    reason = publish.get("reason", "")
    if status == "advisory_only":
        advisory = reason or "not_from_allowed_provider"
    elif status == "none":
        advisory = reason or "no_valid_content"
    else:
        advisory = ""
    return {
        "artifact_file": os.path.basename(path),
        "timestamp": md.get("timestamp"),
        "task": md.get("task", ""),
        "trace_name": md.get("trace_name", ""),
        "preset_name": params.get("preset_name", "manual"),
        "status": status,
        "provider": publish.get("provider", ""),
        "winner_provider": judge.get("winner_provider", ""),
        "tokens_in": tokens_in,
        "tokens_out": tokens_out,
        "total_tokens": tokens_in + tokens_out,
        "est_cost": float(sum(costs.values())) if costs else 0.0,
        "duration": prov.get("duration_seconds", 0.0) or 0.0,
        "num_drafts": len(debate.get("drafts", []) or []),
        "num_ranked": len(ranked),
        "citations_required": required,
        "citations_ok": citations_ok,
        "grounded": bool(grounding.get("enabled", False)),
        "grounded_required": int(params.get("grounded_required", 0) or 0),
        "citations_count": len(grounding.get("citations", []) or []),
        "redacted": bool(publish.get("redacted", False)),
        "redaction_count": sum(int(e.get("count", 0) or 0) for e in events),
        "redaction_types": ",".join(sorted({e.get("type", "") for e in events})),
        "advisory_reason": advisory,
        "max_tokens": params.get("max_tokens", 0),
        "temperature": params.get("temperature", 0.0),
        "fastpath": bool(params.get("fastpath", False)),
        "text_length": publish.get("text_length", 0),
        "schema_version": data.get("schema_version", ""),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runs_dir")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()

    start = time.perf_counter()
    cpu_start = time.process_time()
    paths = sorted(glob.glob(os.path.join(args.runs_dir, "**", "*.json"), recursive=True))
    rows, errors = [], 0
    for p in paths:
        try:
            rows.append(load_row(p))
        except Exception:  # the dashboard skipped unreadable files
            errors += 1
    df = pd.DataFrame(rows)
    if not df.empty:
        df["timestamp"] = pd.to_datetime(df["timestamp"], errors="coerce", utc=True)
        df = df.sort_values("timestamp")
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    result = {"files": len(paths), "rows": len(df), "errors": errors, "seconds": round(elapsed, 3), "cpu_seconds": round(cpu, 3),
              "peak_rss_mb": round(rss_mb, 1), "pandas": pd.__version__,
              "python": sys.version.split()[0]}
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k}: {v}")


if __name__ == "__main__":
    main()
