//! `scslint report --format html`: one self-contained file (no script, no external asset, no
//! address of any kind) with a table of contents, semantic tables, inline SVG charts drawn here,
//! a print stylesheet, and the findings with their snippets grouped by profile. Every string
//! that comes from an input is escaped by [`esc`].

use super::coverage::{group_findings, place, snippet};
use crate::coverage::{ByState, Coverage, State};
use crate::diagnostic::Finding;
use std::fmt::Write as _;

/// Text and attribute values: `&`, `<`, `>`, both quotes, and characters a browser would not
/// show (controls, bidirectional overrides) as character references or visible escapes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in super::escape_text(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Snippet text: escaped like [`esc`], line feeds kept.
fn esc_block(s: &str) -> String {
    s.split('\n').map(esc).collect::<Vec<_>>().join("\n")
}

/// Fill colour of each state in the charts and the matrix (colour-blind safe: Okabe–Ito).
fn colour(state: State) -> &'static str {
    match state {
        State::Inside => "#009e73",
        State::Uncertain => "#e69f00",
        State::Outside => "#d55e00",
        State::NotEvaluated => "#999999",
        State::Disabled => "#56b4e9",
    }
}

const STYLE: &str = r#"
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1200px; padding: 1.5rem 2rem 3rem; }
h1 { font-size: 1.7rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid var(--line); padding-bottom: .2rem; margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
p.lede { color: var(--muted); margin-top: 0; }
nav ol { columns: 2; }
.kpis { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0; padding: 0; list-style: none; }
.kpis li { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .9rem; min-width: 10rem; }
.kpis strong { display: block; font-size: 1.5rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #f3f5f7; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.state { white-space: nowrap; }
td.state small { display: block; color: var(--muted); white-space: normal; }
td.inside { background: #e3f4ec; } td.uncertain { background: #fcf0d4; } td.outside { background: #fbe3d6; }
td.not-evaluated { background: #f1f1f1; } td.disabled { background: #e2f1fb; }
.legend { display: flex; flex-wrap: wrap; gap: 1rem; padding: 0; list-style: none; }
.swatch { display: inline-block; width: .9em; height: .9em; margin-right: .3em; vertical-align: -.1em; border: 1px solid #0003; }
figure { margin: 1rem 0; }
figcaption { color: var(--muted); font-size: .9rem; }
svg text { font: 12px system-ui, sans-serif; fill: #1b1f24; }
pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 4px; padding: .5rem; overflow-x: auto; font-size: .82rem; }
.sev-error { color: #b42318; font-weight: 600; } .sev-warning { color: #9a6700; font-weight: 600; } .sev-info { color: #0969da; font-weight: 600; }
ul.findings { padding-left: 1.2rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { break-after: page; }
  h2 { break-after: avoid; }
  table, figure, pre, li { break-inside: avoid; }
  .scroll { overflow: visible; }
  td.inside, td.uncertain, td.outside, td.not-evaluated, td.disabled, .swatch, svg { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"#;

/// The report as one HTML document.
pub fn render(cov: &Coverage, findings: &[Finding], title: &str) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"scslint {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        esc(title)
    );
    let _ = writeln!(
        h,
        "<header><h1>{}</h1><p class=\"lede\">What AMT's environment detection would decide for every profile on every observed network: inside (at home, management open on the network), outside (only Fast Call for Help / CIRA), or neither.</p></header>",
        esc(title)
    );
    let groups = group_findings(cov, findings);
    let mut toc = vec![
        ("summary", "Summary"),
        ("charts", "Charts"),
        ("per-profile", "Totals per profile"),
        ("networks", "Networks"),
        ("matrix", "Coverage matrix"),
    ];
    if !cov.sites.is_empty() {
        toc.push(("sites", "Sites"));
    }
    toc.push(("findings", "Findings"));
    h.push_str("<nav aria-labelledby=\"toc-title\"><h2 id=\"toc-title\">Contents</h2><ol>");
    for (id, label) in &toc {
        let _ = write!(h, "<li><a href=\"#{id}\">{label}</a></li>");
    }
    h.push_str("</ol></nav>\n<main>\n");

    summary(&mut h, cov, findings);
    charts(&mut h, cov);
    per_profile(&mut h, cov);
    networks(&mut h, cov);
    matrix(&mut h, cov);
    if !cov.sites.is_empty() {
        sites(&mut h, cov);
    }
    findings_section(&mut h, &groups);
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

fn summary(h: &mut String, cov: &Coverage, findings: &[Finding]) {
    // Profiles with at least one such cell: a network without a host count still counts.
    let profiles_with = |trust: &str, states: &[State]| {
        (0..cov.profiles.len())
            .filter(|p| {
                (0..cov.networks.len()).any(|n| {
                    cov.cell(*p, n).is_some_and(|c| {
                        states.contains(&c.state)
                            && (trust.is_empty() || cov.networks[n].trust == trust)
                    })
                })
            })
            .count() as u64
    };
    let enterprise_outside = profiles_with("enterprise", &[State::Outside]);
    let external_inside = profiles_with("external", &[State::Inside]);
    let uncertain = profiles_with("", &[State::Uncertain]);
    h.push_str("<section id=\"summary\" aria-labelledby=\"summary-h\"><h2 id=\"summary-h\">Summary</h2><ul class=\"kpis\">");
    for (n, what) in [
        (cov.profiles.len() as u64, "profiles"),
        (cov.networks.len() as u64, "observed networks"),
        (cov.hosts(), "hosts counted on them"),
        (
            enterprise_outside,
            "profiles leave enterprise hosts outside",
        ),
        (
            external_inside,
            "profiles feel at home on an external network",
        ),
        (uncertain, "profiles depend on case or a trailing dot"),
        (findings.len() as u64, "findings"),
    ] {
        let _ = write!(h, "<li><strong>{n}</strong>{what}</li>");
    }
    h.push_str("</ul>");
    legend(h);
    h.push_str("</section>\n");
}

fn legend(h: &mut String) {
    h.push_str("<ul class=\"legend\" aria-label=\"Predicted states\">");
    for s in State::ALL {
        let _ = write!(
            h,
            "<li><span class=\"swatch\" style=\"background:{}\"></span>{}</li>",
            colour(s),
            s.label()
        );
    }
    h.push_str("</ul>");
}

/// One bar of a stacked bar chart: its label and the value of each state.
struct Bar<'a> {
    label: &'a str,
    values: ByState,
}

/// A horizontal stacked bar chart as SVG: `role="img"`, a `<title>` and `<desc>`, each segment
/// with its own `<title>`; the same numbers are in a table next to it for screen readers.
fn stacked_bars(id: &str, title: &str, desc: &str, bars: &[Bar]) -> String {
    const LABEL_W: f64 = 230.0;
    const BAR_W: f64 = 620.0;
    const ROW_H: f64 = 24.0;
    const TOP: f64 = 8.0;
    let max = bars
        .iter()
        .map(|b| b.values.total())
        .max()
        .unwrap_or(0)
        .max(1);
    let height = TOP + ROW_H * bars.len() as f64 + 28.0;
    let width = LABEL_W + BAR_W + 70.0;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg role=\"img\" aria-labelledby=\"{id}-t {id}-d\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(title),
        esc(desc)
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = TOP + ROW_H * i as f64;
        let mut label: String = bar.label.chars().take(34).collect();
        if label.len() < bar.label.len() {
            label.push('…');
        }
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            LABEL_W - 8.0,
            y + 16.0,
            esc(&label)
        );
        let mut x = LABEL_W;
        for state in State::ALL {
            let v = bar.values.get(state);
            if v == 0 {
                continue;
            }
            let w = BAR_W * v as f64 / max as f64;
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{}: {v} hosts {}</title></rect>",
                y + 3.0,
                ROW_H - 6.0,
                colour(state),
                esc(bar.label),
                state.label()
            );
            x += w;
        }
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{}\">{}</text>",
            x + 6.0,
            y + 16.0,
            bar.values.total()
        );
    }
    let axis_y = TOP + ROW_H * bars.len() as f64 + 4.0;
    let _ = write!(
        s,
        "<line x1=\"{LABEL_W}\" y1=\"{axis_y}\" x2=\"{}\" y2=\"{axis_y}\" stroke=\"#57606a\"/><text x=\"{LABEL_W}\" y=\"{}\">0</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{max} hosts</text></svg>",
        LABEL_W + BAR_W,
        axis_y + 16.0,
        LABEL_W + BAR_W,
        axis_y + 16.0
    );
    s
}

/// The numbers of a chart as a table (for screen readers and for print).
fn chart_table(h: &mut String, caption: &str, first: &str, bars: &[Bar]) {
    let _ = write!(
        h,
        "<div class=\"scroll\"><table class=\"chart-data\"><caption>The numbers of the chart: {}</caption><thead><tr><th scope=\"col\">{first}</th>",
        esc(caption)
    );
    for s in State::ALL {
        let _ = write!(h, "<th scope=\"col\" class=\"num\">{}</th>", s.label());
    }
    h.push_str("</tr></thead><tbody>");
    for bar in bars {
        let _ = write!(h, "<tr><th scope=\"row\">{}</th>", esc(bar.label));
        for v in bar.values.values() {
            let _ = write!(h, "<td class=\"num\">{v}</td>");
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></div>");
}

fn charts(h: &mut String, cov: &Coverage) {
    h.push_str(
        "<section id=\"charts\" aria-labelledby=\"charts-h\"><h2 id=\"charts-h\">Charts</h2>",
    );
    let bars: Vec<Bar> = cov
        .profiles
        .iter()
        .zip(&cov.profile_totals)
        .map(|(p, t)| Bar {
            label: &p.name,
            values: t.hosts,
        })
        .collect();
    let title = "Hosts per predicted state, per profile";
    let _ = write!(h, "<h3>{title}</h3>");
    let _ = write!(
        h,
        "<figure class=\"chart\" id=\"chart-profiles\">{}<figcaption>{title}: each bar adds up the hosts of every observed network, coloured by the state the profile would leave AMT in there.</figcaption></figure>",
        stacked_bars(
            "chart-profiles-svg",
            title,
            "Stacked horizontal bars, one per profile; segments: inside, uncertain, outside, not evaluated, disabled. The table below gives the same numbers.",
            &bars
        )
    );
    chart_table(h, title, "Profile", &bars);
    for (i, site) in cov.sites.iter().enumerate() {
        let bars: Vec<Bar> = site
            .profiles
            .iter()
            .map(|row| Bar {
                label: &cov.profiles[row.profile].name,
                values: row.enterprise,
            })
            .collect();
        let title = format!(
            "Enterprise coverage at site {}: {} hosts on its enterprise networks",
            site.name, site.enterprise_hosts
        );
        let _ = write!(h, "<h3>{}</h3>", esc(&title));
        let _ = write!(
            h,
            "<figure class=\"chart site-chart\" id=\"chart-site-{i}\">{}<figcaption>{}</figcaption></figure>",
            stacked_bars(
                &format!("chart-site-{i}-svg"),
                &title,
                "Stacked horizontal bars, one per profile: the site's enterprise hosts by the state each profile predicts. The table below gives the same numbers.",
                &bars
            ),
            esc(&title)
        );
        chart_table(h, &title, "Profile", &bars);
    }
    h.push_str("</section>\n");
}

fn per_profile(h: &mut String, cov: &Coverage) {
    h.push_str("<section id=\"per-profile\" aria-labelledby=\"per-profile-h\"><h2 id=\"per-profile-h\">Totals per profile</h2><div class=\"scroll\"><table id=\"profile-totals\"><caption>Hosts per profile: how many would be outside on enterprise networks, or believe they are home on external ones</caption><thead><tr><th scope=\"col\">Profile</th><th scope=\"col\">File</th><th scope=\"col\">Home domains</th><th scope=\"col\" class=\"num\">Enterprise hosts outside</th><th scope=\"col\" class=\"num\">Enterprise hosts uncertain</th><th scope=\"col\" class=\"num\">External hosts inside</th><th scope=\"col\" class=\"num\">External hosts uncertain</th></tr></thead><tbody>");
    for (p, t) in cov.profiles.iter().zip(&cov.profile_totals) {
        let domains = if p.home_domains.is_empty() {
            "<em>none</em>".to_owned()
        } else {
            p.home_domains
                .iter()
                .map(|d| format!("<code>{}</code>", esc(d)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = write!(
            h,
            "<tr><th scope=\"row\">{}</th><td><code>{}</code><br><small>{}</small></td><td>{domains}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&p.name),
            esc(&p.path),
            esc(p.kind),
            t.enterprise_outside,
            t.enterprise_uncertain,
            t.external_inside,
            t.external_uncertain
        );
    }
    h.push_str("</tbody></table></div></section>\n");
}

fn hosts_text(n: Option<u64>) -> String {
    n.map_or_else(|| "unknown".to_owned(), |n| n.to_string())
}

fn networks(h: &mut String, cov: &Coverage) {
    h.push_str("<section id=\"networks\" aria-labelledby=\"networks-h\"><h2 id=\"networks-h\">Networks</h2><div class=\"scroll\"><table id=\"network-totals\"><caption>Observed networks, and how many profiles get each state there</caption><thead><tr><th scope=\"col\">Network</th><th scope=\"col\">Site</th><th scope=\"col\">Trust</th><th scope=\"col\">Option 15</th><th scope=\"col\" class=\"num\">Hosts</th>");
    for s in State::ALL {
        let _ = write!(h, "<th scope=\"col\" class=\"num\">{}</th>", s.label());
    }
    h.push_str("</tr></thead><tbody>");
    for (n, t) in cov.networks.iter().zip(&cov.network_totals) {
        let option15 = match &n.option15 {
            Some(s) => format!("<code>{}</code>", esc(s)),
            None => "<em>none</em>".to_owned(),
        };
        let _ = write!(
            h,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}{}</td><td>{option15}</td><td class=\"num\">{}</td>",
            esc(&n.name),
            esc(n.site.as_deref().unwrap_or("")),
            n.trust,
            if n.kind == "vpn" { " (VPN)" } else { "" },
            hosts_text(n.hosts)
        );
        for v in t.profiles.values() {
            let _ = write!(h, "<td class=\"num\">{v}</td>");
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></div></section>\n");
}

fn matrix(h: &mut String, cov: &Coverage) {
    h.push_str("<section id=\"matrix\" aria-labelledby=\"matrix-h\"><h2 id=\"matrix-h\">Coverage matrix</h2>");
    legend(h);
    h.push_str("<div class=\"scroll\"><table id=\"coverage-matrix\"><caption>Each profile (rows) on each observed network (columns): the predicted state and the home-domain entry that matched</caption><thead><tr><th scope=\"col\">Profile</th>");
    for n in &cov.networks {
        let _ = write!(
            h,
            "<th scope=\"col\">{}<br><small>{} · <code>{}</code> · {} hosts</small></th>",
            esc(&n.name),
            n.trust,
            esc(n.option15.as_deref().unwrap_or("no option 15")),
            hosts_text(n.hosts)
        );
    }
    h.push_str("</tr></thead><tbody>");
    for (p, profile) in cov.profiles.iter().enumerate() {
        let _ = write!(h, "<tr><th scope=\"row\">{}</th>", esc(&profile.name));
        for n in 0..cov.networks.len() {
            let Some(cell) = cov.cell(p, n) else { continue };
            let mut detail = String::new();
            if let Some(entry) = &cell.entry {
                let by = match cell.matched {
                    Some("ipv6-prefix") => "prefix",
                    Some("option24") => "by option 24",
                    _ => "by",
                };
                let _ = write!(detail, "<small>{by} <code>{}</code></small>", esc(entry));
            }
            if let Some(reason) = &cell.reason {
                let _ = write!(detail, "<small>{}</small>", esc(reason));
            }
            let _ = write!(
                h,
                "<td class=\"state {}\" data-state=\"{}\">{}</td>",
                cell.state.as_str(),
                cell.state.as_str(),
                format_args!("{}{detail}", cell.state.label())
            );
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></div></section>\n");
}

fn sites(h: &mut String, cov: &Coverage) {
    h.push_str("<section id=\"sites\" aria-labelledby=\"sites-h\"><h2 id=\"sites-h\">Sites</h2><p>Hosts on each site's networks by the state each profile predicts.</p>");
    for site in &cov.sites {
        let names: Vec<String> = site
            .networks
            .iter()
            .map(|i| esc(&cov.networks[*i].name))
            .collect();
        let _ = write!(
            h,
            "<div class=\"scroll\"><table class=\"site\"><caption>Site {}: {} hosts on {} ({} on enterprise networks)</caption><thead><tr><th scope=\"col\">Profile</th>",
            esc(&site.name),
            site.hosts,
            names.join(", "),
            site.enterprise_hosts
        );
        for s in State::ALL {
            let _ = write!(h, "<th scope=\"col\" class=\"num\">{}</th>", s.label());
        }
        h.push_str(
            "<th scope=\"col\" class=\"num\">Enterprise hosts inside</th></tr></thead><tbody>",
        );
        for row in &site.profiles {
            let _ = write!(
                h,
                "<tr><th scope=\"row\">{}</th>",
                esc(&cov.profiles[row.profile].name)
            );
            for v in row.hosts.values() {
                let _ = write!(h, "<td class=\"num\">{v}</td>");
            }
            let _ = write!(
                h,
                "<td class=\"num\">{} of {}</td></tr>",
                row.enterprise.inside, site.enterprise_hosts
            );
        }
        h.push_str("</tbody></table></div>");
    }
    h.push_str("</section>\n");
}

fn findings_section(h: &mut String, groups: &[super::coverage::FindingGroup]) {
    h.push_str("<section id=\"findings\" aria-labelledby=\"findings-h\"><h2 id=\"findings-h\">Findings</h2>");
    if groups.is_empty() {
        h.push_str("<p>No findings.</p>");
    }
    for group in groups {
        let heading = match group.profile {
            Some(p) => format!("Profile {}", esc(p)),
            None => "Not about one profile".to_owned(),
        };
        let _ = write!(h, "<h3>{heading}</h3><ul class=\"findings\">");
        for f in &group.findings {
            let sev = f.severity.as_str();
            let _ = write!(
                h,
                "<li class=\"finding\"><span class=\"sev-{sev}\">{sev}</span> <strong>{}</strong> <code>{}</code><br>{}",
                f.code.as_str(),
                esc(&place(f)),
                esc(&f.message)
            );
            if let Some(help) = &f.help {
                let _ = write!(h, "<br><em>help:</em> {}", esc(help));
            }
            if let Some((line, text)) = snippet(f) {
                let _ = write!(
                    h,
                    "<pre aria-label=\"lines from {line}\"><code>{}</code></pre>",
                    esc_block(text.trim_end_matches('\n'))
                );
            }
            h.push_str("</li>");
        }
        h.push_str("</ul>");
    }
    h.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
        assert_eq!(esc("a\u{202e}b"), "a\\u{202e}b");
    }
}
