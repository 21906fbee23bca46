//! `scslint report` output: the coverage matrix as JSON (schemas/coverage.schema.json), CSV (one
//! row per profile × network cell), Markdown (for `$GITHUB_STEP_SUMMARY`) and, in
//! [`super::coverage_html`], one self-contained HTML file.

use super::mask_text;
use crate::coverage::{ByState, Coverage, State};
use crate::diagnostic::{Finding, Location};
use serde::Serialize;
use std::fmt::Write as _;

/// GitHub refuses a step summary over 1 MiB; the Markdown stays below it.
pub const STEP_SUMMARY_LIMIT: usize = 1024 * 1024;

/// The findings of one profile (or, with `profile` `None`, those about no single profile).
pub struct FindingGroup<'a> {
    pub profile: Option<&'a str>,
    pub findings: Vec<&'a Finding>,
}

/// The findings grouped by profile, in the matrix's profile order; findings about no profile
/// (observed networks, unreadable files) last.
pub fn group_findings<'a>(cov: &'a Coverage, findings: &'a [Finding]) -> Vec<FindingGroup<'a>> {
    let mut groups: Vec<FindingGroup> = cov
        .profiles
        .iter()
        .map(|p| FindingGroup {
            profile: Some(p.name.as_str()),
            findings: Vec::new(),
        })
        .collect();
    let mut other = FindingGroup {
        profile: None,
        findings: Vec::new(),
    };
    for f in findings {
        let group = f
            .profile
            .as_deref()
            .and_then(|name| groups.iter().position(|g| g.profile == Some(name)));
        match group {
            Some(i) => groups[i].findings.push(f),
            None => other.findings.push(f),
        }
    }
    groups.retain(|g| !g.findings.is_empty());
    if !other.findings.is_empty() {
        groups.push(other);
    }
    groups
}

/// Lines shown at most in a finding's snippet.
const SNIPPET_LINES: usize = 6;
/// Characters kept of each snippet line.
const SNIPPET_WIDTH: usize = 160;

/// The lines of the file a finding points at: the first line's number and the text (unsafe
/// characters masked, long lines cut). `None` for a finding without file text.
pub fn snippet(f: &Finding) -> Option<(usize, String)> {
    let Location::Span { source, span } = &f.location else {
        return None;
    };
    let span = source.clamp(span);
    let first = source.line_index(span.start);
    let last_byte = if span.end > span.start {
        span.end - 1
    } else {
        span.start
    };
    let last = source.line_index(last_byte).min(first + SNIPPET_LINES - 1);
    let mut text = String::new();
    for line in first..=last {
        let raw = source.slice(&source.line_range(line));
        let raw = raw.trim_end_matches(['\n', '\r']);
        let mut kept: String = raw.chars().take(SNIPPET_WIDTH).collect();
        if kept.len() < raw.len() {
            kept.push('…');
        }
        text.push_str(&mask_text(&kept).replace('\t', "    "));
        text.push('\n');
    }
    Some((first + 1, text))
}

/// Where a finding points, `path:line:column`.
pub fn place(f: &Finding) -> String {
    let (line, column) = f.line_col();
    format!(
        "{}:{line}:{column}",
        f.path().to_string_lossy().replace('\\', "/")
    )
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'static str,
    severity: &'static str,
    message: &'a str,
    profile: Option<&'a str>,
    network: Option<&'a str>,
    path: String,
    line: usize,
    column: usize,
    fingerprint: String,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    #[serde(flatten)]
    coverage: &'a Coverage,
    findings: Vec<JsonFinding<'a>>,
}

