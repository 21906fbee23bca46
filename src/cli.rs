//! Command-line definitions (clap derive). Nothing else lives here.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "scslint",
    version,
    about = "Policy linter for Intel AMT configuration profiles: predicts environment detection (home domains vs DHCP option 15) on every network",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check profiles (and observed networks) and report every misfire.
    Check(CheckArgs),
    /// Print what a rule catches, why it matters for AMT, how to fix it, and an example.
    Explain {
        /// A code (SL100) or rule name (enterprise-network-outside).
        code: String,
    },
    /// List every rule: code, name, default severity, summary.
    Rules,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Profile files or folders (walked recursively). Default: the working directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// A TOML file of the networks devices attach to (repeatable).
    #[arg(long, value_name = "FILE")]
    pub observed: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Use this config file instead of discovering scslint.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore any scslint.toml.
    #[arg(long)]
    pub no_config: bool,
}
