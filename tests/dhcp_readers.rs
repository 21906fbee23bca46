//! `scslint collect` on DHCP server configurations written in the forms their programs' own
//! documentation gives (dnsmasq(8); dhcpd.conf(5), dhcp-options(5) and dhcp-eval(5); the Kea
//! Administrator Reference Manual), end to end from the built binary: which option 15 and which
//! option 24 each address range is observed to get.

mod support;

use serde_json::Value;
use support::{assert_conforms, scslint, toml_text_as_json, write};

/// One `[[network]]` of the snapshot: name, option 15 (`-` for none), option 24 and ranges.
#[derive(Debug, PartialEq, Eq)]
struct Net(String, String, Vec<String>, Vec<String>);

struct Collected {
    status: i32,
    networks: Vec<Net>,
    /// The messages of the findings that say some input could not be read.
    unreadable: Vec<String>,
}

impl Collected {
    /// The networks whose name starts with `prefix`.
    fn named(&self, prefix: &str) -> Vec<&Net> {
        self.networks
            .iter()
            .filter(|n| n.0.starts_with(prefix))
            .collect()
    }

    /// The option 15 of the network a host at `ip` joins: the narrowest range holding it.
    fn suffix_at(&self, ip: &str) -> Option<&str> {
        let ip: std::net::Ipv4Addr = ip.parse().unwrap();
        let size = |r: &str| -> Option<u64> {
            let (a, b) = match r.split_once('/') {
                Some((a, len)) => {
                    let net: ipnet::Ipv4Net = format!("{a}/{len}").parse().ok()?;
                    (net.network(), net.broadcast())
                }
                None => {
                    let (a, b) = r.split_once('-')?;
                    (a.parse().ok()?, b.parse().ok()?)
                }
            };
            (a <= ip && ip <= b).then(|| u64::from(u32::from(b)) - u64::from(u32::from(a)))
        };
        self.networks
            .iter()
            .filter_map(|n| n.3.iter().filter_map(|r| size(r)).min().map(|s| (n, s)))
            .min_by_key(|(_, s)| *s)
            .map(|(n, _)| n.1.as_str())
    }
}