/// The report as JSON (schemas/coverage.schema.json).
pub fn render_json(cov: &Coverage, findings: &[Finding]) -> Result<String, String> {
    let report = JsonReport {
        version: 1,
        coverage: cov,
        findings: findings
            .iter()
            .map(|f| {
                let (line, column) = f.line_col();
                JsonFinding {
                    code: f.code.as_str(),
                    severity: f.severity.as_str(),
                    message: &f.message,
                    profile: f.profile.as_deref(),
                    network: f.network.as_deref(),
                    path: f.path().to_string_lossy().replace('\\', "/"),
                    line,
                    column,
                    fingerprint: f.fingerprint(),
                }
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text)
}

/// The columns of the CSV, in order.
pub const CSV_COLUMNS: [&str; 13] = [
    "profile",
    "profile_path",
    "network",
    "site",
    "trust",
    "kind",
    "option15",
    "option24",
    "hosts",
    "state",
    "entry",
    "matched",
    "reason",
];

/// One row per profile × network cell. Fields that start like a spreadsheet formula (`=`, `+`,
/// `-`, `@`) get a leading `'` so a spreadsheet shows them as text.
pub fn render_csv(cov: &Coverage) -> Result<String, String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(CSV_COLUMNS).map_err(|e| e.to_string())?;
    for cell in &cov.cells {
        let p = &cov.profiles[cell.profile];
        let n = &cov.networks[cell.network];
        let record = [
            p.name.clone(),
            p.path.clone(),
            n.name.clone(),
            n.site.clone().unwrap_or_default(),
            n.trust.to_owned(),
            n.kind.to_owned(),
            n.option15.clone().unwrap_or_default(),
            n.option24.join(" "),
            n.hosts.map(|h| h.to_string()).unwrap_or_default(),
            cell.state.as_str().to_owned(),
            cell.entry.clone().unwrap_or_default(),
            cell.matched.unwrap_or_default().to_owned(),
            cell.reason.clone().unwrap_or_default(),
        ];
        out.write_record(record.iter().map(|f| spreadsheet_safe(f)))
            .map_err(|e| e.to_string())?;
    }
    let bytes = out.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

fn spreadsheet_safe(field: &str) -> String {
    if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{field}")
    } else {
        field.to_owned()
    }
}

/// Text for a Markdown table cell or line: every character Markdown or HTML would read as
/// markup escaped, line breaks and unsafe characters made visible.
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in super::escape_text(s).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '|' => out.push_str("\\|"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// The mark a state gets in Markdown and in the HTML matrix (with its text beside it).
pub fn symbol(state: State) -> &'static str {
    match state {
        State::Inside => "✅",
        State::Uncertain => "⚠️",
        State::Outside => "❌",
        State::NotEvaluated => "➖",
        State::Disabled => "⛔",
    }
}

fn hosts_text(h: Option<u64>) -> String {
    h.map_or_else(|| "?".to_owned(), |h| h.to_string())
}

/// The report as GitHub-flavoured Markdown, at most [`STEP_SUMMARY_LIMIT`] bytes.
pub fn render_markdown(cov: &Coverage, findings: &[Finding], title: &str) -> String {
    render_markdown_within(cov, findings, title, STEP_SUMMARY_LIMIT)
}

/// The report as Markdown in at most `limit` bytes: sections are added whole while they fit;
/// what does not fit is cut at a line and the cut is said.
pub fn render_markdown_within(
    cov: &Coverage,
    findings: &[Finding],
    title: &str,
    limit: usize,
) -> String {
    let sections = markdown_sections(cov, findings, title);
    let notice = |left: usize| {
        format!(
            "\n> **Truncated:** this summary stops here to stay within GitHub's {} KiB step-summary limit; {left} more section{} were left out. Use `scslint report --format html` or `--format csv` for the whole report.\n",
            limit / 1024,
            if left == 1 { "" } else { "s" },
        )
    };
    let mut out = String::new();
    for (i, section) in sections.iter().enumerate() {
        let left = sections.len() - i;
        let reserve = notice(left).len();
        if out.len() + section.len() <= limit.saturating_sub(reserve)
            || (i + 1 == sections.len() && out.len() + section.len() <= limit)
        {
            out.push_str(section);
            continue;
        }
        // Keep the lines of this section that fit, then say where it stopped.
        let room = limit.saturating_sub(reserve + out.len());
        let mut kept = 0;
        for line in section.split_inclusive('\n') {
            if kept + line.len() > room {
                break;
            }
            kept += line.len();
        }
        out.push_str(&section[..kept]);
        out.push_str(&notice(left));
        return out;
    }
    out
}

fn markdown_sections(cov: &Coverage, findings: &[Finding], title: &str) -> Vec<String> {
    let mut sections = Vec::new();
    let mut s = format!("# {}\n\n", md(title));
    let _ = writeln!(
        s,
        "{} profile{} on {} observed network{} ({} hosts counted); {} finding{}.\n",
        cov.profiles.len(),
        plural(cov.profiles.len()),
        cov.networks.len(),
        plural(cov.networks.len()),
        cov.hosts(),
        findings.len(),
        plural(findings.len()),
    );
    let legend: Vec<String> = State::ALL
        .iter()
        .map(|s| format!("{} {}", symbol(*s), s.label()))
        .collect();
    let _ = writeln!(s, "Legend: {}\n", legend.join(" · "));
    sections.push(s);

    let mut s = String::from("## Totals per profile\n\n");
    s.push_str("| Profile | Enterprise hosts outside | External hosts inside | Uncertain hosts | Inside | Outside | Not evaluated | Disabled |\n");
    s.push_str("|---|--:|--:|--:|--:|--:|--:|--:|\n");
    for (p, t) in cov.profiles.iter().zip(&cov.profile_totals) {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            md(&p.name),
            t.enterprise_outside,
            t.external_inside,
            t.hosts.uncertain,
            t.hosts.inside,
            t.hosts.outside,
            t.hosts.not_evaluated,
            t.hosts.disabled,
        );
    }
    s.push('\n');
    sections.push(s);

    let mut s = String::from(
        "## Networks\n\n| Network | Site | Trust | Option 15 | Hosts | Inside | Uncertain | Outside | Not evaluated | Disabled |\n|---|---|---|---|--:|--:|--:|--:|--:|--:|\n",
    );
    for (n, t) in cov.networks.iter().zip(&cov.network_totals) {
        let v = t.profiles;
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            md(&n.name),
            n.site.as_deref().map(md).unwrap_or_default(),
            n.trust,
            n.option15
                .as_deref()
                .map(md)
                .unwrap_or_else(|| "(none)".into()),
            hosts_text(n.hosts),
            v.inside,
            v.uncertain,
            v.outside,
            v.not_evaluated,
            v.disabled,
        );
    }
    s.push('\n');
    sections.push(s);

    // The matrix: one row per profile (a row each keeps every section cut at a line).
    let mut s = String::from("## Coverage matrix\n\n| Profile |");
    for n in &cov.networks {
        let _ = write!(s, " {} ({}) |", md(&n.name), n.trust);
    }
    s.push_str("\n|---|");
    s.push_str(&"---|".repeat(cov.networks.len()));
    s.push('\n');
    for (p, profile) in cov.profiles.iter().enumerate() {
        let _ = write!(s, "| {} |", md(&profile.name));
        for n in 0..cov.networks.len() {
            let Some(cell) = cov.cell(p, n) else { continue };
            let entry = cell
                .entry
                .as_deref()
                .map(|e| format!(" {}", md(e)))
                .unwrap_or_default();
            let _ = write!(s, " {} {}{entry} |", symbol(cell.state), cell.state.label());
        }
        s.push('\n');
    }
    s.push('\n');
    sections.push(s);

    if !cov.sites.is_empty() {
        let mut s = String::from(
            "## Sites\n\nHosts on each site's networks by predicted state, per profile.\n\n| Site | Profile | Inside | Uncertain | Outside | Not evaluated | Disabled | Enterprise hosts inside |\n|---|---|--:|--:|--:|--:|--:|--:|\n",
        );
        for site in &cov.sites {
            for row in &site.profiles {
                let h: ByState = row.hosts;
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} | {} | {} | {} | {} of {} |",
                    md(&site.name),
                    md(&cov.profiles[row.profile].name),
                    h.inside,
                    h.uncertain,
                    h.outside,
                    h.not_evaluated,
                    h.disabled,
                    row.enterprise.inside,
                    site.enterprise_hosts,
                );
            }
        }
        s.push('\n');
        sections.push(s);
    }

    let groups = group_findings(cov, findings);
    if !groups.is_empty() {
        sections.push("## Findings\n\n".to_owned());
    }
    for group in groups {
        let mut s = format!(
            "### {}\n\n",
            group
                .profile
                .map_or_else(|| "Not about one profile".to_owned(), md)
        );
        for f in group.findings {
            let _ = writeln!(
                s,
                "- **{}** {} `{}`: {}",
                f.severity.as_str(),
                f.code.as_str(),
                place(f).replace('`', "'"),
                md(&f.message)
            );
        }
        s.push('\n');
        sections.push(s);
    }
    sections
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::Row;
    use crate::observe::{Network, Trust};
    use crate::rules::test_support::{net, profile};

    fn coverage(networks: usize) -> Coverage {
        let nets: Vec<Network> = (0..networks)
            .map(|i| {
                let mut n = net(
                    &format!("net-{i}"),
                    Some(&format!("n{i}.company.com")),
                    Trust::Enterprise,
                );
                n.hosts = Some(10);
                n
            })
            .collect();
        let p = profile(&["company.com"]);
        Coverage::build(&[Row {
            profile: &p,
            networks: &nets,
        }])
    }

    #[test]
    fn markdown_stays_within_the_limit_and_says_it_was_cut() {
        let cov = coverage(400);
        let whole =
            render_markdown_within(&cov, &[], "AMT environment-detection coverage", usize::MAX);
        assert!(!whole.contains("Truncated"));
        let limit = 4096;
        assert!(
            whole.len() > limit,
            "the test needs a report over the limit"
        );
        let cut = render_markdown_within(&cov, &[], "AMT environment-detection coverage", limit);
        assert!(cut.len() <= limit, "{} bytes", cut.len());
        assert!(cut.contains("**Truncated:**"), "{cut}");
        assert!(cut.starts_with("# AMT environment-detection coverage"));
    }

    #[test]
    fn markdown_escapes_markup_in_names() {
        assert_eq!(md("<b>|x"), "&lt;b&gt;\\|x");
        assert_eq!(md("[a](x) *b*"), "\\[a\\](x) \\*b\\*");
        assert_eq!(md("a\nb"), "a\\\\nb");
    }

    #[test]
    fn csv_has_a_row_per_cell_and_defuses_formulas() {
        let mut cov = coverage(3);
        cov.networks[0].name = "=HYPERLINK(\"x\")".into();
        let text = render_csv(&cov).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(reader.headers().unwrap(), CSV_COLUMNS.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(&rows[0][2], "'=HYPERLINK(\"x\")");
        assert_eq!(&rows[1][9], "inside");
    }
}
