//! The loader against fuzzed exports: CSV and Parquet bytes mutated at random (fixed seed), and
//! Parquet written with extreme typed values (days and instants anywhere in their types, NaN,
//! infinities, u64 above i64). Issue 23.6: 5 of 400 fuzzed Parquet files used to panic.

use super::*;

/// xorshift64: a fixed seed gives the same files on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.below(from.len())]
    }
}

/// One to four byte-level changes: bit flips, special bytes, 32-bit extremes written over
/// whatever was there (lengths, offsets, day numbers), cuts, repeats and holes.
fn mutate(rng: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut b = base.to_vec();
    for _ in 0..1 + rng.below(4) {
        if b.is_empty() {
            break;
        }
        let at = rng.below(b.len());
        let end = (at + 1 + rng.below(64)).min(b.len());
        match rng.below(6) {
            0 => b[at] ^= 1 << rng.below(8),
            1 => b[at] = rng.pick(&[0, 0xff, 0x7f, 0x80, b'\r', b'\n', b'"', b',', 0xe3]),
            2 => {
                let v = rng
                    .pick(&[i32::MAX, i32::MIN, -1, 0, 1 << 24])
                    .to_le_bytes();
                let n = v.len().min(b.len() - at);
                b[at..at + n].copy_from_slice(&v[..n]);
            }
            3 => b.truncate(at),
            4 => {
                let piece = b[at..end].to_vec();
                b.splice(at..at, piece);
            }
            _ => {
                b.drain(at..end);
            }
        }
    }
    b
}

/// API usage and tickets as typed Parquet with values from anywhere in their types' ranges.
fn typed_parquet(rng: &mut Rng, root: &Path) {
    let n = 1 + rng.below(5);
    let day = |rng: &mut Rng| {
        let r = rng.next();
        rng.pick(&[i32::MAX, i32::MIN, -1, 0, DAY_2026_11_02, 47_848, r as i32])
    };
    let int = |rng: &mut Rng| {
        let r = rng.next();
        rng.pick(&[i64::MAX, i64::MIN, -1, 0, 1 << 53, r as i64])
    };
    let float = |rng: &mut Rng| {
        let r = rng.next();
        rng.pick(&[
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            -0.0,
            1.5,
            f64::from_bits(r),
        ])
    };
    let opened = match rng.below(5) {
        0 => days("opened", &(0..n).map(|_| day(rng)).collect::<Vec<_>>()),
        1 | 2 => {
            let unit = rng.pick(&[
                TimeUnit::Milliseconds,
                TimeUnit::Microseconds,
                TimeUnit::Nanoseconds,
            ]);
            let zone = [None, Some(TimeZone::UTC)][rng.below(2)].clone();
            Column::new(
                "opened".into(),
                (0..n).map(|_| int(rng)).collect::<Vec<_>>(),
            )
            .cast(&DataType::Datetime(unit, zone))
            .unwrap()
        }
        3 => Column::new(
            "opened".into(),
            (0..n).map(|_| float(rng)).collect::<Vec<_>>(),
        ),
        _ => Column::new(
            "opened".into(),
            (0..n).map(|_| rng.next()).collect::<Vec<u64>>(),
        ),
    };
    let ids: Vec<u64> = (0..n)
        .map(|i| {
            let r = rng.next();
            rng.pick(&[u64::MAX, i as u64, r])
        })
        .collect();
    write_parquet(
        root,
        "data/tickets.parquet",
        vec![
            Column::new("id".into(), ids),
            strings("priority", &vec!["critical"; n]),
            opened,
            strings("title", &vec!["t"; n]),
        ],
    );
    let calls = match rng.below(3) {
        0 => Column::new("calls".into(), (0..n).map(|_| int(rng)).collect::<Vec<_>>()),
        1 => Column::new(
            "calls".into(),
            (0..n).map(|_| rng.next()).collect::<Vec<u64>>(),
        ),
        _ => Column::new(
            "calls".into(),
            (0..n).map(|_| float(rng)).collect::<Vec<_>>(),
        ),
    };
    write_parquet(
        root,
        "data/api.parquet",
        vec![
            days("date", &(0..n).map(|_| day(rng)).collect::<Vec<_>>()),
            strings("user", &vec!["u"; n]),
            calls,
            Column::new(
                "cost".into(),
                (0..n).map(|_| float(rng)).collect::<Vec<_>>(),
            ),
        ],
    );
}

const FUZZ_CSV: &str = "id,priority,opened,title\r\nA,high,2026-11-02 10:00,\"a, \"\"quoted\"\"\r\ntitle\"\r\nB,low,2026-11-03T10:00:00Z,障害\r\nC,medium,2026-11-04 10:00,\r\n";

