//! Integration tests: one binary, one module per area. Sites are fixtures under `tests/fixtures/`
//! or written into temporary folders by each test.

mod architecture;
mod cli;
mod content;
mod downloads;
mod editions;
mod email;
mod email_batch;
mod exports;
mod figures;
mod hostile_content;
mod hostile_data;
mod hostile_files;
mod hostile_output;
mod hostile_serve;
mod kpi;
mod kpi_contracts;
mod kpi_inputs;
mod kpi_props;
mod linkcheck;
mod markdown;
mod output;
mod pdf;
mod presets;
mod props;
mod readable_reports;
mod rebuilds;
mod reports;
mod safety;
mod search;
mod serve;
mod shortcodes;
mod support;
mod trees;
mod versions;
mod wording;
