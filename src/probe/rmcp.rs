//! RMCP/ASF presence ping on UDP 623: builds the request, decodes Intel's pong and sends pings.
//! A pong with OEM IANA 343 proves an ME at the address and gives its port, version and state.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use tokio::net::UdpSocket;
use tokio::time::{Instant, timeout, timeout_at};

/// RMCP version 1.0 as ASF encodes it.
const RMCP_VERSION: u8 = 0x06;
/// Sequence number 0xFF: the sender wants no RMCP ACK.
const SEQUENCE_NO_ACK: u8 = 0xFF;
/// RMCP message class ASF (bit 7 clear: a message, not an ACK).
const CLASS_ASF: u8 = 0x06;
/// ASF's IANA enterprise number, 4542.
const ASF_IANA: [u8; 4] = [0x00, 0x00, 0x11, 0xBE];
const TYPE_PRESENCE_PING: u8 = 0x80;
const TYPE_PRESENCE_PONG: u8 = 0x40;
/// Intel's IANA enterprise number.
const INTEL_IANA: u32 = 343;
/// Shorter datagrams are RMCP ACKs or junk; byte 19 (provisioning) is the last one needed.
const MIN_PONG_LEN: usize = 20;
/// Pong byte 19, bit 2: 16992 and 16993 both open (MeshCentral `amtscanner.js`, `dualPorts`).
const BOTH_PORTS_BIT: u8 = 0x04;
/// Receive buffer; a pong is 28 bytes and longer datagrams are truncated by the kernel.
const RECV_BUF_LEN: usize = 512;
/// Tag sent in every ping of one call; each call has its own socket, so one tag is enough.
const PING_TAG: u8 = 0x5C;

/// The ME's provisioning state (pong byte 19, bits 0-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provisioning {
    /// 0: not configured.
    None,
    /// 1: provisioning in progress.
    InProgress,
    /// 2: provisioning completed.
    Completed,
}

/// What a valid presence pong from an Intel ME says.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Pong {
    /// "major.minor", e.g. "11.8"; `None` when the pong carries no version (AMT before 6.0).
    pub amt_version: Option<String>,
    /// `None` for the undefined value 3.
    pub provisioning: Option<Provisioning>,
    /// The open AMT port (16992 or 16993); `None` when AMT is present but not set up.
    pub port: Option<u16>,
    /// Byte 19 bit 2: both 16992 and 16993 are open, whatever `port` says. MeshCentral's
    /// `amtscanner.js` (`parseRmcpPacket`) reads it so (`dualPorts`) and then takes the device
    /// for a TLS one; Intel's reference guide documents only bits 0-1.
    pub both_ports: bool,
}

impl Pong {
    /// The ports the pong says are open: both, the one named, or none (not set up).
    pub fn open_ports(&self) -> Vec<u16> {
        open_ports(self.port, self.both_ports)
    }
}

/// The ports a pong advertises, from its port field and its both-ports bit.
pub fn open_ports(port: Option<u16>, both_ports: bool) -> Vec<u16> {
    if both_ports {
        return vec![16992, 16993];
    }
    port.into_iter().collect()
}

/// The 12-byte ASF Presence Ping carrying `tag`, which the pong echoes.
pub fn presence_ping(tag: u8) -> [u8; 12] {
    let [i0, i1, i2, i3] = ASF_IANA;
    [
        RMCP_VERSION,
        0x00,
        SEQUENCE_NO_ACK,
        CLASS_ASF,
        i0,
        i1,
        i2,
        i3,
        TYPE_PRESENCE_PING,
        tag,
        0x00,
        0x00,
    ]
}

