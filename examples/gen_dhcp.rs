//! Writes one large synthetic DHCP server configuration for benchmarks: an ISC dhcpd.conf or a Kea
//! DHCPv4 file with N subnets, each with a pool, its own option 15 and one fixed-address host
//! (a reservation in Kea), which is what makes the readers look up "which subnet holds this
//! address".
//!
//! cargo run --release --example gen_dhcp -- --kind dhcpd --subnets 50000 --out /tmp/dhcpd.conf
//!
//! Subnets are 10.a.b.0/24 (so at most 65,536 of them). The output is deterministic.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let mut kind = String::from("dhcpd");
    let mut subnets = 5000usize;
    let mut out = PathBuf::from("dhcpd.conf");
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let Some(value) = it.next() else {
            eprintln!("{flag} needs a value");
            std::process::exit(2);
        };
        match flag.as_str() {
            "--kind" => kind = value,
            "--subnets" => match value.parse() {
                Ok(n) if (1..=65_536).contains(&n) => subnets = n,
                _ => {
                    eprintln!("--subnets must be 1..=65536");
                    std::process::exit(2);
                }
            },
            "--out" => out = PathBuf::from(value),
            other => {
                eprintln!("unknown flag {other}");
                std::process::exit(2);
            }
        }
    }
    let text = match kind.as_str() {
        "dhcpd" => dhcpd(subnets),
        "kea" => kea(subnets),
        other => {
            eprintln!("--kind must be dhcpd or kea, not {other}");
            std::process::exit(2);
        }
    };
    if let Err(e) = std::fs::write(&out, text) {
        eprintln!("{}: {e}", out.display());
        std::process::exit(1);
    }
}

fn octets(i: usize) -> (usize, usize) {
    (i / 256, i % 256)
}

fn dhcpd(subnets: usize) -> String {
    let mut s = String::from(
        "# Synthetic: one subnet per site.\nddns-update-style none;\ndefault-lease-time 86400;\noption domain-name \"company.com\";\n\n",
    );
    for i in 0..subnets {
        let (a, b) = octets(i);
        let _ = writeln!(
            s,
            "subnet 10.{a}.{b}.0 netmask 255.255.255.0 {{\n  range 10.{a}.{b}.20 10.{a}.{b}.250;\n  option routers 10.{a}.{b}.1;\n  option domain-name \"site{i}.company.com\";\n}}\nhost pc{i} {{\n  hardware ethernet 00:16:{:02x}:{:02x}:00:01;\n  fixed-address 10.{a}.{b}.10;\n  option domain-name \"host{i}.company.com\";\n}}\n",
            a % 256,
            b
        );
    }
    s
}

fn kea(subnets: usize) -> String {
    let mut s = String::from(
        "{\n  \"Dhcp4\": {\n    \"interfaces-config\": { \"interfaces\": [ \"eth0\" ] },\n    \"valid-lifetime\": 4000,\n    \"option-data\": [ { \"name\": \"domain-name\", \"data\": \"company.com\" } ],\n    \"subnet4\": [\n",
    );
    for i in 0..subnets {
        let (a, b) = octets(i);
        let comma = if i + 1 == subnets { "" } else { "," };
        let _ = writeln!(
            s,
            "      {{\n        \"id\": {},\n        \"subnet\": \"10.{a}.{b}.0/24\",\n        \"pools\": [ {{ \"pool\": \"10.{a}.{b}.20 - 10.{a}.{b}.250\" }} ],\n        \"option-data\": [ {{ \"name\": \"routers\", \"data\": \"10.{a}.{b}.1\" }}, {{ \"name\": \"domain-name\", \"data\": \"site{i}.company.com\" }} ],\n        \"reservations\": [ {{ \"hw-address\": \"00:16:{:02x}:{:02x}:00:01\", \"ip-address\": \"10.{a}.{b}.10\", \"option-data\": [ {{ \"name\": \"domain-name\", \"data\": \"host{i}.company.com\" }} ] }} ]\n      }}{comma}",
            i + 1,
            a % 256,
            b
        );
    }
    s.push_str("    ]\n  }\n}\n");
    s
}
