//! `opsite serve`'s machinery: the site built in memory and kept between rebuilds (`session`),
//! the HTTP side (`server`, `paths`), live reload over Server-Sent Events (`live`) and the
//! folder watch (`watch`), and the search index made after each reload (`indexer`). The preview
//! never writes `output/`.

pub mod indexer;
pub mod live;
pub mod paths;
pub mod server;
pub mod session;
pub mod watch;
