//! Hostile files: symbolic-link races, special files, size caps, script in names and front matter.
