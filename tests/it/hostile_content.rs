//! Hostile templates and content: nesting, cycles, runaway loops, odd line ends and YAML.
