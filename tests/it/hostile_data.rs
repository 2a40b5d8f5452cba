//! Hostile data exports: Parquet and CSV cells out of range, fuzzed files, rows accounted for.