/// Decodes a presence pong answering a ping with `tag`.
///
/// Errors name the first check that failed: short datagram (an RMCP ACK), RMCP version, class,
/// ASF IANA, message type, tag, or an OEM IANA other than Intel's 343. The IPMI bit is ignored.
pub fn decode_pong(buf: &[u8], tag: u8) -> Result<Pong, String> {
    let too_short = || {
        format!(
            "{} bytes: shorter than a pong ({MIN_PONG_LEN}), likely an RMCP ACK",
            buf.len()
        )
    };
    let (header, rest) = buf.split_first_chunk::<12>().ok_or_else(too_short)?;
    let (fields, tail) = rest.split_first_chunk::<8>().ok_or_else(too_short)?;
    let [version, _, _, class, a0, a1, a2, a3, kind, echoed, _, _] = *header;
    let [o0, o1, o2, o3, p0, p1, ver, state] = *fields;
    check_header(version, class, [a0, a1, a2, a3], kind, echoed, tag)?;
    let oem_iana = u32::from_be_bytes([o0, o1, o2, o3]);
    if oem_iana != INTEL_IANA {
        return Err(format!("OEM IANA {oem_iana}, not Intel ({INTEL_IANA})"));
    }
    Ok(Pong {
        amt_version: amt_version(ver, tail),
        provisioning: provisioning(state),
        port: amt_port([p0, p1]),
        both_ports: state & BOTH_PORTS_BIT != 0,
    })
}

fn check_header(
    version: u8,
    class: u8,
    iana: [u8; 4],
    kind: u8,
    echoed: u8,
    tag: u8,
) -> Result<(), String> {
    if version != RMCP_VERSION {
        return Err(format!("RMCP version 0x{version:02x}, expected 0x06"));
    }
    if class != CLASS_ASF {
        return Err(format!("RMCP class 0x{class:02x}, expected ASF (0x06)"));
    }
    if iana != ASF_IANA {
        return Err(format!(
            "IANA {}, expected ASF (4542)",
            u32::from_be_bytes(iana)
        ));
    }
    if kind != TYPE_PRESENCE_PONG {
        return Err(format!(
            "message type 0x{kind:02x}, expected a presence pong (0x40)"
        ));
    }
    if echoed != tag {
        return Err(format!("tag 0x{echoed:02x}, expected 0x{tag:02x}"));
    }
    Ok(())
}

/// Byte 18 holds major/minor nibbles; when it is 0, bytes 22/23 hold them (AMT 16 and later).
/// `tail` starts at byte 20.
fn amt_version(packed: u8, tail: &[u8]) -> Option<String> {
    if packed != 0 {
        return Some(format!("{}.{}", packed >> 4, packed & 0x0F));
    }
    match tail {
        [_, _, major, minor, ..] if *major != 0 => Some(format!("{major}.{minor}")),
        _ => None,
    }
}

fn provisioning(state: u8) -> Option<Provisioning> {
    match state & 0x03 {
        0 => Some(Provisioning::None),
        1 => Some(Provisioning::InProgress),
        2 => Some(Provisioning::Completed),
        _ => None,
    }
}

/// Big-endian port; 0 means "present, not set up".
fn amt_port(bytes: [u8; 2]) -> Option<u16> {
    match u16::from_be_bytes(bytes) {
        0 => None,
        port => Some(port),
    }
}

/// Sends up to `tries` presence pings to `addr` (normally port 623) from an ephemeral UDP socket
/// connected to it, and returns the first valid pong.
///
/// Each try waits at most `timeout` for the pong; RMCP ACKs and invalid pongs are skipped without
/// extending the wait, and the kernel drops datagrams from any other address. Because the socket
/// is connected, an ICMP port-unreachable arrives as "refused" and ends the ping at once instead
/// of waiting out every try. `None` means silence or refusal, which is inconclusive: the ME may
/// have RMCP ping responses disabled.
pub async fn ping(addr: SocketAddr, timeout: Duration, tries: u8) -> Option<Pong> {
    let socket = connect_ephemeral(addr, timeout).await?;
    let request = presence_ping(PING_TAG);
    for _ in 0..tries {
        match one_try(&socket, &request, timeout).await {
            Try::Pong(pong) => return Some(pong),
            Try::Refused => return None,
            Try::Nothing => {}
        }
    }
    None
}