/// What a run must end with: loaded rows, every one used or quarantined, or errors that name
/// a data file, each a readable size.
fn judge(outcome: std::thread::Result<Result<Loaded, Vec<Diagnostic>>>) -> Result<(), String> {
    match outcome {
        Err(panic) => Err(format!(
            "a panic escaped: {}",
            panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or(panic.downcast_ref::<&str>().copied())
                .unwrap_or("?")
        )),
        Ok(Ok(l)) => {
            let api = l.data.api.as_ref().map_or(0, |a| a.date.len());
            for (source, used) in [("tickets", l.data.tickets.len()), ("api_usage", api)] {
                if rows_in(&l, source) != used + quarantined(&l, source) {
                    return Err(format!(
                        "{source}: {} rows in, {used} used, {} quarantined",
                        rows_in(&l, source),
                        quarantined(&l, source)
                    ));
                }
            }
            Ok(())
        }
        Ok(Err(ds)) => {
            let errors: Vec<&Diagnostic> = ds.iter().filter(|d| d.is_error()).collect();
            match errors
                .iter()
                .find(|d| !d.location.file.starts_with("data") || d.to_string().len() > 2_000)
            {
                _ if errors.is_empty() => Err("failed without an error".into()),
                Some(d) => Err(format!(
                    "not located or too long: {}",
                    &d.to_string()[..200.min(d.to_string().len())]
                )),
                None => Ok(()),
            }
        }
    }
}

/// Mutated CSV and Parquet exports, and Parquet with extreme typed values: no panic escapes the
/// loader, and each run ends with rows or located errors. Fixed seed; stops after 15 s.
#[test]
fn fuzzed_exports_end_in_rows_or_located_errors_never_a_panic() {
    let site = TestSite::new(&[]);
    write_parquet(
        site.root(),
        "data/tickets.parquet",
        vec![
            strings("id", &["A", "B", "C"]),
            strings("priority", &["high", "low", "critical"]),
            Column::new(
                "opened".into(),
                &[1_793_600_000_000i64, 1_793_700_000_000, 1_793_800_000_000],
            )
            .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
            .unwrap(),
            strings("title", &["VPN", "", "障害"]),
        ],
    );
    write_parquet(
        site.root(),
        "data/api.parquet",
        vec![
            days("date", &[DAY_2026_11_02, DAY_2026_11_02 + 1]),
            strings("user", &["a", "b"]),
            Column::new("calls".into(), &[3i64, 4]),
            Column::new("cost".into(), &[1.5f64, 2.5]),
        ],
    );
    let read = |p: &str| std::fs::read(site.root().join(p)).unwrap();
    let (tickets_pq, api_pq) = (read("data/tickets.parquet"), read("data/api.parquet"));
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (started, mut runs, mut failures) = (std::time::Instant::now(), 0, Vec::new());
    while runs < 2_000 && started.elapsed().as_secs() < 15 {
        let on_error = ["fail", "quarantine"][runs % 2];
        let case = match rng.below(4) {
            0 => {
                std::fs::write(
                    site.root().join("data/tickets.csv"),
                    mutate(&mut rng, FUZZ_CSV.as_bytes()),
                )
                .unwrap();
                "tickets.csv"
            }
            1 => {
                std::fs::write(
                    site.root().join("data/tickets.parquet"),
                    mutate(&mut rng, &tickets_pq),
                )
                .unwrap();
                std::fs::write(site.root().join("data/api.parquet"), &api_pq).unwrap();
                "tickets.parquet"
            }
            2 => {
                std::fs::write(site.root().join("data/tickets.parquet"), &tickets_pq).unwrap();
                std::fs::write(
                    site.root().join("data/api.parquet"),
                    mutate(&mut rng, &api_pq),
                )
                .unwrap();
                "tickets.parquet"
            }
            _ => {
                typed_parquet(&mut rng, site.root());
                "tickets.parquet"
            }
        };
        let mut yaml = config(case, on_error);
        if case == "tickets.csv" {
            yaml = yaml.replace("data/api.*", "data/none.*");
        }
        site.write("site.yaml", &yaml);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| load(&site)));
        if let Err(e) = judge(outcome) {
            failures.push(format!("run {runs} ({case}, {on_error}): {e}"));
        }
        runs += 1;
    }
    assert!(runs >= 100, "only {runs} runs in 15 s");
    assert!(
        failures.is_empty(),
        "{} of {runs} runs:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
