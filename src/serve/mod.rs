//! `opsite serve`'s machinery: the site built in memory and kept between rebuilds (`session`),
//! the HTTP side (`server`, `paths`), live reload over Server-Sent Events (`live`) and the
//! folder watch (`watch`), and the search index made after each reload (`indexer`). The preview
//! never writes `output/`. Requests reach the server through `door`, which bounds and checks
//! them first.

pub mod door;
pub mod indexer;
pub mod live;
pub mod paths;
pub mod server;
pub mod session;
pub mod watch;
