//! Sizes the tests and benchmarks set through the environment (`OPSITE_…`) to make a build cut
//! its work finer than a real site needs. Read one way everywhere: a value that is not a positive
//! number leaves the default.

/// The positive number in environment variable `name`, else `default`.
pub fn positive<T: std::str::FromStr + PartialOrd + Default>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > T::default())
        .unwrap_or(default)
}
