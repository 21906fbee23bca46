//! scslint: a policy linter for Intel AMT configuration profiles. It reads profiles and the
//! networks devices attach to, predicts AMT's environment-detection verdict, and reports misfires.

// No panicking shortcuts in the product (tests may: clippy.toml), and nothing prints below the
// commands: readers, rules and renderers return what they found.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

pub mod atomic;
pub mod baseline;
pub mod cli;
pub mod command;
pub mod config;
pub mod coverage;
pub mod diagnostic;
pub mod diff;
pub mod dns_name;
pub mod envdetect;
pub mod exit_status;
pub mod external;
pub mod fix;
#[doc(hidden)]
pub mod fuzzing;
pub mod hook;
pub mod level;
pub mod load;
pub mod observe;
pub mod outcome;
pub mod probe;
pub mod profile;
pub mod report;
pub mod rules;
pub mod shell;
pub mod source;
pub mod suppress;
pub mod walk;
pub mod wording;
pub mod xml;
