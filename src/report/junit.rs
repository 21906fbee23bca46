//! `--format junit`: JUnit XML for CI test reports. One `<testsuite name="scslint">` holds one
//! test case per profile checked, named `PROFILE (path)`, with a `<failure>` per finding at or
//! above the fail level (`--fail-level`, error by default); a file that could not be read or
//! parsed is a test case of its own with an `<error>` per problem, and findings that belong to no
//! profile (observed networks, host reports) make one test case per file. Findings below the fail
//! level are listed in the test case's `<system-out>`. The `tests`, `failures` and `errors`
//! counts are test cases, as JUnit counts them.

use super::json::path_text;
use crate::diagnostic::{Finding, Severity};
use crate::outcome::Outcome;
use quick_xml::Writer;
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

struct Case<'a> {
    name: String,
    findings: Vec<&'a Finding>,
}

impl Case<'_> {
    fn failures(&self, fail_level: Severity) -> impl Iterator<Item = &&Finding> {
        self.findings
            .iter()
            .filter(move |f| !f.code.is_input_problem() && f.severity >= fail_level)
    }
    fn errors(&self) -> impl Iterator<Item = &&Finding> {
        self.findings.iter().filter(|f| f.code.is_input_problem())
    }
    fn others(&self, fail_level: Severity) -> impl Iterator<Item = &&Finding> {
        self.findings
            .iter()
            .filter(move |f| !f.code.is_input_problem() && f.severity < fail_level)
    }
}

/// Profiles in reading order, then the other files with findings in path order.
fn cases(outcome: &Outcome) -> Vec<Case<'_>> {
    let mut seen = HashSet::new();
    let mut cases: Vec<(Option<(&str, &PathBuf)>, Case)> = Vec::new();
    for (name, path) in &outcome.checked {
        if seen.insert((name, path)) {
            cases.push((
                Some((name.as_str(), path)),
                Case {
                    name: format!("{name} ({})", path_text(path)),
                    findings: Vec::new(),
                },
            ));
        }
    }
    let mut by_file: BTreeMap<String, Vec<&Finding>> = BTreeMap::new();
    for f in &outcome.findings {
        let path = f.path();
        let owner = f
            .profile
            .as_deref()
            .and_then(|p| cases.iter().position(|(key, _)| *key == Some((p, &path))));
        match owner {
            Some(i) => cases[i].1.findings.push(f),
            None => by_file.entry(path_text(&path)).or_default().push(f),
        }
    }
    let mut out: Vec<Case> = cases.into_iter().map(|(_, c)| c).collect();
    out.extend(by_file.into_iter().map(|(path, findings)| Case {
        name: if path.is_empty() {
            "(no file)".to_owned()
        } else {
            path
        },
        findings,
    }));
    out
}

