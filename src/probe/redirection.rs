//! AMT redirection handshake on 16994: StartRedirectionSession for SOL before any login, read the
//! reply (status, protocol and firmware revisions, OEM IANA), then EndRedirectionSession.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout_at};

use super::tcp;

/// StartRedirectionSession for "SOL ".
const START_SESSION: [u8; 8] = [0x10, 0x00, 0x00, 0x00, 0x53, 0x4F, 0x4C, 0x20];
/// EndRedirectionSession.
const END_SESSION: [u8; 4] = [0x12, 0x00, 0x00, 0x00];
/// StartRedirectionSessionReply.
const REPLY: u8 = 0x11;
/// Type, status and two reserved bytes; a failing status may come with nothing more.
const HEADER_LEN: usize = 4;
/// Revisions (4 bytes), OEM IANA (4) and the OEM data length (1), after the header.
const BODY_LEN: usize = 9;
/// Bytes before the OEM data in a complete reply.
const FIXED_LEN: usize = HEADER_LEN + BODY_LEN;

/// A StartRedirectionSessionReply.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Redirection {
    /// 0 = success; otherwise the session was refused (1 unknown type, 2 busy, 3 unsupported,
    /// 0xFF error, as seen in public clients).
    pub status: u8,
    /// Protocol revision "major.minor", e.g. "1.0"; empty when a failing reply stopped after
    /// its 4-byte header.
    pub protocol: String,
    /// Session-manager firmware revision "major.minor", e.g. "11.8"; empty as for `protocol`.
    pub firmware: String,
    /// OEM IANA enterprise number (little-endian on the wire; Intel is 343); 0 when absent.
    pub oem_iana: u32,
}

/// Decodes `11 ss 00 00 PM Pm FM Fm II II II II LL` followed by LL OEM bytes.
///
/// A non-zero status may stop after the 4-byte header; that decodes with empty revisions and
/// IANA 0. A success reply must be complete, OEM bytes included; bytes after them are ignored.
pub fn decode_reply(buf: &[u8]) -> Result<Redirection, String> {
    let [kind, status, _, _, body @ ..] = buf else {
        return Err(format!(
            "reply of {} bytes, shorter than its header",
            buf.len()
        ));
    };
    if *kind != REPLY {
        return Err(format!("message type 0x{kind:02x}, expected 0x11"));
    }
    match body {
        [pm, pn, fm, fn_, i0, i1, i2, i3, oem_len, oem @ ..] => {
            if oem.len() < usize::from(*oem_len) {
                return Err(format!(
                    "OEM data truncated: {} of {oem_len} bytes",
                    oem.len()
                ));
            }
            Ok(Redirection {
                status: *status,
                protocol: format!("{pm}.{pn}"),
                firmware: format!("{fm}.{fn_}"),
                oem_iana: u32::from_le_bytes([*i0, *i1, *i2, *i3]),
            })
        }
        _ if *status != 0 => Ok(Redirection {
            status: *status,
            protocol: String::new(),
            firmware: String::new(),
            oem_iana: 0,
        }),
        _ => Err(format!(
            "reply truncated: {} of {FIXED_LEN} bytes",
            buf.len()
        )),
    }
}

/// Connects to `addr` (normally port 16994), starts a SOL redirection session without logging
/// in, reads the reply, ends the session and closes.
///
/// The whole exchange, connect included, ends within `timeout`. Errors say which step failed:
/// "connect: refused|timeout|unreachable", a send or read error, a timeout waiting for the
/// reply, or why the reply does not decode.
pub async fn handshake(addr: SocketAddr, timeout: Duration) -> Result<Redirection, String> {
    let deadline = Instant::now() + timeout;
    let (state, stream) = tcp::connect(addr, timeout).await;
    let Some(mut stream) = stream else {
        return Err(format!("connect: {state}"));
    };
    send(&mut stream, &START_SESSION, deadline).await?;
    let reply = read_reply(&mut stream, deadline).await?;
    // The reply is what counts: a failed goodbye changes nothing.
    let _ = send(&mut stream, &END_SESSION, deadline).await;
    let _ = timeout_at(deadline, stream.shutdown()).await;
    decode_reply(&reply)
}

