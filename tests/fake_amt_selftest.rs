//! The fake AMT responder checked with plain std sockets: each behaviour the probe tests rely on
//! (pong bytes, banner, Digest challenge and login, redirection, refused and silent ports).

mod support;

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream, UdpSocket};
use std::time::{Duration, Instant};
use support::fake_amt::{
    self, AmtSettings, EthernetPort, FakeAmt, HTTP_PORT, Pong, REDIRECTION_PORT, TLS_PORT,
};

const T: Duration = Duration::from_secs(3);

// ---------------------------------------------------------------------------------------------
// A minimal client

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect_timeout(&addr, T).expect("connect");
    stream.set_read_timeout(Some(T)).unwrap();
    stream
}

/// Send `method path` with `headers` and `body`, read one response.
fn send(
    stream: &mut TcpStream,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: fake\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(request.as_bytes()).unwrap();
    read_reply(stream)
}

fn read_reply(stream: &mut TcpStream) -> Reply {
    let mut buf = Vec::new();
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut response = httparse::Response::new(&mut headers);
        if let httparse::Status::Complete(len) = response.parse(&buf).expect("valid response") {
            let reply = Reply {
                status: response.code.unwrap(),
                headers: response
                    .headers
                    .iter()
                    .map(|h| {
                        (
                            h.name.to_owned(),
                            String::from_utf8_lossy(h.value).into_owned(),
                        )
                    })
                    .collect(),
                body: Vec::new(),
            };
            return read_body(stream, reply, buf.split_off(len));
        }
        read_more(stream, &mut buf);
    }
}

fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>) {
    let mut chunk = [0u8; 4096];
    let n = stream.read(&mut chunk).expect("read");
    assert!(n > 0, "connection closed mid-response");
    buf.extend_from_slice(&chunk[..n]);
}

fn read_body(stream: &mut TcpStream, mut reply: Reply, mut rest: Vec<u8>) -> Reply {
    if reply.header("transfer-encoding") == Some("chunked") {
        reply.body = read_chunked(stream, rest);
        return reply;
    }
    let length: usize = reply.header("content-length").unwrap().parse().unwrap();
    while rest.len() < length {
        read_more(stream, &mut rest);
    }
    rest.truncate(length);
    reply.body = rest;
    reply
}

fn read_chunked(stream: &mut TcpStream, mut buf: Vec<u8>) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(i) = buf.windows(2).position(|w| w == b"\r\n") {
                break i;
            }
            read_more(stream, &mut buf);
        };
        let size =
            usize::from_str_radix(std::str::from_utf8(&buf[..line_end]).unwrap(), 16).unwrap();
        while buf.len() < line_end + 2 + size + 2 {
            read_more(stream, &mut buf);
        }
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&buf[line_end + 2..line_end + 2 + size]);
        buf.drain(..line_end + 2 + size + 2);
    }
}

fn get(addr: SocketAddr, path: &str) -> Reply {
    send(&mut connect(addr), "GET", path, &[], "")
}

/// The value of `key` in a `WWW-Authenticate: Digest` challenge (quoted values only).
fn challenge_param(challenge: &str, key: &str) -> String {
    let start = challenge
        .find(&format!("{key}=\""))
        .expect("parameter present")
        + key.len()
        + 2;
    let len = challenge[start..].find('"').unwrap();
    challenge[start..start + len].to_owned()
}

