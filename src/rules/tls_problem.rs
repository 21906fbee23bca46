//! SL304: TLS on 16993 is incompatible, or its certificate does not fit the device.

use super::{Doc, ProbeContext};
use crate::diagnostic::{Code, Finding};
use crate::probe::tls::{self, TlsOutcome};

pub const DOC: Doc = Doc {
    summary: "probe: TLS on 16993 is incompatible, or the certificate's name or dates do not fit.",
    what: "Port 16993 accepts a connection but the handshake fails (AMT 11/12 offer only RSA key \
exchange or finite-field DHE suites, which modern TLS stacks dropped), or the certificate has \
expired, or names neither the device's FQDN in its SANs nor in its common name. The FQDN is the \
name probed, else a snapshot host's device FQDN: host name + primary DNS suffix, unless the \
profile given with `--profile` sets another FQDN source.",
    why: "Consoles and scripts that verify TLS refuse the device, and the errors look like network \
trouble. An incompatible handshake is not \"down\": the ME is there.",
    fix: "Renew the certificate for the FQDN the consoles use (SCS/RPS TLS configuration), or update \
the firmware to a release with modern suites; clients that must talk to old firmware need \
RSA key-exchange suites enabled.\n\
Source: Intel SCS User Guide, FQDN settings (host name + primary DNS suffix by default).",
    example: r#"  16993: certificate CN=AMT RCFG, expired 2024-05-01, FQDN pc0423.corp.test
  → SL304: the certificate does not name `pc0423.corp.test` and expired on 2024-05-01"#,
};

pub fn check(ctx: &ProbeContext, out: &mut Vec<Finding>) {
    let target = &ctx.report.target;
    let (problems, cert) = match &ctx.report.tls {
        Some(TlsOutcome::Incompatible {
            reason,
            certificate,
        }) => (
            vec![format!(
                "the handshake on 16993 fails after a good connect ({}): TLS incompatible, the ME is not down",
                crate::report::escape_text(reason)
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
                crate::report::escape_text(&cert.subject)
            ));
        }
    }
    if problems.is_empty() {
        return;
    }
    out.push(ctx.finding(Code::SL304, format!("`{target}`: {}", problems.join("; "))));
}