/// Text XML 1.0 can carry: other characters become visible `\u{…}` escapes.
fn xml_safe(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let allowed =
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'));
        if allowed {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    out
}

/// One attribute line: no line breaks (parsers would fold them into spaces anyway).
fn attribute(s: &str) -> String {
    xml_safe(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Everything a finding says, for the body of its failure.
fn details(f: &Finding) -> String {
    let (line, column) = f.line_col();
    let mut text = format!(
        "{}:{line}:{column}: {} {} ({})\n{}\n",
        path_text(&f.path()),
        f.code.as_str(),
        f.code.name(),
        f.severity.as_str(),
        f.message
    );
    let fields = [
        ("label", &f.label),
        ("help", &f.help),
        ("profile", &f.profile),
        ("network", &f.network),
        ("home domain", &f.home_domain),
        ("host", &f.host),
    ];
    for (name, value) in fields {
        if let Some(v) = value {
            text.push_str(&format!("{name}: {v}\n"));
        }
    }
    // A grouped finding names all its members (`network` and `host` are set for one only).
    for (name, values) in [("networks", &f.networks), ("hosts", &f.hosts)] {
        if values.len() > 1 {
            text.push_str(&format!("{name}: {}\n", values.join(", ")));
        }
    }
    for r in &f.related {
        let (line, column) = r.location.line_col();
        text.push_str(&format!(
            "related: {}:{line}:{column}: {}\n",
            path_text(&r.location.path()),
            r.label
        ));
    }
    xml_safe(&text)
}

/// Element text with only `<`, `>` and `&` escaped, so that quotes stay readable.
fn text(s: &str) -> BytesText<'_> {
    BytesText::from_escaped(partial_escape(s))
}

fn write(outcome: &Outcome, fail_level: Severity) -> std::io::Result<Vec<u8>> {
    let cases = cases(outcome);
    let tests = cases.len().to_string();
    let failures = cases
        .iter()
        .filter(|c| c.failures(fail_level).next().is_some())
        .count()
        .to_string();
    let errors = cases
        .iter()
        .filter(|c| c.errors().next().is_some())
        .count()
        .to_string();
    let counts = [
        ("tests", tests.as_str()),
        ("failures", failures.as_str()),
        ("errors", errors.as_str()),
    ];

    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let suites = BytesStart::new("testsuites")
        .with_attributes([("name", "scslint")])
        .with_attributes(counts);
    w.write_event(Event::Start(suites))?;
    let suite = BytesStart::new("testsuite")
        .with_attributes([("name", "scslint")])
        .with_attributes(counts)
        .with_attributes([("skipped", "0")]);
    w.write_event(Event::Start(suite))?;
    for case in &cases {
        let name = attribute(&case.name);
        let start = BytesStart::new("testcase")
            .with_attributes([("classname", "scslint"), ("name", name.as_str())]);
        if case.findings.is_empty() {
            w.write_event(Event::Empty(start))?;
            continue;
        }
        w.write_event(Event::Start(start))?;
        let problems = case
            .errors()
            .map(|f| ("error", f))
            .chain(case.failures(fail_level).map(|f| ("failure", f)));
        for (tag, f) in problems {
            let message = attribute(&f.message);
            let start = BytesStart::new(tag)
                .with_attributes([("type", f.code.as_str()), ("message", message.as_str())]);
            w.write_event(Event::Start(start))?;
            w.write_event(Event::Text(text(&details(f))))?;
            w.write_event(Event::End(BytesEnd::new(tag)))?;
        }
        let others: String = case.others(fail_level).map(|f| details(f)).collect();
        if !others.is_empty() {
            w.write_event(Event::Start(BytesStart::new("system-out")))?;
            w.write_event(Event::Text(text(&others)))?;
            w.write_event(Event::End(BytesEnd::new("system-out")))?;
        }
        w.write_event(Event::End(BytesEnd::new("testcase")))?;
    }
    w.write_event(Event::End(BytesEnd::new("testsuite")))?;
    w.write_event(Event::End(BytesEnd::new("testsuites")))?;
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    Ok(bytes)
}

pub fn render(outcome: &Outcome, fail_level: Severity) -> String {
    // Writing into a Vec cannot fail, and every piece written is a Rust string.
    write(outcome, fail_level)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::level::Levels;
    use crate::outcome::{Summary, finish};

    fn outcome() -> Outcome {
        let findings = vec![
            Finding::at_file(
                Code::SL100,
                "a.xml".into(),
                3,
                5,
                "outside <here> & \"there\"",
            )
            .profile("hq")
            .help("add it"),
            Finding::at_file(Code::SL102, "a.xml".into(), 4, 5, "unmatched").profile("hq"),
            Finding::at_file(Code::SL051, "bad.xml".into(), 2, 1, "malformed\u{1}"),
        ];
        let mut o = finish(findings, Summary::default(), &Levels::default());
        o.checked = vec![
            ("hq".into(), "a.xml".into()),
            ("clean".into(), "c.xml".into()),
        ];
        o
    }

    #[test]
    fn counts_cases_failures_and_errors() {
        let xml = render(&outcome(), Severity::Error);
        assert!(
            xml.contains(
                r#"<testsuite name="scslint" tests="3" failures="1" errors="1" skipped="0">"#
            ),
            "{xml}"
        );
        assert!(xml.contains(r#"<testcase classname="scslint" name="clean (c.xml)"/>"#));
        assert!(
            xml.contains(
                r#"<failure type="SL100" message="outside &lt;here&gt; &amp; &quot;there&quot;">"#
            ),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<error type="SL051" message="malformed\u{1}">"#),
            "{xml}"
        );
        assert!(xml.contains("<system-out>a.xml:4:5: SL102"), "{xml}");
        let strict = render(&outcome(), Severity::Warning);
        assert!(strict.contains(r#"<failure type="SL102""#));
        assert!(!strict.contains("<system-out>"));
    }

    #[test]
    fn grouped_findings_list_their_members() {
        let f = Finding::at_file(Code::SL100, "a.xml".into(), 3, 5, "3 outside")
            .networks(["hq", "wifi", "vpn"]);
        assert!(
            details(&f).contains("\nnetworks: hq, wifi, vpn\n"),
            "{}",
            details(&f)
        );
        let one = Finding::at_file(Code::SL100, "a.xml".into(), 3, 5, "1 outside").networks(["hq"]);
        assert!(details(&one).contains("\nnetwork: hq\n"));
        assert!(!details(&one).contains("networks:"));
    }

    #[test]
    fn xml_safe_keeps_text_and_escapes_the_rest() {
        assert_eq!(
            xml_safe("a\tb\nc\u{0}d\u{FFFF}é"),
            "a\tb\nc\\u{0}d\\u{ffff}é"
        );
    }
}