fn md5_hex(text: &str) -> String {
    use md5::Digest;
    md5::Md5::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// RFC 2617 §3.2.2 by hand: MD5(HA1:nonce:nc:cnonce:qop:HA2).
fn hand_digest(user: &str, realm: &str, password: &str, uri: &str, nonce: &str) -> String {
    let ha1 = md5_hex(&format!("{user}:{realm}:{password}"));
    let ha2 = md5_hex(&format!("POST:{uri}"));
    let response = md5_hex(&format!("{ha1}:{nonce}:00000001:0a4f113b:auth:{ha2}"));
    format!(
        "Digest username=\"{user}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", qop=auth, nc=00000001, cnonce=\"0a4f113b\", response=\"{response}\", algorithm=MD5"
    )
}

const IDENTIFY: &str = r#"<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsmid="http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd"><s:Header/><s:Body><wsmid:Identify/></s:Body></s:Envelope>"#;

fn get_body(class: &str, selector: Option<&str>) -> String {
    let selectors = selector
        .map(|id| {
            format!(
                r#"<w:SelectorSet><w:Selector Name="InstanceID">{id}</w:Selector></w:SelectorSet>"#
            )
        })
        .unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><Envelope xmlns="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"><Header><a:Action>http://schemas.xmlsoap.org/ws/2004/09/transfer/Get</a:Action><a:To>/wsman</a:To><w:ResourceURI>http://intel.com/wbem/wscim/1/amt-schema/1/{class}</w:ResourceURI><a:MessageID>uuid:7</a:MessageID><a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>{selectors}</Header><Body/></Envelope>"#
    )
}

const SOAP: (&str, &str) = ("Content-Type", "application/soap+xml;charset=UTF-8");

// ---------------------------------------------------------------------------------------------
// RMCP

#[test]
fn pong_encoding_is_byte_exact() {
    let pong = Pong::new(11, 8);
    #[rustfmt::skip]
    let expected: [u8; 28] = [
        0x06, 0x00, 0xFF, 0x06, 0x00, 0x00, 0x11, 0xBE, 0x40, 0x2A, 0x00, 0x10,
        0x00, 0x00, 0x01, 0x57, 0x42, 0x60, 0xB8, 0x02, 0x81, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
    ];
    assert_eq!(pong.encode(0x2A), expected);

    let fallback = Pong {
        provisioning: 1,
        open_port: Some(TLS_PORT),
        ..Pong::new(16, 1)
    };
    #[rustfmt::skip]
    let expected: [u8; 28] = [
        0x06, 0x00, 0xFF, 0x06, 0x00, 0x00, 0x11, 0xBE, 0x40, 0x07, 0x00, 0x10,
        0x00, 0x00, 0x01, 0x57, 0x42, 0x61, 0x00, 0x01, 0x81, 0x00, 0x10, 0x01,
        0x00, 0x00, 0x00, 0x00,
    ];
    assert_eq!(fallback.encode(0x07), expected);

    let unset = Pong {
        provisioning: 0,
        open_port: None,
        ..Pong::new(6, 2)
    };
    assert_eq!(unset.encode(1)[16..20], [0x00, 0x00, 0x62, 0x00]);
}

#[test]
fn ping_encoding_and_recognition() {
    assert_eq!(
        fake_amt::presence_ping(0x5C),
        [
            0x06, 0x00, 0xFF, 0x06, 0x00, 0x00, 0x11, 0xBE, 0x80, 0x5C, 0x00, 0x00
        ]
    );
    assert_eq!(fake_amt::ping_tag(&fake_amt::presence_ping(9)), Some(9));
    assert_eq!(fake_amt::ping_tag(&fake_amt::presence_ping(9)[..11]), None);
    assert_eq!(
        fake_amt::ping_tag(&Pong::new(11, 8).encode(9)),
        None,
        "a pong is no ping"
    );
    assert_eq!(fake_amt::ping_tag(b"GET / HTTP/1.1\r\n"), None);
}

fn udp_to(addr: SocketAddr) -> UdpSocket {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.connect(addr).unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    sock
}

#[test]
fn rmcp_answers_a_ping_with_the_exact_pong() {
    let pong = Pong::new(11, 8);
    let dev = FakeAmt::new(fake_amt::free_loopback_ip())
        .rmcp(pong.clone())
        .start();
    assert_eq!(dev.rmcp_addr().port(), fake_amt::DEFAULT_RMCP_PORT);
    let sock = udp_to(dev.rmcp_addr());
    sock.send(b"garbage").unwrap();
    sock.send(&fake_amt::presence_ping(0x33)).unwrap();
    let mut buf = [0u8; 64];
    let n = sock.recv(&mut buf).expect("pong");
    assert_eq!(buf[..n], pong.encode(0x33));
    assert!(sock.recv(&mut buf).is_err(), "garbage gets no answer");
    assert_eq!(dev.pings(), 1);
}

