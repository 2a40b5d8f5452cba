//! opsite: a static site generator for IT operations teams. Procedures, runbooks, help-center
//! articles and reports in Markdown become a versioned static site.
//!
//! Stages (see `site`): sources → content → markdown → render → output.

pub mod charts;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod csv_text;
pub mod data;
pub mod digest;
pub mod display_text;
pub mod email;
pub mod env_knob;
pub mod error;
pub mod escalation;
pub mod few_at_a_time;
pub mod figures;
pub mod fonts;
pub mod html;
pub mod i18n;
pub mod internal_address;
pub mod kept_file;
pub mod kpi;
pub mod languages;
pub mod layout;
pub mod linkcheck;
pub mod markdown;
pub mod output_file;
pub mod pdf;
pub mod private_outputs;
pub mod publications;
pub mod render;
pub mod reports;
pub mod search;
pub mod serve;
pub mod sheets;
pub mod site;
pub mod timezone;
pub mod versions;
pub mod walk;
pub mod weekdays;
pub mod word_files;
pub mod write_whole;
pub mod yaml;
