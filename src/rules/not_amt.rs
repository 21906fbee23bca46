//! SL303: something other than an ME answers on 16992.

use super::ProbeContext;
use crate::diagnostic::{Code, Finding};
use crate::probe::Reachability;

declare_rule! {
    code: SL303,
    name: "not-amt",
    level: Info,
    scope: Probe,
    needs: [Probe],
    check: Probe(check),
    summary: "probe: something other than an Intel ME answers on 16992.",
    what: "A probed address whose port 16992 answers HTTP with a `Server:` header that is not Intel \
AMT's (a web server, a proxy, another appliance), and where nothing else shows an ME. AMT's own \
banners are `Intel(R) Active Management Technology <version>` and the bare `AMT`; any other \
banner is still taken for the ME when the RMCP presence pong (Intel's IANA 343) or the WS-Man \
Identify answer (ProductVendor Intel, or a 401 Digest realm `Digest:<32 hex>`) says so, and the \
probe report notes the odd banner.",
    why: "The address (or the name's DNS record) does not lead to the ME: an IP reused by another \
device, a stale DNS record, or NAT in the way. Console errors against it say nothing about AMT. \
A banner alone is weak evidence: scanners' fingerprints know AMT under other `Server:` values, so \
RMCP and WS-Man evidence outweighs it.\nSource: Intel AMT Implementation and Reference Guide, \
usermcppingtodeterminetheplatformstate.htm; nmap service fingerprints (`Server: AMT`); MeshCentral \
amtscanner.js.",
    fix: "Check which device holds the address (DHCP leases, ARP), and the FQDN's record (SL202).",
    example: r#"  16992: Server: nginx/1.24.0
  → SL303: 10.1.4.77 answers on 16992 as `nginx/1.24.0`, not as an Intel ME"#,
}

pub fn check(ctx: &ProbeContext, out: &mut Vec<Finding>) {
    if ctx.report.verdict != Reachability::NotAmt {
        return;
    }
    let server = ctx
        .report
        .http
        .as_ref()
        .and_then(|h| h.server.as_deref())
        .unwrap_or("no Server header");
    out.push(ctx.finding(
        Code::SL303,
        format!(
            "`{}` answers on 16992 as `{}`, not as an Intel ME",
            ctx.report.target, server
        ),
    ));
}