#[test]
fn rmcp_can_drop_the_first_ping_and_send_an_ack() {
    let dev = FakeAmt::new(fake_amt::free_loopback_ip())
        .rmcp(Pong::new(12, 0))
        .rmcp_port(0)
        .rmcp_ignore_first(1)
        .rmcp_ack(true)
        .start();
    let sock = udp_to(dev.rmcp_addr());
    let mut buf = [0u8; 64];
    sock.send(&fake_amt::presence_ping(1)).unwrap();
    assert!(sock.recv(&mut buf).is_err(), "first ping ignored");
    sock.send(&fake_amt::presence_ping(2)).unwrap();
    assert_eq!(sock.recv(&mut buf).unwrap(), 4, "the ACK comes first");
    assert_eq!(buf[..4], [0x06, 0x00, 0xFF, 0x86]);
    let n = sock.recv(&mut buf).unwrap();
    assert_eq!(buf[..n], Pong::new(12, 0).encode(2));
}

#[test]
fn rmcp_off_silent_and_raw() {
    let ip = fake_amt::free_loopback_ip();
    let off = FakeAmt::new(ip).start();
    let sock = udp_to(off.rmcp_addr());
    sock.send(&fake_amt::presence_ping(1)).unwrap();
    let err = sock.recv(&mut [0u8; 64]).unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::ConnectionRefused,
        "nothing bound: ICMP unreachable"
    );
    drop(off);

    let silent = FakeAmt::new(fake_amt::free_loopback_ip())
        .rmcp_silent()
        .start();
    let sock = udp_to(silent.rmcp_addr());
    sock.send(&fake_amt::presence_ping(1)).unwrap();
    let err = sock.recv(&mut [0u8; 64]).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
        "{err}"
    );
    assert_eq!(silent.pings(), 1);

    let raw = FakeAmt::new(fake_amt::free_loopback_ip())
        .rmcp_raw(vec![0x06, 0x00])
        .start();
    let sock = udp_to(raw.rmcp_addr());
    sock.send(&fake_amt::presence_ping(1)).unwrap();
    let mut buf = [0u8; 64];
    let n = sock.recv(&mut buf).unwrap();
    assert_eq!(buf[..n], [0x06, 0x00]);
}

// ---------------------------------------------------------------------------------------------
// HTTP and WS-Man

#[test]
fn http_banner_and_logon_redirect() {
    let dev = FakeAmt::new(fake_amt::free_loopback_ip())
        .http("11.8.50.3425")
        .start();
    let reply = get(dev.addr(HTTP_PORT), "/");
    assert_eq!(reply.status, 303);
    assert_eq!(reply.header("Location"), Some("/logon.htm"));
    assert_eq!(
        reply.header("Server"),
        Some("Intel(R) Active Management Technology 11.8.50.3425")
    );
    let logon = get(dev.addr(HTTP_PORT), "/logon.htm");
    assert_eq!(logon.status, 200);
    assert!(logon.text().contains("Active Management Technology"));
    let requests = dev.requests();
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].header("host"), Some("fake"));
}

#[test]
fn protected_paths_get_a_digest_challenge() {
    let dev = FakeAmt::new(fake_amt::free_loopback_ip())
        .http("16.1.25.2124")
        .start();
    let mut stream = connect(dev.addr(HTTP_PORT));
    for (method, path, body) in [("POST", "/wsman", IDENTIFY), ("GET", "/index.htm", "")] {
        let reply = send(&mut stream, method, path, &[SOAP], body);
        assert_eq!(reply.status, 401, "{method} {path}");
        let challenge = reply.header("WWW-Authenticate").unwrap();
        assert!(
            challenge.starts_with("Digest realm=\"Digest:"),
            "{challenge}"
        );
        assert!(
            challenge.ends_with(",stale=\"false\",qop=\"auth\""),
            "{challenge}"
        );
        let realm = challenge_param(challenge, "realm");
        assert_eq!(realm, dev.realm());
        assert_eq!(realm.len(), "Digest:".len() + 32);
        assert_eq!(challenge_param(challenge, "nonce").len(), 32);
    }
}

