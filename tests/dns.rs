//! The DNS module against a real authoritative server on loopback (and a SERVFAIL responder and a
//! silent socket for the failure kinds).

mod support;

use scslint::observe::dns::{Answer, Dns, DnsOptions, parse_nameserver};
use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use std::time::Instant;
use support::dns_server;

const CORP: &str = "
$ORIGIN corp.test.
$TTL 300
@        IN SOA  ns1.corp.test. hostmaster.corp.test. 1 3600 600 86400 300
@        IN NS   ns1.corp.test.
ns1      IN A    127.0.0.1
pc0423   IN A    10.1.4.20
pc0423   IN AAAA fd00:1:4::20
pc0424   IN A    10.1.4.21
multi    IN A    10.1.4.100
multi    IN A    10.1.4.9
printer  IN TXT  \"no address\"
";

const REVERSE: &str = "
$ORIGIN 4.1.10.in-addr.arpa.
$TTL 300
@        IN SOA  ns1.corp.test. hostmaster.corp.test. 1 3600 600 86400 300
@        IN NS   ns1.corp.test.
20       IN PTR  pc0423.corp.test.
";

/// The bulk zone: host0 … host199 with distinct addresses.
fn bulk_zone() -> String {
    let mut text = String::from(
        "$ORIGIN bulk.test.\n$TTL 300\n\
             @ IN SOA ns1.corp.test. hostmaster.corp.test. 1 3600 600 86400 300\n\
             @ IN NS ns1.corp.test.\n",
    );
    for i in 0..200 {
        text.push_str(&format!("host{i} IN A 10.2.{}.{}\n", i / 100, i % 100));
    }
    text
}

/// The shared server, authoritative for corp.test., bulk.test. and 4.1.10.in-addr.arpa.
fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| dns_server::start(vec![CORP.to_owned(), REVERSE.to_owned(), bulk_zone()]))
}

fn dns(nameserver: SocketAddr) -> Dns {
    Dns::new(&DnsOptions {
        nameserver: Some(nameserver),
        ..DnsOptions::default()
    })
    .expect("resolver")
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn records(list: &[&str]) -> Answer {
    Answer::Records(names(list))
}

/// What the SERVFAIL responder saw of one query: question bytes, source port, query ID.
type Seen = Arc<Mutex<Vec<(Vec<u8>, u16, u16)>>>;

/// Answers every query with SERVFAIL (query ID and question copied, QR and RA set).
fn servfail_server(seen: Seen) -> SocketAddr {
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").expect("udp bind");
    let addr = sock.local_addr().expect("local addr");
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok((n, peer)) = sock.recv_from(&mut buf) {
            let query = &buf[..n];
            let Some(end) = question_end(query) else {
                continue;
            };
            seen.lock().expect("lock").push((
                query[12..end].to_ascii_lowercase(),
                peer.port(),
                u16::from_be_bytes([query[0], query[1]]),
            ));
            let mut reply = query[..end].to_vec();
            reply[2] = 0x80 | (query[2] & 0x79); // QR, opcode and RD kept
            reply[3] = 0x80 | 2; // RA, RCODE 2 = SERVFAIL
            reply[6..12].fill(0); // no answer, authority or additional records
            let _ = sock.send_to(&reply, peer);
        }
    });
    addr
}

/// End of the (single) question: QNAME labels, then QTYPE and QCLASS.
fn question_end(msg: &[u8]) -> Option<usize> {
    let mut i = 12;
    loop {
        let len = usize::from(*msg.get(i)?);
        i += 1 + len;
        if len == 0 {
            break;
        }
    }
    (i + 4 <= msg.len()).then_some(i + 4)
}

#[test]
fn a_and_aaaa_found_in_input_order_sorted_as_addresses() {
    let dns = dns(server());
    let got = dns.addresses(&names(&[
        "pc0423.corp.test",
        "multi.corp.test",
        "pc0424.corp.test",
        "PC0423.Corp.Test.",
    ]));
    assert_eq!(
        got,
        vec![
            (
                "pc0423.corp.test".into(),
                records(&["10.1.4.20", "fd00:1:4::20"])
            ),
            (
                "multi.corp.test".into(),
                records(&["10.1.4.9", "10.1.4.100"])
            ),
            ("pc0424.corp.test".into(), records(&["10.1.4.21"])),
            (
                "PC0423.Corp.Test.".into(),
                records(&["10.1.4.20", "fd00:1:4::20"])
            ),
        ]
    );
}

