//! SL304: TLS on 16993 is incompatible, or its certificate does not fit the device.

use super::ProbeContext;
use crate::diagnostic::{Code, Finding};
use crate::probe::tls::{self, TlsOutcome};

declare_rule! {
    code: SL304,
    name: "tls-problem",
    level: Warning,
    scope: Probe,
    needs: [Probe],
    check: Probe(check),
    summary: "probe: TLS on 16993 is incompatible, or the certificate's name or dates do not fit.",
    what: "Port 16993 accepts a connection but the handshake fails (AMT 11/12 offer only RSA key \
exchange or finite-field DHE suites, which modern TLS stacks dropped), or the certificate has \
expired, or names neither the device's FQDN in its SANs nor in its common name. The FQDN is the \
name probed, else a snapshot host's device FQDN: host name + primary DNS suffix, unless the \
profile given with `--profile` sets another FQDN source.",
    why: "Consoles and scripts that verify TLS refuse the device, and the errors look like network \
trouble. An incompatible handshake is not \"down\": something accepts on 16993. Whether it is an ME \
the handshake cannot tell; the message says so only when the probe has evidence of one (Intel \
AMT's `Server:` banner, the RMCP pong, WS-Man or the redirection handshake answering as AMT's), \
and says that nothing shows one otherwise.",
    fix: "Renew the certificate for the FQDN the consoles use (SCS/RPS TLS configuration), or update \
the firmware to a release with modern suites; clients that must talk to old firmware need \
RSA key-exchange suites enabled. When nothing shows an ME at the address, first make sure the \
address is the device's (DHCP leases, ARP, the FQDN's record: SL202).\n\
Source: Intel SCS User Guide, FQDN settings (host name + primary DNS suffix by default).",
    example: r#"  16993: certificate CN=AMT RCFG, expired 2024-05-01, FQDN pc0423.corp.test
  → SL304: the certificate does not name `pc0423.corp.test` and expired on 2024-05-01
  16993: handshake fails, RMCP pong from AMT 11.8
  → SL304: TLS incompatible; the RMCP pong shows an Intel ME there, not down"#,
}

pub fn check(ctx: &ProbeContext, out: &mut Vec<Finding>) {
    let target = &ctx.report.target;
    let (problems, cert) = match &ctx.report.tls {
        Some(TlsOutcome::Incompatible {
            reason,
            certificate,
        }) => (
            vec![format!(
                "the handshake on 16993 fails after a good connect ({}): TLS incompatible, {}",
                reason,
                match ctx.report.me_evidence() {
                    Some(evidence) => format!("and {evidence} shows an Intel ME there, not down"),
                    None => "and nothing the probe saw shows whether an Intel ME or something else accepts there".to_owned(),
                }
            )],
            certificate.as_ref(),
        ),
        Some(TlsOutcome::Connected(info)) => (Vec::new(), info.certificate.as_ref()),
        _ => return,
    };
    let mut problems = problems;
    if let Some(cert) = cert {
        if cert.expired {
            problems.push(format!("the certificate expired on {}", cert.not_after));
        }
        if let Some(fqdn) = &ctx.target.fqdn
            && !tls::name_matches(cert, fqdn)
        {
            problems.push(format!(
                "the certificate (`{}`) does not name `{fqdn}`",
                cert.subject
            ));
        }
    }
    if problems.is_empty() {
        return;
    }
    out.push(ctx.finding(Code::SL304, format!("`{target}`: {}", problems.join("; "))));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Location;
    use crate::probe::{Report, RmcpStep, Target, Reachability};

    fn incompatible(rmcp: bool) -> Report {
        Report {
            target: "pc0424".into(),
            address: Some("127.0.0.9".into()),
            dns: None,
            ports: [("16993".to_owned(), crate::probe::tcp::PortState::Open)].into(),
            rmcp: rmcp.then(|| RmcpStep {
                answered: true,
                amt_version: Some("11.8".into()),
                provisioning: None,
                port: Some(16993),
                both_ports: false,
            }),
            http: None,
            wsman: None,
            redirection: None,
            tls: Some(TlsOutcome::Incompatible {
                reason: "handshake failure".into(),
                certificate: None,
            }),
            live: None,
            verdict: Reachability::PortsOpen,
            notes: Vec::new(),
        }
    }

    fn messages(r: &Report) -> Vec<String> {
        let target = Target::default();
        let ctx = ProbeContext {
            report: r,
            target: &target,
            profile: None,
            prediction: None,
            location: Location::File {
                path: "pc0424".into(),
                line: 1,
                column: 1,
            },
        };
        let mut out = Vec::new();
        check(&ctx, &mut out);
        out.into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn an_me_is_named_only_on_evidence_of_one() {
        let with_pong = messages(&incompatible(true));
        assert_eq!(with_pong.len(), 1);
        assert!(
            with_pong[0].contains("TLS incompatible")
                && with_pong[0].contains("the RMCP pong")
                && with_pong[0].contains("not down"),
            "{}",
            with_pong[0]
        );
        let bare = messages(&incompatible(false));
        assert_eq!(bare.len(), 1);
        assert!(
            bare[0].contains("TLS incompatible") && bare[0].contains("nothing the probe saw shows"),
            "{}",
            bare[0]
        );
        assert!(!bare[0].contains("not down"), "{}", bare[0]);
    }

    #[test]
    fn quiet_without_a_tls_problem() {
        let mut r = incompatible(true);
        r.tls = Some(TlsOutcome::Refused);
        assert!(messages(&r).is_empty());
    }
}