#[test]
fn unprovisioned_pong_gives_a_zero_realm() {
    let pong = Pong {
        provisioning: 0,
        open_port: None,
        ..Pong::new(11, 8)
    };
    let dev = FakeAmt::new(fake_amt::free_loopback_ip())
        .rmcp(pong)
        .http("11.8.50.3425")
        .start();
    assert_eq!(dev.realm(), "Digest:A4070000000000000000000000000000");
}

#[test]
fn anonymous_identify_answers_200() {
    let dev = FakeAmt::new(fake_amt::free_loopback_ip())
        .http("11.8.50.3425")
        .identify_anonymous(true)
        .start();
    let reply = send(
        &mut connect(dev.addr(HTTP_PORT)),
        "POST",
        "/wsman",
        &[SOAP],
        IDENTIFY,
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("Transfer-Encoding"), Some("chunked"));
    let text = reply.text();
    assert!(
        text.contains("<b:ProductVendor>Intel(r)</b:ProductVendor>"),
        "{text}"
    );
    assert!(
        text.contains("<b:ProductVersion>AMT 11.8</b:ProductVersion>"),
        "{text}"
    );
}

#[test]
fn digest_get_is_accepted_with_a_hand_computed_response() {
    let settings = AmtSettings {
        wireless: Some(EthernetPort {
            dhcp_enabled: false,
            ..EthernetPort::default()
        }),
        ..AmtSettings::default()
    };
    let dev = FakeAmt::new(fake_amt::free_loopback_ip())
        .http("11.8.50.3425")
        .settings(settings)
        .detection_strings(&["corp.example.com", "a&b.example"])
        .credentials("admin", "P@ssw0rd!")
        .chunked(false)
        .start();
    let mut stream = connect(dev.addr(HTTP_PORT));
    let body = get_body("AMT_EnvironmentDetectionSettingData", None);
    let reply = send(&mut stream, "POST", "/wsman", &[SOAP], &body);
    assert_eq!(reply.status, 401);
    let challenge = reply.header("WWW-Authenticate").unwrap().to_owned();
    let (realm, nonce) = (
        challenge_param(&challenge, "realm"),
        challenge_param(&challenge, "nonce"),
    );

    let auth = hand_digest("admin", &realm, "P@ssw0rd!", "/wsman", &nonce);
    let reply = send(
        &mut stream,
        "POST",
        "/wsman",
        &[SOAP, ("Authorization", &auth)],
        &body,
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let text = reply.text();
    assert!(
        text.contains("<g:DetectionStrings>corp.example.com</g:DetectionStrings>"),
        "{text}"
    );
    assert!(
        text.contains("<g:DetectionStrings>a&amp;b.example</g:DetectionStrings>"),
        "{text}"
    );
    assert!(text.contains("<b:RelatesTo>uuid:7</b:RelatesTo>"), "{text}");

    let general = get_body("AMT_GeneralSettings", None);
    let reply = send(
        &mut stream,
        "POST",
        "/wsman",
        &[SOAP, ("Authorization", &auth)],
        &general,
    );
    assert!(reply.text().contains("<g:HostName>pc0423</g:HostName>"));
    assert!(
        reply
            .text()
            .contains(&format!("<g:DigestRealm>{realm}</g:DigestRealm>"))
    );

    let wired = get_body(
        "AMT_EthernetPortSettings",
        Some("Intel(r) AMT Ethernet Port Settings 0"),
    );
    let text = send(
        &mut stream,
        "POST",
        "/wsman",
        &[SOAP, ("Authorization", &auth)],
        &wired,
    )
    .text();
    assert!(
        text.contains(&format!("<g:IPAddress>{}</g:IPAddress>", dev.ip())),
        "{text}"
    );
    let wireless = get_body(
        "AMT_EthernetPortSettings",
        Some("Intel(r) AMT Ethernet Port Settings 1"),
    );
    let text = send(
        &mut stream,
        "POST",
        "/wsman",
        &[SOAP, ("Authorization", &auth)],
        &wireless,
    )
    .text();
    assert!(
        text.contains("<g:DHCPEnabled>false</g:DHCPEnabled>"),
        "{text}"
    );

    let unknown = get_body("AMT_NoSuchClass", None);
    let reply = send(
        &mut stream,
        "POST",
        "/wsman",
        &[SOAP, ("Authorization", &auth)],
        &unknown,
    );
    assert_eq!(reply.status, 400);
    assert!(reply.text().contains("b:DestinationUnreachable"));
}

#[test]
fn digest_with_a_wrong_password_or_unknown_nonce_is_refused() {
    let dev = FakeAmt::new(fake_amt::free_loopback_ip())
        .credentials("admin", "right")
        .start();
    let mut stream = connect(dev.addr(HTTP_PORT));
    let body = get_body("AMT_GeneralSettings", None);
    let challenge = send(&mut stream, "POST", "/wsman", &[SOAP], &body);
    let nonce = challenge_param(challenge.header("WWW-Authenticate").unwrap(), "nonce");
    let wrong = hand_digest("admin", dev.realm(), "wrong", "/wsman", &nonce);
    let reply = send(
        &mut stream,
        "POST",
        "/wsman",
        &[SOAP, ("Authorization", &wrong)],
        &body,
    );
    assert_eq!(reply.status, 401);
    let forged = hand_digest(
        "admin",
        dev.realm(),
        "right",
        "/wsman",
        "0123456789abcdef0123456789abcdef",
    );
    let reply = send(
        &mut stream,
        "POST",
        "/wsman",
        &[SOAP, ("Authorization", &forged)],
        &body,
    );
    assert_eq!(reply.status, 401);
}

#[test]
fn digest_response_matches_rfc_2617() {
    // RFC 2617 §3.5 (its example uses GET, qop=auth).
    let response = fake_amt::digest_response(
        "Mufasa",
        "testrealm@host.com",
        "Circle Of Life",
        "GET",
        "/dir/index.html",
        "dcd98b7102dd2f0e8b11d0f600bfb0c093",
        "00000001",
        "0a4f113b",
    );
    assert_eq!(response, "6629fae49393a05397450978507c4ef1");
}

#[test]
fn plain_web_server_has_another_banner() {
    let dev = FakeAmt::new(fake_amt::free_loopback_ip())
        .plain_web()
        .start();
    let reply = get(dev.addr(HTTP_PORT), "/");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("Server"), Some("nginx/1.24.0"));
    assert_eq!(get(dev.addr(HTTP_PORT), "/wsman").status, 404);
}

