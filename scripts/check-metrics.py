#!/usr/bin/env python3
"""Check `opsite kpi` metric percentiles against an exact computation on a sample.

    scripts/check-metrics.py SITE_DIR KPI_JSON [PERIOD] [HOST]

Reads the hive-partitioned Parquet written by `examples/gen_metrics.rs` with pyarrow, takes the
samples of one month (local time, as written) for one host and for all hosts, and compares
count, p50, p95 and p99 (numpy's linear interpolation, the definition opsite documents) with the
figures in KPI_JSON (`opsite kpi --period all --format json`). Needs `pip install pyarrow numpy`.
"""
import glob
import json
import sys

import numpy as np
import pyarrow.parquet as pq

site, kpi_json = sys.argv[1], sys.argv[2]
period = sys.argv[3] if len(sys.argv) > 3 else "2026-03"
host = sys.argv[4] if len(sys.argv) > 4 else "web042"
year, month = period.split("-")
files = glob.glob(f"{site}/data/metrics/latency/year={year}/month={month}/*.parquet")
table = pq.read_table(files[0])
ts = table.column("ts").to_numpy()
hosts = table.column("host").to_numpy(zero_copy_only=False)
values = table.column("latency_ms").to_numpy()
report = next(r for r in json.load(open(kpi_json)) if r["period"] == period)
bad = 0
for label, mask, suffix in [("all hosts", np.ones(len(values), bool), ""), (host, hosts == host, "." + host)]:
    v = values[mask]
    for stat, q in [("p50", 0.5), ("p95", 0.95), ("p99", 0.99)]:
        want = float(np.percentile(v, q * 100, method="linear"))
        got = report["kpis"][f"metric.latency_ms.{stat}{suffix}"]["value"]
        ok = abs(want - got) < 1e-9
        bad += not ok
        print(f"{period} {label:9} {stat}: exact {want:.6f}, opsite {got}  {'ok' if ok else 'MISMATCH'}")
    got_n = report["kpis"][f"metric.latency_ms.count{suffix}"]["value"]
    print(f"{period} {label:9} count: exact {len(v)}, opsite {got_n}  {'ok' if got_n == len(v) else 'MISMATCH'}")
    bad += got_n != len(v)
sys.exit(1 if bad else 0)
