//! `--statistics`: how many findings each code has, instead of the findings, most frequent first
//! (then by code): `  12  SL100  enterprise-network-outside`, then the summary line. With
//! `--format json`: `{"version": 1, "statistics": [{"code", "name", "count"}], "summary": {...}}`
//! (schemas/statistics.schema.json).

use super::human::summary_line;
use crate::diagnostic::Code;
use crate::outcome::{Outcome, Summary};
use serde::Serialize;
use std::collections::BTreeMap;

/// Codes with their counts, most frequent first, then by code.
fn counts(outcome: &Outcome) -> Vec<(Code, usize)> {
    let mut by_code: BTreeMap<Code, usize> = BTreeMap::new();
    for f in &outcome.findings {
        *by_code.entry(f.code).or_default() += 1;
    }
    let mut rows: Vec<(Code, usize)> = by_code.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    rows
}

/// One line per code, then (unless `quiet`) the summary line.
pub fn render_text(outcome: &Outcome, quiet: bool) -> String {
    let rows = counts(outcome);
    let width = rows.first().map_or(0, |(_, n)| n.to_string().len()).max(4);
    let mut out: String = rows
        .iter()
        .map(|(code, n)| format!("{n:>width$}  {code}  {}\n", code.name()))
        .collect();
    if !quiet {
        out.push_str(&summary_line(&outcome.summary));
        out.push('\n');
    }
    out
}

#[derive(Serialize)]
struct Statistics<'a> {
    version: u32,
    statistics: Vec<Row>,
    summary: &'a Summary,
}

#[derive(Serialize)]
struct Row {
    code: &'static str,
    name: &'static str,
    count: usize,
}

pub fn render_json(outcome: &Outcome) -> String {
    let doc = Statistics {
        version: 1,
        statistics: counts(outcome)
            .into_iter()
            .map(|(code, count)| Row {
                code: code.as_str(),
                name: code.name(),
                count,
            })
            .collect(),
        summary: &outcome.summary,
    };
    // Serialising owned strings and integers cannot fail.
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Finding;
    use crate::level::Levels;
    use crate::outcome::finish;

    #[test]
    fn most_frequent_first_then_by_code() {
        let findings = [
            Code::SL102,
            Code::SL100,
            Code::SL102,
            Code::SL009,
            Code::SL003,
        ]
        .into_iter()
        .map(|c| Finding::at_file(c, "p.xml".into(), 1, 1, "m"))
        .collect();
        let outcome = finish(findings, Summary::default(), &Levels::default());
        let text = render_text(&outcome, true);
        assert_eq!(
            text,
            "   2  SL102  unmatched-home-domain\n   1  SL003  home-domain-not-canonical\n   1  SL009  placeholder-home-domain\n   1  SL100  enterprise-network-outside\n"
        );
        assert!(
            render_text(&outcome, false)
                .ends_with("scslint: 1 error, 3 warnings, 1 info in 0 profiles (0 files)\n")
        );
    }
}