#[test]
fn malformed_and_oversized_requests_are_rejected_and_the_server_lives_on() {
    let dev = FakeAmt::new(fake_amt::free_loopback_ip())
        .http("11.8.50.3425")
        .start();
    let mut stream = connect(dev.addr(HTTP_PORT));
    stream.write_all(b"\x00\x01garbage\r\n\r\n").unwrap();
    assert_eq!(read_reply(&mut stream).status, 400);
    let mut stream = connect(dev.addr(HTTP_PORT));
    let huge = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(70 * 1024));
    let _ = stream.write_all(huge.as_bytes());
    assert_eq!(read_reply(&mut stream).status, 431);
    assert_eq!(get(dev.addr(HTTP_PORT), "/").status, 303);
}

// ---------------------------------------------------------------------------------------------
// Redirection, refused, silent, raw, flood

#[test]
fn redirection_handshake_replies_and_closes_on_end() {
    let dev = FakeAmt::new(fake_amt::free_loopback_ip())
        .redirection((11, 8))
        .start();
    let mut stream = connect(dev.addr(REDIRECTION_PORT));
    stream.write_all(&fake_amt::START_SOL).unwrap();
    let mut reply = [0u8; 13];
    stream.read_exact(&mut reply).unwrap();
    assert_eq!(
        reply,
        [
            0x11, 0x00, 0x00, 0x00, 0x01, 0x00, 0x0B, 0x08, 0x57, 0x01, 0x00, 0x00, 0x00
        ]
    );
    stream.write_all(&fake_amt::END_SESSION).unwrap();
    assert_eq!(
        stream.read(&mut [0u8; 16]).unwrap(),
        0,
        "closed after EndRedirectionSession"
    );
}