async fn send(stream: &mut TcpStream, bytes: &[u8], deadline: Instant) -> Result<(), String> {
    match timeout_at(deadline, stream.write_all(bytes)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(err)) => Err(format!("send: {err}")),
        Err(_) => Err("send: timeout".to_string()),
    }
}

/// Reads exactly one reply: the header, then (on success status) the body and LL OEM bytes.
/// LL is one byte, so a reply is at most 13 + 255 bytes.
async fn read_reply(stream: &mut TcpStream, deadline: Instant) -> Result<Vec<u8>, String> {
    let mut header = [0u8; HEADER_LEN];
    read_exact(stream, &mut header, deadline).await?;
    let [kind, status, _, _] = header;
    if kind != REPLY {
        return Err(format!("message type 0x{kind:02x}, expected 0x11"));
    }
    let mut reply = header.to_vec();
    if status != 0 {
        return Ok(reply);
    }
    let mut body = [0u8; BODY_LEN];
    read_exact(stream, &mut body, deadline).await?;
    reply.extend_from_slice(&body);
    let [.., oem_len] = body;
    let mut oem = vec![0u8; usize::from(oem_len)];
    read_exact(stream, &mut oem, deadline).await?;
    reply.extend_from_slice(&oem);
    Ok(reply)
}

async fn read_exact(
    stream: &mut TcpStream,
    buf: &mut [u8],
    deadline: Instant,
) -> Result<(), String> {
    match timeout_at(deadline, stream.read_exact(buf)).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(err)) if err.kind() == io::ErrorKind::UnexpectedEof => {
            Err("reply truncated: connection closed".to_string())
        }
        Ok(Err(err)) => Err(format!("read: {err}")),
        Err(_) => Err("read: timeout waiting for the reply".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::net::TcpListener;

    /// AMT 11.8 answering with protocol 1.0, Intel's IANA and no OEM data.
    const REPLY_OK: [u8; 13] = [
        0x11, 0x00, 0x00, 0x00, 0x01, 0x00, 0x0B, 0x08, 0x57, 0x01, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn decodes_success() {
        assert_eq!(
            decode_reply(&REPLY_OK).unwrap(),
            Redirection {
                status: 0,
                protocol: "1.0".into(),
                firmware: "11.8".into(),
                oem_iana: 343,
            }
        );
    }

    #[test]
    fn decodes_oem_data() {
        let mut reply = REPLY_OK.to_vec();
        reply[12] = 3;
        reply.extend_from_slice(b"abc");
        assert_eq!(decode_reply(&reply).unwrap().firmware, "11.8");
        let err = decode_reply(&reply[..15]).unwrap_err();
        assert!(err.contains("OEM data truncated: 2 of 3"), "{err}");
    }

    #[test]
    fn failing_status() {
        let busy = decode_reply(&[0x11, 0x02, 0x00, 0x00]).unwrap();
        assert_eq!(busy.status, 2);
        assert_eq!((busy.protocol.as_str(), busy.oem_iana), ("", 0));
        let mut full = REPLY_OK;
        full[1] = 0xFF;
        let refused = decode_reply(&full).unwrap();
        assert_eq!((refused.status, refused.firmware.as_str()), (0xFF, "11.8"));
    }

    #[test]
    fn rejects_garbage_and_truncation() {
        assert!(decode_reply(&[]).is_err());
        assert!(decode_reply(&[0x11, 0x00, 0x00]).is_err());
        assert!(
            decode_reply(&REPLY_OK[..12])
                .unwrap_err()
                .contains("12 of 13")
        );
        assert!(
            decode_reply(b"HTTP/1.1 400 Bad Request")
                .unwrap_err()
                .contains("0x48")
        );
    }

    /// A TCP responder on loopback: checks the request, writes `reply`, then hands back what
    /// the client sends until it closes (the goodbye).
    async fn responder(reply: &'static [u8]) -> (SocketAddr, tokio::task::JoinHandle<Vec<u8>>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let (mut peer, _) = listener.accept().await.unwrap();
            let mut request = [0u8; 8];
            peer.read_exact(&mut request).await.unwrap();
            assert_eq!(request, START_SESSION);
            peer.write_all(reply).await.unwrap();
            let mut rest = Vec::new();
            let _ = peer.read_to_end(&mut rest).await;
            rest
        });
        (addr, task)
    }

    const SHORT: Duration = Duration::from_millis(300);

    #[tokio::test]
    async fn handshake_with_responder() {
        let (addr, task) = responder(&REPLY_OK).await;
        let found = handshake(addr, SHORT).await.unwrap();
        assert_eq!(found.firmware, "11.8");
        assert_eq!(found.oem_iana, 343);
        assert_eq!(task.await.unwrap(), END_SESSION);
    }

    #[tokio::test]
    async fn handshake_reads_oem_bytes_in_pieces() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut peer, _) = listener.accept().await.unwrap();
            let mut request = [0u8; 8];
            peer.read_exact(&mut request).await.unwrap();
            let mut reply = REPLY_OK.to_vec();
            reply[12] = 4;
            reply.extend_from_slice(b"OEM!");
            for piece in reply.chunks(3) {
                peer.write_all(piece).await.unwrap();
                peer.flush().await.unwrap();
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            let mut rest = Vec::new();
            let _ = peer.read_to_end(&mut rest).await;
        });
        assert_eq!(handshake(addr, SHORT).await.unwrap().protocol, "1.0");
    }

    #[tokio::test]
    async fn busy_reply_without_body() {
        let (addr, task) = responder(&[0x11, 0x02, 0x00, 0x00]).await;
        assert_eq!(handshake(addr, SHORT).await.unwrap().status, 2);
        assert_eq!(task.await.unwrap(), END_SESSION);
    }

    #[tokio::test]
    async fn garbage_reply() {
        let (addr, _task) = responder(b"SSH-2.0-OpenSSH_9.6\r\n").await;
        let err = handshake(addr, SHORT).await.unwrap_err();
        assert!(err.contains("0x53"), "{err}");
    }

    /// The peer sends 9 of 13 bytes and closes.
    #[tokio::test]
    async fn truncated_reply() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut peer, _) = listener.accept().await.unwrap();
            let mut request = [0u8; 8];
            peer.read_exact(&mut request).await.unwrap();
            peer.write_all(&REPLY_OK[..9]).await.unwrap();
        });
        let started = Instant::now();
        let err = handshake(addr, SHORT).await.unwrap_err();
        assert!(err.contains("truncated"), "{err}");
        assert!(started.elapsed() < SHORT * 5);
    }

    #[tokio::test(start_paused = true)]
    async fn oem_length_promising_more_than_sent() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut peer, _) = listener.accept().await.unwrap();
            let mut request = [0u8; 8];
            peer.read_exact(&mut request).await.unwrap();
            let mut reply = REPLY_OK;
            reply[12] = 0xFF;
            peer.write_all(&reply).await.unwrap();
            // Keeps the connection open without sending the OEM bytes.
            tokio::time::sleep(Duration::from_secs(30)).await;
        });
        let started = Instant::now();
        let err = handshake(addr, SHORT).await.unwrap_err();
        assert!(err.contains("timeout"), "{err}");
        // On the paused clock: exactly the one timeout, not a moment more.
        assert_eq!(started.elapsed(), SHORT);
    }

    #[tokio::test(start_paused = true)]
    async fn silent_peer_times_out() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (_peer, _) = listener.accept().await.unwrap();
            tokio::time::sleep(Duration::from_secs(30)).await;
        });
        let started = Instant::now();
        let err = handshake(addr, SHORT).await.unwrap_err();
        assert!(err.contains("timeout"), "{err}");
        // On the paused clock: exactly the one timeout, not a moment more.
        assert_eq!(started.elapsed(), SHORT);
    }

    #[tokio::test]
    async fn refused_port() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        assert_eq!(
            handshake(addr, SHORT).await.unwrap_err(),
            "connect: refused"
        );
    }

    #[tokio::test]
    async fn peer_that_closes_at_once() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (peer, _) = listener.accept().await.unwrap();
            drop(peer);
        });
        let err = handshake(addr, SHORT).await.unwrap_err();
        assert!(!err.is_empty());
    }
}
