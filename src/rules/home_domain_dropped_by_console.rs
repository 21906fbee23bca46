//! SL011: entries the console applying the profile never writes to the firmware.

use super::Context;
use crate::diagnostic::{Code, Finding};
use crate::envdetect::{InsideBy, Verdict, classify};
use crate::profile::DropReason;

declare_rule! {
    code: SL011,
    name: "home-domain-dropped-by-console",
    level: Warning,
    scope: Profile,
    needs: [],
    check: Profile(check),
    summary: "A home domain the console drops before it reaches the firmware (MeshCentral: a 5th entry, 64+ characters, a list that is not an array).",
    what: "Consoles transform the list before they write it. MeshCentral, when it loads a domain, \
lower-cases each `environmentDetection` entry and drops empty entries, entries of 64 characters or \
more and repeats, keeps at most the first 4, and ignores the setting altogether unless it is an \
array. scslint predicts from the list that really reaches the firmware, and reports each entry \
left out here, naming the networks it would have matched. Repeats are left to SL004.",
    why: "A dropped entry is a network where AMT believes it is outside although the file lists it: \
its local ports close and only CIRA reaches the devices there (SL100 names those networks too). \
When every entry is dropped, MeshCentral writes no list at all: devices keep whatever list they \
have, or get a random 12-hex placeholder under a CIRA \"setup\" policy.\n\
Source: MeshCentral amtmanager.js (domain setup of amtmanager.environmentdetection).",
    fix: "Keep MeshCentral lists to at most 4 entries under 64 characters each, written as a JSON \
array: replace site entries by their common parent suffix (`corp.example.com` covers \
`site7.corp.example.com`).",
    example: r#"  "environmentDetection": ["a.corp.com", "b.corp.com", "c.corp.com", "d.corp.com", "e.corp.com"]
  → SL011: MeshCentral drops home domain `e.corp.com`: only the first 4 entries are kept"#,
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(d) = ctx.detection() else { return };
    let Some(w) = &d.written else { return };
    let nothing = d.writes_nothing();
    for &(index, reason) in &w.dropped {
        if reason == DropReason::Duplicate {
            continue;
        }
        let entry = &d.strings[index];
        let lost = would_have_matched(ctx, index);
        let mut message = match reason {
            DropReason::NotAList => format!(
                "{} ignores `environmentDetection` unless it is an array: `{}` never reaches the firmware",
                w.console,
                entry.trim()
            ),
            _ => format!(
                "{} drops home domain `{}`: {}",
                w.console,
                entry.trim(),
                reason.describe()
            ),
        };
        if !lost.is_empty() {
            message.push_str(&format!(
                "; it would have matched {}, where AMT will believe it is outside",
                super::name_list(&lost, super::MAX_NAMED)
            ));
        }
        if nothing {
            message.push_str(&format!(
                "; {} writes no list, so devices keep the one they have (or get a random placeholder under a CIRA \"setup\" policy)",
                w.console
            ));
        }
        let help = match reason {
            DropReason::NotAList => format!("write a JSON array: [\"{}\"]", entry.trim()),
            DropReason::Empty => "delete the empty entry".to_owned(),
            DropReason::TooLong(n) => format!(
                "use a parent suffix under {n} characters: entries match whole labels from the right"
            ),
            DropReason::BeyondLimit(n) => format!(
                "{} keeps {n} entries: replace site entries by their common parent suffix",
                w.console
            ),
            DropReason::Duplicate => unreachable!("repeats are skipped above"),
        };
        out.push(
            ctx.finding(Code::SL011, d.string_spans[index].clone(), message)
                .label(format!("dropped by {}", w.console))
                .help(help)
                .home_domain(entry)
                .networks(&lost),
        );
    }
}

/// Networks the file's entry `index` would make inside that come out otherwise once dropped.
fn would_have_matched(ctx: &Context, index: usize) -> Vec<String> {
    let Some(d) = ctx.detection() else {
        return Vec::new();
    };
    let as_written_in_file = crate::envdetect::DetectionSettings {
        algorithm: d.algorithm,
        strings: &d.strings,
        ipv6_prefixes: &d.ipv6_prefixes,
    };
    let mode = ctx.profile.effective_ip_mode();
    ctx.verdicts()
        .iter()
        .filter(|(_, v)| !v.is_inside())
        .filter(|(n, _)| {
            let attach = n.attachment();
            matches!(
                classify(&as_written_in_file, mode, &attach),
                Verdict::Inside(InsideBy::Domain { index: i, .. }) if i == index
            )
        })
        .map(|(n, _)| n.name.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::observe::Trust::*;

    #[test]
    fn fires_on_a_fifth_entry_and_names_the_network_it_loses() {
        let p = meshcentral(&[
            "a.corp.com",
            "b.corp.com",
            "c.corp.com",
            "d.corp.com",
            "E.corp.com",
        ]);
        let nets = [
            net("site-e", Some("e.corp.com"), Enterprise),
            net("site-a", Some("a.corp.com"), Enterprise),
        ];
        let f = run_rule(Code::SL011, &p, Some(&nets));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].home_domain.as_deref(), Some("E.corp.com"));
        assert_eq!(f[0].networks, ["site-e"]);
        assert!(
            f[0].message.contains("only the first 4"),
            "{}",
            f[0].message
        );
        // The network is outside as MeshCentral writes the list: SL100 sees it.
        assert!(!run_rule(Code::SL100, &p, Some(&nets)).is_empty());
    }

    #[test]
    fn fires_on_long_entries_and_on_a_list_that_is_not_an_array() {
        let long = format!("{}.corp.com", "x".repeat(60));
        let p = meshcentral(&["corp.com", &long]);
        let f = run_rule(Code::SL011, &p, None);
        assert!(
            f[0].message.contains("64 characters or more"),
            "{}",
            f[0].message
        );
        let mut p = meshcentral(&["corp.com"]);
        let d = p.detection.as_mut().unwrap();
        d.written.as_mut().unwrap().strings.clear();
        d.written.as_mut().unwrap().from.clear();
        d.written.as_mut().unwrap().dropped = vec![(0, DropReason::NotAList)];
        let f = run_rule(Code::SL011, &p, None);
        assert!(
            f[0].message.contains("unless it is an array"),
            "{}",
            f[0].message
        );
        assert!(f[0].message.contains("writes no list"), "{}", f[0].message);
        assert!(
            p.verdict(&crate::envdetect::Attachment::suffix(Some("corp.com")))
                .is_none()
        );
    }

    #[test]
    fn quiet_on_lists_the_console_writes_whole_and_on_other_consoles() {
        let p = meshcentral(&["Corp.com", "vpn.corp.com", "b.corp.net", "c.corp.net"]);
        assert!(run_rule(Code::SL011, &p, None).is_empty());
        // Repeats are SL004's.
        assert!(run_rule(Code::SL011, &meshcentral(&["corp.com", "CORP.com"]), None).is_empty());
        let p = profile(&["a.com", "b.com", "c.com", "d.com", "e.com"]);
        assert!(run_rule(Code::SL011, &p, None).is_empty());
    }
}