#[test]
fn refused_ports_are_really_refused() {
    let dev = FakeAmt::new(fake_amt::free_loopback_ip())
        .http("11.8.50.3425")
        .refuse(HTTP_PORT)
        .start();
    for port in [HTTP_PORT, TLS_PORT, REDIRECTION_PORT] {
        let err = TcpStream::connect_timeout(&dev.addr(port), T).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "port {port}");
    }
}

#[test]
fn silent_ports_accept_and_say_nothing() {
    let dev = FakeAmt::new(fake_amt::free_loopback_ip())
        .silent(HTTP_PORT)
        .start();
    let mut stream = connect(dev.addr(HTTP_PORT));
    stream
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let err = stream.read(&mut [0u8; 16]).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
        "{err}"
    );
    assert_eq!(dev.connections(HTTP_PORT), 1);
    drop(dev);
    assert_eq!(
        stream.read(&mut [0u8; 16]).unwrap_or(0),
        0,
        "closed when the device drops"
    );
}

#[test]
fn raw_replies_are_sent_verbatim_then_closed() {
    let truncated = b"HTTP/1.1 200 OK\r\nServer: Intel(R) Act".to_vec();
    let dev = FakeAmt::new(fake_amt::free_loopback_ip())
        .raw(HTTP_PORT, truncated.clone())
        .start();
    let mut stream = connect(dev.addr(HTTP_PORT));
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut got = Vec::new();
    stream.read_to_end(&mut got).unwrap();
    assert_eq!(got, truncated);
}

#[test]
fn flood_streams_without_end() {
    let dev = FakeAmt::new(fake_amt::free_loopback_ip())
        .flood(REDIRECTION_PORT, vec![0x11, 0x00])
        .start();
    let mut stream = connect(dev.addr(REDIRECTION_PORT));
    stream.write_all(&fake_amt::START_SOL).unwrap();
    let mut total = 0usize;
    let mut buf = [0u8; 65536];
    while total < 2 * 1024 * 1024 {
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0);
        total += n;
    }
    drop(stream);
    let started = Instant::now();
    drop(dev);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "drop does not hang on a flood"
    );
}

#[test]
fn dropping_the_device_frees_its_ports() {
    let ip = fake_amt::free_loopback_ip();
    let dev = FakeAmt::new(ip)
        .http("11.8.50.3425")
        .redirection((11, 8))
        .start();
    let _idle = connect(dev.addr(HTTP_PORT)); // an open keep-alive connection must not block drop
    let started = Instant::now();
    drop(dev);
    assert!(started.elapsed() < Duration::from_secs(5));
    let err = TcpStream::connect_timeout(&SocketAddr::from((ip, HTTP_PORT)), T).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionRefused);
    let again = FakeAmt::new(ip).http("11.8.50.3425").start();
    assert_eq!(
        get(again.addr(HTTP_PORT), "/").status,
        303,
        "the address can be reused"
    );
}

#[test]
fn free_loopback_ips_are_distinct_and_local() {
    let ips: Vec<Ipv4Addr> = (0..5).map(|_| fake_amt::free_loopback_ip()).collect();
    for (i, ip) in ips.iter().enumerate() {
        assert!(ip.is_loopback(), "{ip}");
        assert!(ip.octets()[3] != 0 && ip.octets()[3] != 255, "{ip}");
        assert!(
            u32::from(*ip) >= u32::from(Ipv4Addr::new(127, 0, 0, 10)),
            "{ip}"
        );
        assert!(!ips[..i].contains(ip), "{ip} handed out twice");
    }
}