/// Write `files` into a temporary folder and run `collect` on the first of them.
fn collect(files: &[(&str, &str)]) -> Collected {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        write(dir.path(), name, text);
    }
    let out_path = dir.path().join("observed.toml");
    let out = scslint()
        .current_dir(dir.path())
        .arg("collect")
        .arg(files[0].0)
        .arg("-o")
        .arg(&out_path)
        .args(["--format", "json", "--no-config"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_conforms("report.schema.json", &report);
    let unreadable = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "SL051")
        .map(|d| d["message"].as_str().unwrap_or_default().to_owned())
        .collect();
    let snapshot = toml_text_as_json(&std::fs::read_to_string(&out_path).unwrap());
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let networks = snapshot["network"]
        .as_array()
        .map(|nets| {
            nets.iter()
                .map(|n| {
                    Net(
                        n["name"].as_str().unwrap_or_default().to_owned(),
                        n["suffix"].as_str().unwrap_or("-").to_owned(),
                        strings(&n["domain_search_v6"]),
                        strings(&n["ranges"]),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Collected {
        status: out.status.code().unwrap(),
        networks,
        unreadable,
    }
}

fn net(name: &str, suffix: &str, ranges: &[&str]) -> Net {
    Net(
        name.to_owned(),
        suffix.to_owned(),
        Vec::new(),
        ranges.iter().map(|r| r.to_string()).collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// dnsmasq(8)

#[test]
fn dnsmasq_domain_ranges_name_exactly_their_addresses() {
    let c = collect(&[(
        "dnsmasq.conf",
        "domain=corp.example\n\
         domain=lab.corp.example,10.0.0.0,10.0.0.15\n\
         dhcp-range=10.0.0.10,10.0.0.20\n",
    )]);
    assert_eq!(c.status, 0, "{:?}", c.unreadable);
    // Firing: the part of the range a ranged `domain=` names gets that domain.
    assert_eq!(c.suffix_at("10.0.0.12"), Some("lab.corp.example"));
    // Quiet: the rest of the same range keeps the global domain.
    assert_eq!(c.suffix_at("10.0.0.18"), Some("corp.example"));
    assert_eq!(
        c.named("dhcp-range"),
        [
            &net(
                "dhcp-range 10.0.0.10-10.0.0.20",
                "corp.example",
                &["10.0.0.16-10.0.0.20"]
            ),
            &net(
                "dhcp-range 10.0.0.10-10.0.0.20, domain 10.0.0.0/28",
                "lab.corp.example",
                &["10.0.0.10-10.0.0.15"]
            ),
        ]
    );
}

#[test]
fn dnsmasq_a_domain_holding_the_whole_range_leaves_it_whole() {
    let c = collect(&[(
        "dnsmasq.conf",
        "domain=corp.example\n\
         domain=lab.corp.example,10.0.0.0/24,local\n\
         dhcp-range=10.0.0.10,10.0.0.20\n",
    )]);
    assert_eq!(
        c.named("dhcp-range"),
        [&net(
            "dhcp-range 10.0.0.10-10.0.0.20",
            "lab.corp.example",
            &["10.0.0.10-10.0.0.20"]
        )]
    );
}

#[test]
fn dnsmasq_a_domain_for_an_interface_is_read_not_refused() {
    let c = collect(&[(
        "dnsmasq.conf",
        "domain=lan.example,br-lan\ndhcp-range=10.0.0.10,10.0.0.20\n",
    )]);
    assert_eq!(c.status, 0, "{:?}", c.unreadable);
    assert_eq!(
        c.named("domain interface"),
        [&net("domain interface br-lan", "lan.example", &[])]
    );
    // A mistyped address is still reported.
    let typo = collect(&[("dnsmasq.conf", "domain=lan.example,10.0.0.\n")]);
    assert_eq!(typo.status, 2);
    assert!(typo.unreadable[0].contains("`10.0.0.` is not an IPv4 address"));
}

#[test]
fn dnsmasq_dhcp_host_clients_carry_the_known_tag() {
    let c = collect(&[(
        "dnsmasq.conf",
        "domain=corp.example\n\
         dhcp-range=10.0.0.10,10.0.0.20,255.255.255.0\n\
         dhcp-option=tag:known,15,static.corp.example\n\
         dhcp-host=aa:bb:cc:dd:ee:ff,kiosk,10.0.0.5\n",
    )]);
    // Firing: the host given by dhcp-host gets the option for known clients.
    assert_eq!(c.suffix_at("10.0.0.5"), Some("static.corp.example"));
    // Quiet: clients of the range are unknown and keep the domain.
    assert_eq!(c.suffix_at("10.0.0.12"), Some("corp.example"));
}

#[test]
fn dnsmasq_tag_if_lines_decide_option_15() {
    let c = collect(&[(
        "dnsmasq.conf",
        "dhcp-range=set:wired,10.0.0.10,10.0.0.20\n\
         dhcp-range=set:wifi,10.0.1.10,10.0.1.20\n\
         tag-if=set:corp,tag:wired\n\
         dhcp-option=15,guest.example\n\
         dhcp-option=tag:corp,15,corp.example\n",
    )]);
    assert_eq!(c.status, 0, "{:?}", c.unreadable);
    // Firing: the wired range's tag sets `corp` through tag-if.
    assert_eq!(c.suffix_at("10.0.0.12"), Some("corp.example"));
    // Quiet: the Wi-Fi range's tag sets nothing.
    assert_eq!(c.suffix_at("10.0.1.12"), Some("guest.example"));
}

#[test]
fn dnsmasq_option_files_are_read() {
    let c = collect(&[
        (
            "dnsmasq.conf",
            "domain=corp.example\n\
             dhcp-optsfile=dhcp-opts\n\
             dhcp-range=set:lab,10.0.0.10,10.0.0.20\n\
             dhcp-range=set:office,10.0.1.10,10.0.1.20\n",
        ),
        ("dhcp-opts", "tag:lab,option:domain-name,lab.corp.example\n"),
    ]);
    assert_eq!(c.status, 0, "{:?}", c.unreadable);
    // Firing: the option given in the options file decides the lab range.
    assert_eq!(c.suffix_at("10.0.0.12"), Some("lab.corp.example"));
    // Quiet: it names only the lab tag.
    assert_eq!(c.suffix_at("10.0.1.12"), Some("corp.example"));
}

#[test]
fn dnsmasq_an_option_repeated_later_for_the_same_tag_is_not_observed() {
    let c = collect(&[(
        "dnsmasq.conf",
        "dhcp-option=tag:phone,15,old.example\n\
         dhcp-option=tag:phone,15,voice.example\n",
    )]);
    // The later line is what every client tagged `phone` gets; the earlier one reaches nobody.
    assert_eq!(c.named("tag"), [&net("tag phone", "voice.example", &[])]);
}

// ---------------------------------------------------------------------------------------------
// dhcpd.conf(5), dhcp-options(5), dhcp-eval(5)

#[test]
fn dhcpd_a_host_takes_its_subnets_value_over_the_shared_networks() {
    let c = collect(&[(
        "dhcpd.conf",
        "shared-network hq {\n\
           option domain-name \"hq.example\";\n\
           subnet 10.0.0.0 netmask 255.255.255.0 { option domain-name \"lan.hq.example\"; }\n\
           host printer { hardware ethernet 00:11:22:33:44:55; fixed-address 10.0.0.5; }\n\
           group {\n\
             option domain-name \"kiosk.hq.example\";\n\
             host kiosk { hardware ethernet 00:11:22:33:44:66; fixed-address 10.0.0.6; }\n\
           }\n\
         }\n",
    )]);
    assert_eq!(c.status, 0, "{:?}", c.unreadable);
    // Quiet: the shared network around both the host and its subnet yields to the subnet.
    assert_eq!(c.suffix_at("10.0.0.5"), Some("lan.hq.example"));
    assert!(c.named("host printer").is_empty(), "{:?}", c.networks);
    // Firing: a group around the host alone wins over the subnet.
    assert_eq!(c.suffix_at("10.0.0.6"), Some("kiosk.hq.example"));
}

#[test]
fn dhcpd_option_domain_name_set_from_an_expression() {
    let c = collect(&[(
        "dhcpd.conf",
        "subnet 10.0.0.0 netmask 255.255.255.0 { option domain-name = \"lan.example\"; }\n\
         subnet 10.0.1.0 netmask 255.255.255.0 { option domain-name = 6c:61:62:2e:65:78; }\n\
         subnet 10.0.2.0 netmask 255.255.255.0 { option domain-name \"plain.example\"; }\n",
    )]);
    assert_eq!(c.status, 0, "{:?}", c.unreadable);
    // Firing: a string and a hex list set through `=` are read as the text they give.
    assert_eq!(c.suffix_at("10.0.0.1"), Some("lan.example"));
    assert_eq!(c.suffix_at("10.0.1.1"), Some("lab.ex"));
    // Quiet: the plain form is read as before, and nothing reads `=` as a domain.
    assert_eq!(c.suffix_at("10.0.2.1"), Some("plain.example"));
    assert!(c.networks.iter().all(|n| n.1 != "="), "{:?}", c.networks);
}

#[test]
fn dhcpd_supersede_and_default_forms() {
    let c = collect(&[(
        "dhcpd.conf",
        "option domain-name \"corp.example\";\n\
         subnet 10.0.0.0 netmask 255.255.255.0 { supersede domain-name \"lab.corp.example\"; }\n\
         subnet 10.0.1.0 netmask 255.255.255.0 { default domain-name \"guest.example\"; }\n",
    )]);
    assert_eq!(c.status, 0, "{:?}", c.unreadable);
    // Firing: `supersede` sets the subnet's option 15 as `option` does.
    assert_eq!(c.suffix_at("10.0.0.9"), Some("lab.corp.example"));
    // Quiet: `default` leaves the value the global scope already set.
    assert_eq!(c.suffix_at("10.0.1.9"), Some("corp.example"));
}

// ---------------------------------------------------------------------------------------------
// Kea Administrator Reference Manual

#[test]
fn kea_never_send_is_sticky() {
    let c = collect(&[(
        "kea-dhcp4.conf",
        r#"{ "Dhcp4": {
  "shared-networks": [ { "name": "guest",
    "option-data": [ { "name": "domain-name", "never-send": true } ],
    "subnet4": [ { "id": 1, "subnet": "10.1.0.0/24",
      "option-data": [ { "name": "domain-name", "data": "guest.example" } ] } ] } ],
  "subnet4": [ { "id": 2, "subnet": "10.2.0.0/24",
    "option-data": [ { "name": "domain-name", "data": "corp.example" } ] } ]
} }"#,
    )]);
    assert_eq!(c.status, 0, "{:?}", c.unreadable);
    // Firing: never-send on the shared network stops the subnet's own value.
    assert_eq!(c.suffix_at("10.1.0.9"), Some("-"));
    // Quiet: a subnet outside it hands out its value.
    assert_eq!(c.suffix_at("10.2.0.9"), Some("corp.example"));
}

#[test]
fn kea_a_class_value_ranks_below_the_subnets() {
    let config = |subnet_option: &str| {
        format!(
            r#"{{ "Dhcp4": {{
  "client-classes": [ {{ "name": "voip", "test": "option[60].text == 'phone'",
    "option-data": [ {{ "name": "domain-name", "data": "voice.example" }} ] }} ],
  "subnet4": [ {{ "id": 1, "subnet": "10.1.0.0/24" {subnet_option} }} ]
}} }}"#
        )
    };
    // Quiet: the subnet sets option 15 itself, which wins over the class for its members too.
    let covered = collect(&[(
        "kea-dhcp4.conf",
        &config(r#", "option-data": [ { "name": "domain-name", "data": "corp.example" } ]"#),
    )]);
    assert!(
        covered.named("client-class").is_empty(),
        "{:?}",
        covered.networks
    );
    // Firing: the subnet leaves it unset, so the class's members get the class's value.
    let open = collect(&[("kea-dhcp4.conf", &config(""))]);
    assert_eq!(
        open.named("client-class"),
        [&net("client-class voip", "voice.example", &[])]
    );
}

#[test]
fn kea_binary_option_data_in_the_forms_the_arm_gives() {
    let c = collect(&[(
        "kea-dhcp4.conf",
        r#"{ "Dhcp4": { "subnet4": [
  { "id": 1, "subnet": "10.1.0.0/24",
    "option-data": [ { "code": 15, "csv-format": false, "data": "'quoted.example'" } ] },
  { "id": 2, "subnet": "10.2.0.0/24",
    "option-data": [ { "code": 15, "csv-format": false, "data": "6c 61 62 2e 65 78" } ] },
  { "id": 3, "subnet": "10.3.0.0/24",
    "option-data": [ { "code": 15, "data": "'quoted.example'" } ] }
] } }"#,
    )]);
    assert_eq!(c.status, 0, "{:?}", c.unreadable);
    // Firing: with csv-format false, a single-quoted string is its text, hex octets their bytes.
    assert_eq!(c.suffix_at("10.1.0.9"), Some("quoted.example"));
    assert_eq!(c.suffix_at("10.2.0.9"), Some("lab.ex"));
    // Quiet: in CSV format the quotes are part of the text, as Kea sends it.
    assert_eq!(c.suffix_at("10.3.0.9"), Some("'quoted.example'"));
}