async fn connect_ephemeral(peer: SocketAddr, limit: Duration) -> Option<UdpSocket> {
    let local = match peer {
        SocketAddr::V4(_) => SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)),
        SocketAddr::V6(_) => SocketAddr::from((Ipv6Addr::UNSPECIFIED, 0)),
    };
    let socket = timeout(limit, UdpSocket::bind(local)).await.ok()?.ok()?;
    socket.connect(peer).await.ok()?;
    Some(socket)
}

/// How one try ended.
enum Try {
    Pong(Pong),
    /// ICMP port-unreachable: nothing listens on the RMCP port; more tries cannot change that.
    Refused,
    /// Silence until the deadline (or a send that failed).
    Nothing,
}

/// One ping and the wait for its pong; the whole try ends by its deadline.
async fn one_try(socket: &UdpSocket, request: &[u8], limit: Duration) -> Try {
    let deadline = Instant::now() + limit;
    let refused = |e: &std::io::Error| e.kind() == std::io::ErrorKind::ConnectionRefused;
    match timeout_at(deadline, socket.send(request)).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) if refused(&e) => return Try::Refused,
        _ => return Try::Nothing,
    }
    let mut buf = [0u8; RECV_BUF_LEN];
    loop {
        // A timeout only fires when the read is pending; a flooding peer keeps it ready.
        if Instant::now() >= deadline {
            return Try::Nothing;
        }
        let len = match timeout_at(deadline, socket.recv(&mut buf)).await {
            Ok(Ok(len)) => len,
            Ok(Err(e)) if refused(&e) => return Try::Refused,
            _ => return Try::Nothing,
        };
        if let Some(pong) = buf.get(..len).and_then(|d| decode_pong(d, PING_TAG).ok()) {
            return Try::Pong(pong);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pong as AMT 11.8 sends it: port 16992, provisioning completed.
    const PONG_11_8: [u8; 28] = [
        0x06, 0x00, 0xFF, 0x06, 0x00, 0x00, 0x11, 0xBE, 0x40, 0x5C, 0x00, 0x10, // header
        0x00, 0x00, 0x01, 0x57, // OEM IANA 343
        0x42, 0x60, // port 16992
        0xB8, // version 11.8
        0x02, // provisioning completed
        0x81, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    fn pong_with(changes: &[(usize, u8)]) -> Vec<u8> {
        let mut pong = PONG_11_8.to_vec();
        for &(at, value) in changes {
            pong[at] = value;
        }
        pong
    }

    #[test]
    fn ping_bytes() {
        assert_eq!(
            presence_ping(0xA7),
            [
                0x06, 0x00, 0xFF, 0x06, 0x00, 0x00, 0x11, 0xBE, 0x80, 0xA7, 0x00, 0x00
            ]
        );
    }

    #[test]
    fn decodes_amt_11_8() {
        let pong = decode_pong(&PONG_11_8, 0x5C).unwrap();
        assert_eq!(
            pong,
            Pong {
                amt_version: Some("11.8".into()),
                provisioning: Some(Provisioning::Completed),
                port: Some(16992),
                both_ports: false,
            }
        );
    }

    #[test]
    fn both_ports_bit() {
        let pong = decode_pong(&pong_with(&[(19, 0x06)]), 0x5C).unwrap();
        assert!(pong.both_ports);
        assert_eq!(pong.open_ports(), [16992, 16993]);
        let tls_only = decode_pong(&pong_with(&[(17, 0x61)]), 0x5C).unwrap();
        assert!(!tls_only.both_ports);
        assert_eq!(tls_only.open_ports(), [16993]);
        let unset = decode_pong(&pong_with(&[(16, 0), (17, 0), (19, 0)]), 0x5C).unwrap();
        assert!(unset.open_ports().is_empty());
    }

    #[test]
    fn amt_16_version_from_bytes_22_23() {
        let pong = decode_pong(&pong_with(&[(18, 0x00), (22, 16), (23, 1)]), 0x5C).unwrap();
        assert_eq!(pong.amt_version.as_deref(), Some("16.1"));
        let pong = decode_pong(&pong_with(&[(18, 0x00), (22, 19), (23, 0)]), 0x5C).unwrap();
        assert_eq!(pong.amt_version.as_deref(), Some("19.0"));
    }

    #[test]
    fn no_version_when_all_zero_or_missing() {
        let pong = decode_pong(&pong_with(&[(18, 0x00)]), 0x5C).unwrap();
        assert_eq!(pong.amt_version, None);
        let short = pong_with(&[(18, 0x00)]);
        let pong = decode_pong(&short[..22], 0x5C).unwrap();
        assert_eq!(pong.amt_version, None);
    }

    #[test]
    fn twenty_bytes_are_enough() {
        let pong = decode_pong(&PONG_11_8[..20], 0x5C).unwrap();
        assert_eq!(pong.amt_version.as_deref(), Some("11.8"));
    }

    #[test]
    fn provisioning_states() {
        let state = |b: u8| {
            decode_pong(&pong_with(&[(19, b)]), 0x5C)
                .unwrap()
                .provisioning
        };
        assert_eq!(state(0x00), Some(Provisioning::None));
        assert_eq!(state(0x01), Some(Provisioning::InProgress));
        assert_eq!(state(0x02), Some(Provisioning::Completed));
        assert_eq!(state(0x03), None);
        // Bit 2 ("both ports open" for some readers) does not change the state.
        assert_eq!(state(0x06), Some(Provisioning::Completed));
    }

    #[test]
    fn ports() {
        let port = |hi: u8, lo: u8| {
            decode_pong(&pong_with(&[(16, hi), (17, lo)]), 0x5C)
                .unwrap()
                .port
        };
        assert_eq!(port(0x42, 0x60), Some(16992));
        assert_eq!(port(0x42, 0x61), Some(16993));
        assert_eq!(port(0x00, 0x00), None);
    }

    #[test]
    fn ipmi_bit_is_not_a_filter() {
        for entities in [0x00, 0x80, 0x81, 0xFF] {
            assert!(decode_pong(&pong_with(&[(20, entities)]), 0x5C).is_ok());
        }
    }

    #[test]
    fn rejects_bad_pongs() {
        let ack = [0x06, 0x00, 0xFF, 0x86];
        assert!(decode_pong(&ack, 0x5C).unwrap_err().contains("ACK"));
        assert!(decode_pong(&[], 0x5C).is_err());
        assert!(decode_pong(&PONG_11_8[..19], 0x5C).is_err());
        for (at, value, says) in [
            (0, 0x07, "version"),
            (3, 0x86, "class"),
            (7, 0xBF, "4542"),
            (8, 0x80, "type"),
            (9, 0x5D, "tag"),
            (15, 0x58, "OEM IANA 344"),
        ] {
            let err = decode_pong(&pong_with(&[(at, value)]), 0x5C).unwrap_err();
            assert!(err.contains(says), "byte {at}: {err}");
        }
        assert!(decode_pong(&PONG_11_8, 0x5D).is_err());
    }

    #[test]
    fn provisioning_serialises_kebab_case() {
        let json = serde_json::to_string(&[
            Provisioning::None,
            Provisioning::InProgress,
            Provisioning::Completed,
        ])
        .unwrap();
        assert_eq!(json, r#"["none","in-progress","completed"]"#);
    }

    /// A UDP responder on loopback: for every datagram received, sends `replies(request)` back.
    async fn responder(replies: fn(&[u8]) -> Vec<Vec<u8>>) -> SocketAddr {
        let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let addr = socket.local_addr().unwrap();
        tokio::spawn(async move {
            let mut buf = [0u8; 64];
            while let Ok((len, from)) = socket.recv_from(&mut buf).await {
                for reply in replies(&buf[..len]) {
                    let _ = socket.send_to(&reply, from).await;
                }
            }
        });
        addr
    }

    fn pong_for(request: &[u8]) -> Vec<u8> {
        let mut pong = PONG_11_8.to_vec();
        pong[9] = request[9];
        pong
    }

    const SHORT: Duration = Duration::from_millis(300);

    #[tokio::test]
    async fn pong_from_responder() {
        let addr = responder(|req| vec![pong_for(req)]).await;
        let pong = ping(addr, SHORT, 2).await.unwrap();
        assert_eq!(pong.amt_version.as_deref(), Some("11.8"));
        assert_eq!(pong.port, Some(16992));
    }

    #[tokio::test]
    async fn ack_and_garbage_before_the_pong_are_skipped() {
        let addr = responder(|req| {
            vec![
                vec![0x06, 0x00, 0xFF, 0x86],
                b"garbage that is long enough to be parsed".to_vec(),
                pong_for(req),
            ]
        })
        .await;
        let pong = ping(addr, SHORT, 1).await.unwrap();
        assert_eq!(pong.provisioning, Some(Provisioning::Completed));
    }

    #[tokio::test]
    async fn only_an_ack_is_silence() {
        let addr = responder(|_| vec![vec![0x06, 0x00, 0xFF, 0x86]]).await;
        assert_eq!(ping(addr, SHORT, 2).await, None);
    }

    #[tokio::test]
    async fn non_intel_pong_is_silence() {
        let addr = responder(|req| {
            let mut pong = pong_for(req);
            pong[15] = 0x00;
            vec![pong]
        })
        .await;
        assert_eq!(ping(addr, SHORT, 1).await, None);
    }

    #[tokio::test]
    async fn pong_from_another_address_is_ignored() {
        // The responder answers from a second socket, i.e. another port.
        let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let addr = socket.local_addr().unwrap();
        tokio::spawn(async move {
            let other = UdpSocket::bind("127.0.0.1:0").await.unwrap();
            let mut buf = [0u8; 64];
            while let Ok((len, from)) = socket.recv_from(&mut buf).await {
                let _ = other.send_to(&pong_for(&buf[..len]), from).await;
            }
        });
        assert_eq!(ping(addr, SHORT, 1).await, None);
    }

    #[tokio::test(start_paused = true)]
    async fn silent_peer_ends_within_the_tries() {
        let silent = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let addr = silent.local_addr().unwrap();
        let started = Instant::now();
        assert_eq!(ping(addr, SHORT, 2).await, None);
        // On the paused clock: exactly two tries of one timeout each.
        assert_eq!(started.elapsed(), SHORT * 2);
        drop(silent);
    }

    #[tokio::test]
    async fn a_closed_port_is_refused_at_once_not_waited_out() {
        let closed = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let addr = closed.local_addr().unwrap();
        drop(closed);
        // A long timeout and many tries: only the ICMP refusal can end this early.
        let ping = ping(addr, Duration::from_secs(30), 5);
        let ended = tokio::time::timeout(Duration::from_secs(20), ping).await;
        assert_eq!(ended, Ok(None));
    }

    #[tokio::test]
    async fn second_try_gets_the_pong() {
        // Drops the first ping, answers the second.
        let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let addr = socket.local_addr().unwrap();
        tokio::spawn(async move {
            let mut buf = [0u8; 64];
            let _ = socket.recv_from(&mut buf).await;
            if let Ok((len, from)) = socket.recv_from(&mut buf).await {
                let _ = socket.send_to(&pong_for(&buf[..len]), from).await;
            }
        });
        assert!(ping(addr, SHORT, 2).await.is_some());
    }

    #[tokio::test]
    async fn flooding_peer_ends_within_the_tries() {
        let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let addr = socket.local_addr().unwrap();
        tokio::spawn(async move {
            let mut buf = [0u8; 64];
            if let Ok((_, from)) = socket.recv_from(&mut buf).await {
                let junk = [0xEEu8; 28];
                while socket.send_to(&junk, from).await.is_ok() {
                    tokio::task::yield_now().await;
                }
            }
        });
        let started = Instant::now();
        assert_eq!(ping(addr, SHORT, 2).await, None);
        assert!(started.elapsed() < SHORT * 2 * 5);
    }

    #[tokio::test]
    async fn zero_tries_send_nothing() {
        let addr = responder(|req| vec![pong_for(req)]).await;
        assert_eq!(ping(addr, SHORT, 0).await, None);
    }
}