#[test]
fn missing_name_in_the_zone_is_nxdomain() {
    let got = dns(server()).addresses(&names(&["pc9999.corp.test"]));
    assert_eq!(got[0].1, Answer::NxDomain);
}

#[test]
fn existing_name_without_addresses_is_nodata() {
    let dns = dns(server());
    assert_eq!(
        dns.addresses(&names(&["printer.corp.test"]))[0].1,
        Answer::NoData
    );
    // A name with records of other types has no SOA/NS of its own either.
    let zone = &dns.zone(&names(&["pc0423.corp.test"]))[0].1;
    assert_eq!(zone.soa, Answer::NoData);
    assert_eq!(zone.ns, Answer::NoData);
}

#[test]
fn zone_apex_has_soa_and_ns_and_a_missing_domain_is_nxdomain() {
    let got = dns(server()).zone(&names(&["corp.test", "nosuch.corp.test"]));
    let apex = &got[0].1;
    assert_eq!(apex.soa, records(&["ns1.corp.test"]));
    assert_eq!(apex.ns, records(&["ns1.corp.test"]));
    let missing = &got[1].1;
    assert_eq!(missing.soa, Answer::NxDomain);
    assert_eq!(missing.ns, Answer::NxDomain);
}

#[test]
fn name_outside_the_served_zones_is_refused() {
    // hickory-server's catalog answers REFUSED for a name in no zone it serves.
    let dns = dns(server());
    assert_eq!(
        dns.addresses(&names(&["pc0423.other.example"]))[0].1,
        Answer::Refused
    );
    let zone = &dns.zone(&names(&["other.example"]))[0].1;
    assert_eq!((&zone.soa, &zone.ns), (&Answer::Refused, &Answer::Refused));
}

#[test]
fn reverse_lookups() {
    let ips: Vec<IpAddr> = [
        "10.1.4.20",
        "10.1.4.99",
        "192.0.2.1",
        "2001:db8::1",
        "10.1.4.20",
    ]
    .iter()
    .map(|s| s.parse().expect("ip"))
    .collect();
    let got = dns(server()).reverse(&ips);
    let answers: Vec<Answer> = got.iter().map(|(_, a)| a.clone()).collect();
    assert_eq!(got.iter().map(|(ip, _)| *ip).collect::<Vec<_>>(), ips);
    assert_eq!(
        answers,
        vec![
            records(&["pc0423.corp.test"]),
            Answer::NxDomain,
            Answer::Refused,
            Answer::Refused,
            records(&["pc0423.corp.test"]),
        ]
    );
}

#[test]
fn servfail_is_reported_as_such_and_retried() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let dns = Dns::new(&DnsOptions {
        nameserver: Some(servfail_server(seen.clone())),
        attempts: 3,
        ..DnsOptions::default()
    })
    .expect("resolver");
    let got = dns.zone(&names(&["corp.test"]));
    assert_eq!(got[0].1.soa, Answer::ServFail);
    assert_eq!(got[0].1.ns, Answer::ServFail);
    // Three tries of each query, each a fresh request (new source port and ID; a UDP
    // retransmission of one request would repeat both).
    let seen = seen.lock().expect("lock");
    let distinct: HashSet<_> = seen.iter().collect();
    assert_eq!(distinct.len(), 6, "{seen:?}");
}

#[test]
fn silent_server_times_out_without_hanging() {
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").expect("udp bind");
    let dns = Dns::new(&DnsOptions {
        nameserver: Some(silent.local_addr().expect("local addr")),
        timeout: Duration::from_millis(300),
        attempts: 1,
        ..DnsOptions::default()
    })
    .expect("resolver");
    let start = Instant::now();
    let got = dns.addresses(&names(&["pc0423.corp.test", "pc0424.corp.test"]));
    assert!(start.elapsed() < Duration::from_secs(10), "lookup hung");
    assert_eq!(got[0].1, Answer::Timeout);
    assert_eq!(got[1].1, Answer::Timeout);
    drop(silent);
}