#[test]
fn kea_binary_option_24_data_is_dns_wire_format() {
    let c = collect(&[(
        "kea-dhcp6.conf",
        r#"{ "Dhcp6": { "subnet6": [
  { "id": 1, "subnet": "2001:db8:1::/64",
    "option-data": [ { "code": 24, "csv-format": false, "data": "04636f7270076578616d706c6500" } ] },
  { "id": 2, "subnet": "2001:db8:2::/64",
    "option-data": [ { "name": "domain-search", "data": "corp.example" } ] }
] } }"#,
    )]);
    assert_eq!(c.status, 0, "{:?}", c.unreadable);
    let search = |name: &str| c.named(name).first().map(|n| n.2.clone());
    // Firing: the wire-format bytes are read as the names they encode.
    assert_eq!(
        search("subnet6 2001:db8:1::/64"),
        Some(vec!["corp.example".to_owned()])
    );
    // Quiet: the CSV form gives the same list.
    assert_eq!(
        search("subnet6 2001:db8:2::/64"),
        Some(vec!["corp.example".to_owned()])
    );
}

#[test]
fn kea_dhcp6_reservations_with_their_own_option_24() {
    let c = collect(&[(
        "kea-dhcp6.conf",
        r#"{ "Dhcp6": {
  "option-data": [ { "name": "domain-search", "data": "corp.example" } ],
  "subnet6": [ { "id": 1, "subnet": "2001:db8:1::/64",
    "reservations": [
      { "hostname": "lab-pc", "duid": "01:02:03:04",
        "option-data": [ { "name": "domain-search", "data": "lab.corp.example" } ] },
      { "hostname": "plain-pc", "duid": "01:02:03:05" } ] } ]
} }"#,
    )]);
    assert_eq!(c.status, 0, "{:?}", c.unreadable);
    // Firing: a reservation with a list of its own is observed with it.
    assert_eq!(
        c.named("host"),
        [&Net(
            "host lab-pc".into(),
            "-".into(),
            vec!["lab.corp.example".into()],
            vec![]
        )]
    );
    // Quiet: one without a list of its own is no network of its own.
    assert!(c.named("host plain-pc").is_empty());
}

