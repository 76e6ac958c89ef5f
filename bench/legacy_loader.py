#!/usr/bin/python3
"""Legacy-style loader, for comparison with `djp bench` (docs/performance.md).

Does what the legacy Streamlit dashboard did on every refresh: for each *.json under the runs folder,
json.load it and flatten it into the run record row (docs/metrics.md), build one pandas.DataFrame,
parse the timestamps and convert them to local time, apply the sidebar's filter as boolean masks
(the default here is all time, as `djp bench` measures its own KPIs), and compute the dashboard's
KPIs on the filtered frame (docs/metrics.md, "KPIs": counts, rates, means, provider mix and top
failure reasons by value counts, compliance, total cost, cost by model label, p50/p95 duration,
grounded and redacted rates). The timing covers all of it, like `djp bench`'s "cold load + KPIs".
Run it with Debian's interpreter, which has python3-pandas:

    /usr/bin/python3 bench/legacy_loader.py RUNS_DIR [--json] [--since DAYS]
"""
import argparse
import datetime
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
        # Not a CSV column: the per-label costs behind "cost by provider".
        "estimated_costs": costs,
    }


def build_frame(rows):
    """The DataFrame the dashboard worked on: timestamps parsed (pd.to_datetime with utc=True, which
    takes naive legacy times as UTC), a local-time column for display and the time filter, sorted
    by time."""
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    df["timestamp"] = pd.to_datetime(df["timestamp"], errors="coerce", utc=True)
    df["local_time"] = df["timestamp"].dt.tz_convert(datetime.datetime.now().astimezone().tzinfo)
    return df.sort_values("timestamp")


def filter_mask(df, since_days=None, now=None, preset=None, provider=None, status=None,
                grounded_only=False, redacted_only=False, search=""):
    """The sidebar's filters as one boolean mask (all true with the defaults)."""
    mask = pd.Series(True, index=df.index)
    if since_days is not None:
        now = now or pd.Timestamp.now(tz="UTC")
        mask &= df["timestamp"] >= now - pd.Timedelta(days=since_days)
    if preset:
        mask &= df["preset_name"] == preset
    if provider:
        mask &= df["provider"] == provider
    if status:
        mask &= df["status"] == status
    if grounded_only:
        mask &= df["grounded"]
    if redacted_only:
        mask &= df["redacted"]
    if search:
        mask &= (df["task"].str.contains(search, case=False, regex=False)
                 | df["trace_name"].str.contains(search, case=False, regex=False))
    return mask


def compute_kpis(df):
    """The dashboard's KPIs over a (filtered) frame, with the legacy definitions (docs/metrics.md)."""
    total = len(df)
    out = {"total_runs": total}
    if total == 0:
        return out
    status = df["status"]
    published_mask = status == "published"
    failing_mask = status.isin(["advisory_only", "none"])
    out["published_runs"] = int(published_mask.sum())
    out["advisory_runs"] = int((status == "advisory_only").sum())
    out["failed_runs"] = int((status == "none").sum())
    out["publish_rate"] = out["published_runs"] / total
    out["advisory_rate"] = out["advisory_runs"] / total
    out["failure_rate"] = out["failed_runs"] / total
    duration = pd.to_numeric(df["duration"])
    out["avg_cost"] = float(df["est_cost"].mean())
    out["avg_tokens"] = float(df["total_tokens"].mean())
    out["avg_duration"] = float(duration.mean())
    out["provider_mix"] = {k: float(v) for k, v in df.loc[published_mask, "provider"].value_counts(normalize=True).items()}
    reasons = df.loc[failing_mask].groupby("advisory_reason").size().sort_values(ascending=False)
    out["top_failure_reasons"] = {k: int(v) for k, v in reasons.head(5).items()}
    required = df["citations_required"] > 0
    out["citations_compliance_rate"] = float(df.loc[required, "citations_ok"].mean()) if required.any() else 1.0
    out["total_cost"] = float(df["est_cost"].sum())
    by_label = pd.DataFrame.from_records(df["estimated_costs"].tolist()).sum()
    out["cost_by_provider"] = {k: float(v) for k, v in by_label.sort_values(ascending=False).items()}
    out["p50_duration"] = float(duration.quantile(0.5))
    out["p95_duration"] = float(duration.quantile(0.95))
    out["grounded_rate"] = float(df["grounded"].mean())
    out["redacted_rate"] = float(df["redacted"].mean())
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runs_dir")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--since", type=float, default=None, help="time range in days (default: all time)")
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
    df = build_frame(rows)
    kpis = compute_kpis(df[filter_mask(df, since_days=args.since)] if not df.empty else df)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    result = {"files": len(paths), "rows": len(df), "kpi_runs": kpis["total_runs"], "errors": errors, "seconds": round(elapsed, 3), "cpu_seconds": round(cpu, 3),
              "peak_rss_mb": round(rss_mb, 1), "pandas": pd.__version__,
              "python": sys.version.split()[0]}
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k}: {v}")


if __name__ == "__main__":
    main()
