//! `scslint report`: read profiles and observed networks as `check` does, draw the coverage
//! matrix from the verdict engine, and write it as HTML, Markdown, CSV or JSON.

use super::{Ended, Failure, config_failure, print};
use crate::cli::{CoverageArgs, CoverageFormat};
use crate::config::Selection;
use crate::coverage::{Coverage, Row};
use crate::exit_status::Exit;
use crate::report::coverage::{render_csv, render_json, render_markdown};
use crate::report::coverage_html;
use crate::report::terminal::ColorWhen;

/// The title when `--title` gives none.
const TITLE: &str = "AMT environment-detection coverage";

/// `scslint report`.
pub fn command(args: CoverageArgs, color: ColorWhen) -> Ended {
    let fail = |message: &str| Failure::new("scslint report", message);
    let selection = Selection::parse(&[], &[]).map_err(|e| fail(&e))?;
    let configs = super::check::configs(&args.config, &selection)
        .map_err(|errors| config_failure(&errors, color))?;
    let options = super::check::CheckOptions {
        paths: args.paths,
        observed: args.observed,
        ..Default::default()
    };
    let (outcome, read) = super::check::run_read(&options, &configs, None)
        .map_err(|errors| config_failure(&errors, color))?;
    if read.networks.iter().all(Vec::is_empty) {
        return Err(fail(
            "no observed networks to report on: give --observed PATH (an observed.toml or DHCP configurations), or `observed` in scslint.toml",
        ));
    }
    let rows: Vec<Row> = read
        .profiles
        .iter()
        .map(|(profile, collection)| Row {
            profile,
            networks: collection.map_or(&[][..], |i| &read.networks[i][..]),
        })
        .collect();
    let coverage = Coverage::build(&rows);
    let title = args.title.as_deref().unwrap_or(TITLE);
    let text = match args.format {
        CoverageFormat::Html => coverage_html::render(&coverage, &outcome.findings, title),
        CoverageFormat::Markdown => render_markdown(&coverage, &outcome.findings, title),
        CoverageFormat::Csv => render_csv(&coverage).map_err(|e| fail(&format!("CSV: {e}")))?,
        CoverageFormat::Json => {
            render_json(&coverage, &outcome.findings).map_err(|e| fail(&format!("JSON: {e}")))?
        }
    };
    match &args.output {
        Some(path) => crate::atomic::write(path, text.as_bytes(), 0o644, true).map_err(|e| {
            fail(&format!(
                "-o {}: cannot write the report: {e}",
                path.display()
            ))
        })?,
        None => {
            print(&text)?;
        }
    }
    // The report is written either way; an input it could not read makes the run end in 2.
    if outcome.had_input_problems() {
        let n = outcome.summary.unreadable;
        eprintln!(
            "scslint report: {n} input{} could not be read or parsed; the report lists {}",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        );
        return Ok(Exit::Trouble);
    }
    Ok(Exit::Clean)
}