#[test]
fn kea_a_reservation_wins_over_its_pool() {
    let c = collect(&[(
        "kea-dhcp4.conf",
        r#"{ "Dhcp4": { "subnet4": [ { "id": 1, "subnet": "10.1.0.0/24",
  "option-data": [ { "name": "domain-name", "data": "corp.example" } ],
  "pools": [ { "pool": "10.1.0.100 - 10.1.0.199",
    "option-data": [ { "name": "domain-name", "data": "guest.example" } ] } ],
  "reservations": [ { "hostname": "printer", "ip-address": "10.1.0.150",
    "option-data": [ { "name": "domain-name", "data": "corp.example" } ] } ] } ] } }"#,
    )]);
    assert_eq!(c.status, 0, "{:?}", c.unreadable);
    // Firing: the reserved address in the guest pool gets the reservation's value.
    assert_eq!(c.suffix_at("10.1.0.150"), Some("corp.example"));
    // Quiet: the rest of the pool gets the pool's.
    assert_eq!(c.suffix_at("10.1.0.151"), Some("guest.example"));
}

#[test]
fn kea_global_reservations_count_only_where_subnets_look_them_up() {
    let config = |flag: &str| {
        format!(
            r#"{{ "Dhcp4": {{ {flag}
  "reservations": [ {{ "hw-address": "aa:bb:cc:dd:ee:ff",
    "option-data": [ {{ "name": "domain-name", "data": "roaming.example" }} ] }} ],
  "subnet4": [ {{ "id": 1, "subnet": "10.1.0.0/24" }} ]
}} }}"#
        )
    };
    // Quiet: by default (reservations-global false) no client gets the global reservation.
    let default = collect(&[("kea-dhcp4.conf", &config(""))]);
    assert!(default.named("host").is_empty(), "{:?}", default.networks);
    // Firing: with global reservations looked up, it is a network of its own.
    let on = collect(&[("kea-dhcp4.conf", &config(r#""reservations-global": true,"#))]);
    assert_eq!(
        on.named("host"),
        [&net("host aa:bb:cc:dd:ee:ff", "roaming.example", &[])]
    );
}