#[test]
fn two_hundred_names_resolve_with_bounded_concurrency() {
    let mut list: Vec<String> = (0..200).map(|i| format!("host{i}.bulk.test")).collect();
    list.push("host7.bulk.test".to_owned());
    for concurrency in [8, 64] {
        let dns = Dns::new(&DnsOptions {
            nameserver: Some(server()),
            concurrency,
            ..DnsOptions::default()
        })
        .expect("resolver");
        let got = dns.addresses(&list);
        assert_eq!(got.len(), 201);
        for (i, (name, answer)) in got.iter().enumerate() {
            let i = if i == 200 { 7 } else { i };
            assert_eq!(name, &list[i]);
            let want = format!("10.2.{}.{}", i / 100, i % 100);
            assert_eq!(answer, &Answer::Records(vec![want]), "{name}");
        }
    }
}

#[test]
fn invalid_names_are_errors_and_do_not_stop_the_others() {
    let long_label = format!("{}.corp.test", "a".repeat(64));
    let long_name = format!("{}corp.test", "abcdefghi.".repeat(26));
    let bad = [
        "",
        "   ",
        ".",
        "a..corp.test",
        ".corp.test",
        "-pc.corp.test",
        "pc 1.corp.test",
        "pc_1.corp.test",
        "http://pc0423.corp.test/",
        "10.1.4.20",
        "[::1]",
        "pc\u{e9}.corp.test",
        "pc\0.corp.test",
        long_label.as_str(),
        long_name.as_str(),
    ];
    let mut list = names(&bad);
    list.push("pc0424.corp.test".to_owned());
    let dns = dns(server());
    let got = dns.addresses(&list);
    for (name, answer) in &got[..bad.len()] {
        assert!(matches!(answer, Answer::Error(_)), "{name:?}: {answer:?}");
    }
    assert_eq!(got[bad.len()].1, records(&["10.1.4.21"]));
    let zone = &dns.zone(&names(&["a..b"]))[0].1;
    assert!(matches!(zone.soa, Answer::Error(_)) && matches!(zone.ns, Answer::Error(_)));
}

#[test]
fn empty_input_gives_empty_output() {
    let dns = dns(server());
    assert!(dns.addresses(&[]).is_empty());
    assert!(dns.zone(&[]).is_empty());
    assert!(dns.reverse(&[]).is_empty());
}

#[test]
fn zero_concurrency_and_attempts_are_clamped() {
    let dns = Dns::new(&DnsOptions {
        nameserver: Some(server()),
        concurrency: 0,
        attempts: 0,
        ..DnsOptions::default()
    })
    .expect("resolver");
    assert_eq!(
        dns.addresses(&names(&["pc0424.corp.test"]))[0].1,
        records(&["10.1.4.21"])
    );
}

#[test]
fn nameserver_argument() {
    let ok = |s: &str| parse_nameserver(s).expect(s).to_string();
    assert_eq!(ok("10.0.0.53"), "10.0.0.53:53");
    assert_eq!(ok(" 10.0.0.53:5353 "), "10.0.0.53:5353");
    assert_eq!(ok("::1"), "[::1]:53");
    assert_eq!(ok("[::1]"), "[::1]:53");
    assert_eq!(ok("[2001:db8::53]:5353"), "[2001:db8::53]:5353");
    for bad in [
        "",
        "dns.corp.test",
        "dns.corp.test:53",
        "10.0.0.53:",
        "10.0.0.53:0",
        "10.0.0.53:65536",
        "10.0.0.256",
        "::1:53:x",
        "[::1]:",
        "[10.0.0.53]:53",
        "2001:db8::53]:53",
    ] {
        assert!(parse_nameserver(bad).is_err(), "{bad:?} accepted");
    }
}

#[test]
fn refuses_to_run_inside_an_async_runtime() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let _guard = rt.enter();
    assert!(Dns::new(&DnsOptions::default()).is_err());
}
