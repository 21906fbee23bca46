//! Writes a synthetic estate for the `check` benchmark: N WS-Management profiles and an
//! observed.toml with M networks.
//!
//! cargo run --release --example gen_profiles -- --profiles 10000 --networks 1000 --out /tmp/estate
//!
//! Networks: nine in ten are enterprise networks, one per site (`siteN.company.com`); the rest are
//! external (hotels, home routers, `lan`). Profiles: most carry the company's parent domain, some
//! with a second entry of their own; about 3% put the AD root domain where the DHCP suffix belongs
//! (the article's mistake), 3% add a site suffix the parent already covers and 1% an over-broad
//! entry, so the rules have findings to report. The output is deterministic.

use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

struct Args {
    profiles: usize,
    networks: usize,
    out: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        profiles: 1000,
        networks: 100,
        out: PathBuf::from("estate"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--profiles" => {
                args.profiles = value.parse().map_err(|e| format!("--profiles: {e}"))?
            }
            "--networks" => {
                args.networks = value.parse().map_err(|e| format!("--networks: {e}"))?
            }
            "--out" => args.out = PathBuf::from(value),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if args.networks < 10 {
        return Err("--networks must be at least 10".into());
    }
    Ok(args)
}

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn observed(networks: usize) -> String {
    let mut out = String::from("# Synthetic networks for the check benchmark.\n");
    let external = networks / 10;
    let sites = networks - external;
    for site in 0..sites {
        let _ = write!(
            out,
            "\n[[network]]\nname = \"site{site}-wired\"\nsite = \"site{}\"\nsuffix = \"site{site}.company.com\"\ntrust = \"enterprise\"\nhosts = {}\n",
            site / 4,
            20 + site % 200
        );
    }
    for n in 0..external {
        let suffix = match n % 4 {
            0 => format!("hotel{n}.example.net"),
            1 => "lan".to_owned(),
            2 => format!("home{n}.example.org"),
            _ => format!("guest{n}.example.com"),
        };
        let _ = write!(
            out,
            "\n[[network]]\nname = \"external-{n}\"\nsuffix = \"{suffix}\"\ntrust = \"external\"\nhosts = 5\n",
        );
    }
    out
}

fn profile(n: usize, domains: &[String]) -> String {
    let mut strings = String::new();
    for d in domains {
        let _ = writeln!(
            strings,
            "      <g:DetectionStrings>{d}</g:DetectionStrings>"
        );
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- Synthetic profile {n}. -->
<a:Envelope xmlns:a="http://www.w3.org/2003/05/soap-envelope"
    xmlns:b="http://schemas.xmlsoap.org/ws/2004/08/addressing"
    xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <a:Header>
    <b:Action>http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse</b:Action>
  </a:Header>
  <a:Body>
    <g:AMT_EnvironmentDetectionSettingData>
      <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
{strings}      <g:ElementName>Intel(r) AMT Environment Detection Settings</g:ElementName>
      <g:InstanceID>Intel(r) AMT Environment Detection Settings</g:InstanceID>
    </g:AMT_EnvironmentDetectionSettingData>
  </a:Body>
</a:Envelope>
"#
    )
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen_profiles: {e}");
            std::process::exit(2);
        }
    };
    let dir = args.out.join("profiles");
    fs::create_dir_all(&dir).expect("create folder");
    fs::write(args.out.join("observed.toml"), observed(args.networks)).expect("write networks");
    let sites = (args.networks - args.networks / 10) as u64;
    let mut rng = Rng(0x5C5_C4EC);
    for n in 0..args.profiles {
        let site = rng.below(sites);
        let domains: Vec<String> = match rng.below(100) {
            0..=2 => vec!["ad.company.local".to_owned()],
            3 => vec!["company.com".to_owned(), "com".to_owned()],
            4..=6 => vec!["company.com".to_owned(), format!("site{site}.company.com")],
            7..=30 => vec!["company.com".to_owned(), "vpn.company.com".to_owned()],
            _ => vec!["company.com".to_owned()],
        };
        fs::write(dir.join(format!("p{n:06}.xml")), profile(n, &domains)).expect("write profile");
    }
}
