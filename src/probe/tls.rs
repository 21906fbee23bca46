//! TLS check of AMT's port 16993: connect, handshake with rustls and report the certificate.
//! When rustls cannot talk to the firmware, a hand-built TLS 1.2 hello still reads the certificate.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    AlertDescription, CipherSuite, ClientConfig, DigitallySignedStruct, ProtocolVersion,
    SignatureScheme,
};
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use x509_parser::prelude::{
    ASN1Time, FromDer, GeneralName, ParsedExtension, X509Certificate, X509Name,
};

/// What port 16993 (or any TLS port) answered. In JSON: `{"status": "connected", "version": …}`,
/// `{"status": "incompatible", "reason": …, "certificate": …}`, `{"status": "refused"}` ….
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum TlsOutcome {
    /// rustls completed a handshake.
    Connected(TlsInfo),
    /// TCP connected but no rustls handshake completed: the peer offers only suites rustls lacks
    /// (AMT 11/12: RSA key exchange, finite-field DHE), answered something else, or stayed silent
    /// for the whole timeout. The port is open; `certificate` is read anyway when possible.
    Incompatible {
        /// Why the handshake failed, and what the TLS 1.2 fallback learned or why it failed.
        reason: String,
        /// The leaf certificate, from rustls or from the hand-built TLS 1.2 hello.
        certificate: Option<CertInfo>,
    },
    /// The TCP connect was refused: nothing listens on that address and port.
    Refused,
    /// The TCP connect got no answer within the timeout (filtered, or the host is off).
    Timeout,
    /// Any other connect failure (no route, network down), with the system's error text.
    Unreachable { reason: String },
}

/// A completed TLS session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TlsInfo {
    /// Negotiated protocol version, e.g. `TLS 1.2`.
    pub version: String,
    /// Negotiated cipher suite by its IANA name, e.g. `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`.
    pub cipher: String,
    /// The leaf certificate; `None` when the peer sent none or it does not parse.
    pub certificate: Option<CertInfo>,
}

/// The fields of a leaf certificate that matter for comparing it with a device's FQDN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertInfo {
    /// Subject distinguished name, e.g. `CN=AMT RCFG, O=Intel`.
    pub subject: String,
    /// First common name of the subject, if it is a readable string.
    pub common_name: Option<String>,
    /// Subject alternative names: DNS names as written, IP addresses in their text form.
    pub sans: Vec<String>,
    /// Issuer distinguished name.
    pub issuer: String,
    /// End of validity, RFC 3339 in UTC (e.g. `2030-01-01T00:00:00Z`).
    pub not_after: String,
    /// `not_after` lies in the past.
    pub expired: bool,
    /// Issuer name equals subject name (and the key identifiers agree when both are present);
    /// the signature is not checked.
    pub self_signed: bool,
}

/// Largest TLS record accepted (2^14 plaintext plus the 2048 bytes RFC 5246 allows on top).
const MAX_RECORD: usize = 16384 + 2048;
/// Most bytes the TLS 1.2 fallback reads before giving up on the certificate.
const MAX_PEEK_BYTES: usize = 256 * 1024;
/// Suites the fallback hello offers: what AMT 11/12 accept.
const FALLBACK_SUITES: [u16; 4] = [
    0x009C, // TLS_RSA_WITH_AES_128_GCM_SHA256
    0x002F, // TLS_RSA_WITH_AES_128_CBC_SHA
    0x0035, // TLS_RSA_WITH_AES_256_CBC_SHA
    0x009F, // TLS_DHE_RSA_WITH_AES_256_GCM_SHA384
];
/// Signature schemes the fallback hello offers (RSA only, as are the suites).
const FALLBACK_SIGNATURE_SCHEMES: [u16; 4] = [0x0401, 0x0501, 0x0601, 0x0201];

const RECORD_ALERT: u8 = 21;
const RECORD_HANDSHAKE: u8 = 22;
const HANDSHAKE_CLIENT_HELLO: u8 = 1;
const HANDSHAKE_SERVER_HELLO: u8 = 2;
const HANDSHAKE_CERTIFICATE: u8 = 11;
const HANDSHAKE_SERVER_HELLO_DONE: u8 = 14;

/// Connects to `addr` and tries a TLS handshake naming `server_name` (SNI; an IP address or an
/// unusable name sends none). Any certificate is accepted and reported, never trusted.
///
/// Each step is bounded by `timeout`: the TCP connect, the rustls handshake, then either the
/// close_notify or the TLS 1.2 fallback (reconnect and read together), so a call ends within
/// three times `timeout`. A peer that accepts and stays silent costs about twice `timeout`.
pub async fn inspect(addr: SocketAddr, server_name: &str, timeout: Duration) -> TlsOutcome {
    let stream = match connect(addr, timeout).await {
        Ok(stream) => stream,
        Err(outcome) => return outcome,
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(RecordingVerifier::new(&provider));
    let name = rustls_name(server_name, addr.ip());
    match handshake(stream, name, &provider, &verifier, timeout).await {
        Ok(info) => TlsOutcome::Connected(info),
        Err(reason) => match verifier.leaf.get() {
            Some(der) => TlsOutcome::Incompatible {
                reason,
                certificate: parse_certificate(der).ok(),
            },
            None => fallback(addr, server_name, &provider, reason, timeout).await,
        },
    }
}

/// Does `cert` name `fqdn`? DNS subject alternative names decide when there are any (a leading
/// `*.` matches exactly one label, never a bare top-level domain); otherwise the common name.
/// An IP address matches IP alternative names, or the common name when there are no names at
/// all. Case-insensitive; one trailing dot is ignored on both sides.
pub fn name_matches(cert: &CertInfo, fqdn: &str) -> bool {
    let wanted = normalise(fqdn);
    if wanted.is_empty() {
        return false;
    }
    if let Ok(ip) = wanted.parse::<IpAddr>() {
        return cert.sans.iter().any(|san| san.parse::<IpAddr>() == Ok(ip))
            || (cert.sans.is_empty() && cn_matches(cert, &wanted));
    }
    let dns_names: Vec<&String> = cert
        .sans
        .iter()
        .filter(|san| san.parse::<IpAddr>().is_err())
        .collect();
    if dns_names.is_empty() {
        return cn_matches(cert, &wanted);
    }
    dns_names
        .iter()
        .any(|san| pattern_matches(&normalise(san), &wanted))
}

/// Reads the fields of [`CertInfo`] from a DER certificate.
pub fn parse_certificate(der: &[u8]) -> Result<CertInfo, String> {
    let (_, cert) = X509Certificate::from_der(der)
        .map_err(|error| format!("unreadable certificate: {error}"))?;
    let not_after = cert.validity().not_after;
    Ok(CertInfo {
        subject: cert.subject().to_string(),
        common_name: common_name(cert.subject()),
        sans: alternative_names(&cert),
        issuer: cert.issuer().to_string(),
        not_after: rfc3339(not_after),
        expired: not_after < ASN1Time::now(),
        self_signed: is_self_signed(&cert),
    })
}

// ---- TCP and rustls ----

async fn connect(addr: SocketAddr, timeout: Duration) -> Result<TcpStream, TlsOutcome> {
    match tokio::time::timeout(timeout, TcpStream::connect(addr)).await {
        Err(_) => Err(TlsOutcome::Timeout),
        Ok(Err(error)) if error.kind() == io::ErrorKind::ConnectionRefused => {
            Err(TlsOutcome::Refused)
        }
        Ok(Err(error)) => Err(TlsOutcome::Unreachable {
            reason: error.to_string(),
        }),
        Ok(Ok(stream)) => Ok(stream),
    }
}

/// The name rustls sends and checks: the DNS name without its trailing dot, else the IP.
fn rustls_name(server_name: &str, ip: IpAddr) -> ServerName<'static> {
    let trimmed = server_name.strip_suffix('.').unwrap_or(server_name);
    ServerName::try_from(trimmed)
        .map(|name| name.to_owned())
        .unwrap_or_else(|_| ServerName::IpAddress(ip.into()))
}

async fn handshake(
    stream: TcpStream,
    name: ServerName<'static>,
    provider: &Arc<CryptoProvider>,
    verifier: &Arc<RecordingVerifier>,
    timeout: Duration,
) -> Result<TlsInfo, String> {
    let config = client_config(provider, verifier)?;
    let connector = TlsConnector::from(Arc::new(config));
    let mut tls = match tokio::time::timeout(timeout, connector.connect(name, stream)).await {
        Err(_) => return Err(format!("no TLS handshake answer within {timeout:?}")),
        Ok(Err(error)) => return Err(format!("TLS handshake failed: {error}")),
        Ok(Ok(tls)) => tls,
    };
    let info = session_info(tls.get_ref().1);
    // Best effort close_notify; the result is already known.
    let _ = tokio::time::timeout(timeout, tls.shutdown()).await;
    Ok(info)
}

fn client_config(
    provider: &Arc<CryptoProvider>,
    verifier: &Arc<RecordingVerifier>,
) -> Result<ClientConfig, String> {
    let config = ClientConfig::builder_with_provider(Arc::clone(provider))
        .with_safe_default_protocol_versions()
        .map_err(|error| format!("TLS client setup failed: {error}"))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::clone(verifier) as Arc<dyn ServerCertVerifier>)
        .with_no_client_auth();
    Ok(config)
}

fn session_info(conn: &rustls::ClientConnection) -> TlsInfo {
    TlsInfo {
        version: version_name(conn.protocol_version()),
        cipher: conn
            .negotiated_cipher_suite()
            .map_or_else(|| "unknown".to_owned(), |suite| suite_name(suite.suite())),
        certificate: conn
            .peer_certificates()
            .and_then(|chain| chain.first())
            .and_then(|leaf| parse_certificate(leaf).ok()),
    }
}

fn version_name(version: Option<ProtocolVersion>) -> String {
    match version {
        Some(ProtocolVersion::TLSv1_3) => "TLS 1.3".to_owned(),
        Some(ProtocolVersion::TLSv1_2) => "TLS 1.2".to_owned(),
        Some(other) => format!("{other:?}"),
        None => "unknown".to_owned(),
    }
}

fn suite_name(suite: CipherSuite) -> String {
    suite
        .as_str()
        .map_or_else(|| format!("0x{:04X}", u16::from(suite)), str::to_owned)
}

/// Accepts any certificate and keeps the leaf; handshake signatures are still checked, so the
/// session is with the holder of that certificate's key.
#[derive(Debug)]
struct RecordingVerifier {
    algorithms: WebPkiSupportedAlgorithms,
    leaf: OnceLock<Vec<u8>>,
}

impl RecordingVerifier {
    fn new(provider: &CryptoProvider) -> Self {
        Self {
            algorithms: provider.signature_verification_algorithms,
            leaf: OnceLock::new(),
        }
    }
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // Only the first certificate of the connection is kept.
        let _ = self.leaf.set(end_entity.to_vec());
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

// ---- TLS 1.2 fallback: read the certificate in clear ----

/// What the hand-built hello learned before the certificate.
#[derive(Debug)]
pub(crate) struct Peek {
    suite: Option<u16>,
    pub(crate) der: Vec<u8>,
}

async fn fallback(
    addr: SocketAddr,
    server_name: &str,
    provider: &CryptoProvider,
    reason: String,
    timeout: Duration,
) -> TlsOutcome {
    let peeked = match tokio::time::timeout(timeout, peek(addr, server_name, provider)).await {
        Ok(result) => result,
        Err(_) => Err(format!("no certificate within {timeout:?}")),
    };
    match peeked {
        Ok(peek) => {
            let mut reason = reason;
            if let Some(suite) = peek.suite {
                let name = suite_name(CipherSuite::from(suite));
                reason.push_str(&format!("; over TLS 1.2 the server chose {name}"));
            }
            match parse_certificate(&peek.der) {
                Ok(certificate) => TlsOutcome::Incompatible {
                    reason,
                    certificate: Some(certificate),
                },
                Err(error) => TlsOutcome::Incompatible {
                    reason: format!("{reason}; {error}"),
                    certificate: None,
                },
            }
        }
        Err(error) => TlsOutcome::Incompatible {
            reason: format!("{reason}; certificate not read: {error}"),
            certificate: None,
        },
    }
}

async fn peek(
    addr: SocketAddr,
    server_name: &str,
    provider: &CryptoProvider,
) -> Result<Peek, String> {
    let mut stream = TcpStream::connect(addr)
        .await
        .map_err(|error| format!("reconnect failed: {error}"))?;
    let mut random = [0u8; 32];
    // The session is never completed, so a failed fill (zeros) costs nothing.
    let _ = provider.secure_random.fill(&mut random);
    let hello = client_hello(sni_name(server_name), &random);
    stream
        .write_all(&hello)
        .await
        .map_err(|error| format!("sending the TLS 1.2 hello failed: {error}"))?;
    read_until_certificate(&mut stream).await
    // Dropping the stream closes the connection.
}

/// The name to send as SNI: a DNS host name without its trailing dot; never an IP address.
fn sni_name(server_name: &str) -> Option<&str> {
    let name = server_name.strip_suffix('.').unwrap_or(server_name);
    let usable = !name.is_empty()
        && name.len() <= 253
        && name.parse::<IpAddr>().is_err()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
    usable.then_some(name)
}

/// A TLS 1.2 ClientHello record offering [`FALLBACK_SUITES`], with SNI when `server_name` is
/// given (at most 253 bytes), RSA signature schemes and an empty renegotiation_info.
fn client_hello(server_name: Option<&str>, random: &[u8; 32]) -> Vec<u8> {
    let mut body = vec![0x03, 0x03]; // client_version TLS 1.2
    body.extend_from_slice(random);
    body.push(0); // empty session id
    let suites: Vec<u8> = FALLBACK_SUITES
        .iter()
        .flat_map(|s| s.to_be_bytes())
        .collect();
    put_u16_prefixed(&mut body, &suites);
    body.extend_from_slice(&[1, 0]); // compression: null only
    put_u16_prefixed(&mut body, &hello_extensions(server_name));

    let mut handshake = vec![HANDSHAKE_CLIENT_HELLO];
    put_u24_prefixed(&mut handshake, &body);
    let mut record = vec![RECORD_HANDSHAKE, 0x03, 0x01]; // record version TLS 1.0, as is usual
    put_u16_prefixed(&mut record, &handshake);
    record
}

fn hello_extensions(server_name: Option<&str>) -> Vec<u8> {
    let mut extensions = Vec::new();
    if let Some(name) = server_name {
        let mut entry = vec![0]; // host_name
        put_u16_prefixed(&mut entry, name.as_bytes());
        let mut list = Vec::new();
        put_u16_prefixed(&mut list, &entry);
        put_extension(&mut extensions, 0x0000, &list);
    }
    let schemes: Vec<u8> = FALLBACK_SIGNATURE_SCHEMES
        .iter()
        .flat_map(|s| s.to_be_bytes())
        .collect();
    let mut list = Vec::new();
    put_u16_prefixed(&mut list, &schemes);
    put_extension(&mut extensions, 0x000D, &list);
    put_extension(&mut extensions, 0xFF01, &[0]);
    extensions
}

fn put_extension(out: &mut Vec<u8>, kind: u16, data: &[u8]) {
    out.extend_from_slice(&kind.to_be_bytes());
    put_u16_prefixed(out, data);
}

/// Appends `data` with a two-byte length; callers only pass data far below 64 KiB.
fn put_u16_prefixed(out: &mut Vec<u8>, data: &[u8]) {
    let len = u16::try_from(data.len()).unwrap_or(u16::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(data);
}

/// Appends `data` with a three-byte length; callers only pass data far below 16 MiB.
fn put_u24_prefixed(out: &mut Vec<u8>, data: &[u8]) {
    let len = u32::try_from(data.len())
        .unwrap_or(u32::MAX)
        .min(0x00FF_FFFF);
    out.extend_from_slice(&len.to_be_bytes()[1..]);
    out.extend_from_slice(data);
}

/// Reads records until the server's Certificate message and returns its first certificate.
/// At most [`MAX_PEEK_BYTES`] are read; alerts, other record types and a ServerHelloDone
/// without a certificate end the read with an error.
pub(crate) async fn read_until_certificate<R: AsyncRead + Unpin>(
    reader: &mut R,
) -> Result<Peek, String> {
    let mut handshakes = Handshakes::default();
    let mut suite = None;
    let mut total = 0usize;
    loop {
        let (content_type, payload) = read_record(reader).await?;
        total += 5 + payload.len();
        if total > MAX_PEEK_BYTES {
            return Err(format!(
                "no certificate in the first {MAX_PEEK_BYTES} bytes"
            ));
        }
        match content_type {
            RECORD_HANDSHAKE => handshakes.push(&payload),
            RECORD_ALERT => return Err(alert_text(&payload)),
            other => {
                return Err(format!(
                    "unexpected TLS record type {other} before the certificate"
                ));
            }
        }
        while let Some((kind, body)) = handshakes.pop() {
            match kind {
                HANDSHAKE_SERVER_HELLO => suite = server_hello_suite(&body),
                HANDSHAKE_CERTIFICATE => {
                    let der = first_certificate(&body)?.to_vec();
                    return Ok(Peek { suite, der });
                }
                HANDSHAKE_SERVER_HELLO_DONE => return Err("the server sent no certificate".into()),
                _ => {}
            }
        }
    }
}

async fn read_record<R: AsyncRead + Unpin>(reader: &mut R) -> Result<(u8, Vec<u8>), String> {
    let mut header = [0u8; 5];
    reader.read_exact(&mut header).await.map_err(read_error)?;
    let (content_type, len) = record_header(header)?;
    let mut payload = vec![0u8; len];
    reader.read_exact(&mut payload).await.map_err(read_error)?;
    Ok((content_type, payload))
}

fn read_error(error: io::Error) -> String {
    if error.kind() == io::ErrorKind::UnexpectedEof {
        "the server closed the connection before its certificate".to_owned()
    } else {
        format!("read failed: {error}")
    }
}

/// Content type and length of a record header; rejects non-TLS bytes and oversized records.
fn record_header(header: [u8; 5]) -> Result<(u8, usize), String> {
    let [content_type, major, _minor, len_hi, len_lo] = header;
    if !(20..=24).contains(&content_type) || major != 3 {
        let start: Vec<String> = header.iter().map(|b| format!("{b:02X}")).collect();
        return Err(format!("the reply is not TLS (starts {})", start.join(" ")));
    }
    let len = usize::from(u16::from_be_bytes([len_hi, len_lo]));
    if len > MAX_RECORD {
        return Err(format!("TLS record of {len} bytes exceeds {MAX_RECORD}"));
    }
    Ok((content_type, len))
}

/// Handshake bytes gathered across records, split into messages as they complete.
#[derive(Default)]
struct Handshakes {
    buffer: Vec<u8>,
}

impl Handshakes {
    fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next complete message as (type, body), if all its bytes have arrived.
    fn pop(&mut self) -> Option<(u8, Vec<u8>)> {
        let (&kind, rest) = self.buffer.split_first()?;
        let (len, rest) = take_u24(rest)?;
        let body = rest.get(..len)?.to_vec();
        self.buffer.drain(..4 + len);
        Some((kind, body))
    }
}

fn take_u24(bytes: &[u8]) -> Option<(usize, &[u8])> {
    let (len, rest) = bytes.split_first_chunk::<3>()?;
    let [a, b, c] = *len;
    Some((
        usize::from(a) << 16 | usize::from(b) << 8 | usize::from(c),
        rest,
    ))
}

/// The cipher suite a ServerHello body selects.
fn server_hello_suite(body: &[u8]) -> Option<u16> {
    // server_version (2) + random (32), then the session id with its one-byte length.
    let session_len = usize::from(*body.get(34)?);
    let suite = body.get(35 + session_len..37 + session_len)?;
    Some(u16::from_be_bytes(suite.try_into().ok()?))
}

/// The first certificate of a Certificate message body.
fn first_certificate(body: &[u8]) -> Result<&[u8], String> {
    let malformed = || "malformed Certificate message".to_owned();
    let (list_len, rest) = take_u24(body).ok_or_else(malformed)?;
    let list = rest.get(..list_len).ok_or_else(malformed)?;
    if list.is_empty() {
        return Err("the server sent an empty certificate list".into());
    }
    let (cert_len, rest) = take_u24(list).ok_or_else(malformed)?;
    rest.get(..cert_len).ok_or_else(malformed)
}

fn alert_text(payload: &[u8]) -> String {
    match payload {
        [_level, description, ..] => {
            format!(
                "the server sent alert {:?}",
                AlertDescription::from(*description)
            )
        }
        _ => "the server sent a truncated alert".to_owned(),
    }
}

// ---- certificate fields and names ----

fn common_name(name: &X509Name<'_>) -> Option<String> {
    name.iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .map(str::to_owned)
}

fn alternative_names(cert: &X509Certificate<'_>) -> Vec<String> {
    let Ok(Some(extension)) = cert.subject_alternative_name() else {
        return Vec::new();
    };
    extension
        .value
        .general_names
        .iter()
        .filter_map(general_name_text)
        .collect()
}

fn general_name_text(name: &GeneralName<'_>) -> Option<String> {
    match name {
        GeneralName::DNSName(dns) => Some((*dns).to_owned()),
        GeneralName::IPAddress(bytes) => ip_text(bytes),
        _ => None,
    }
}

fn ip_text(bytes: &[u8]) -> Option<String> {
    if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
        return Some(Ipv4Addr::from(v4).to_string());
    }
    let v6 = <[u8; 16]>::try_from(bytes).ok()?;
    Some(Ipv6Addr::from(v6).to_string())
}

fn rfc3339(when: ASN1Time) -> String {
    when.to_datetime()
        .format(&Rfc3339)
        .unwrap_or_else(|_| when.to_string())
}

fn is_self_signed(cert: &X509Certificate<'_>) -> bool {
    if cert.subject().as_raw() != cert.issuer().as_raw() {
        return false;
    }
    let mut subject_key = None;
    let mut authority_key = None;
    for extension in cert.extensions() {
        match extension.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(id) => subject_key = Some(id.0),
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                authority_key = aki.key_identifier.as_ref().map(|id| id.0);
            }
            _ => {}
        }
    }
    match (subject_key, authority_key) {
        (Some(subject), Some(authority)) => subject == authority,
        _ => true,
    }
}

fn normalise(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

fn cn_matches(cert: &CertInfo, wanted: &str) -> bool {
    cert.common_name
        .as_deref()
        .is_some_and(|cn| pattern_matches(&normalise(cn), wanted))
}

/// `pattern` and `name` are already normalised. `*.` covers one non-empty label, and only
/// under at least two labels (`*.com` matches nothing).
fn pattern_matches(pattern: &str, name: &str) -> bool {
    match pattern.strip_prefix("*.") {
        Some(parent) => {
            parent.contains('.')
                && name
                    .split_once('.')
                    .is_some_and(|(label, rest)| !label.is_empty() && rest == parent)
        }
        None => pattern == name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair, date_time_ymd};
    use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
    use tokio::net::TcpListener;
    use tokio_rustls::TlsAcceptor;

    const TIMEOUT: Duration = Duration::from_millis(400);

    fn hex(text: &str) -> Vec<u8> {
        let digits: Vec<u8> = text.bytes().filter(u8::is_ascii_hexdigit).collect();
        digits
            .chunks(2)
            .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
            .collect()
    }

    /// A self-signed certificate (DER) and its PKCS#8 key.
    fn make_cert(cn: &str, sans: &[&str], not_after: (i32, u8, u8)) -> (Vec<u8>, Vec<u8>) {
        let sans: Vec<String> = sans.iter().map(|s| (*s).to_owned()).collect();
        let mut params = CertificateParams::new(sans).unwrap();
        params.distinguished_name = DistinguishedName::new();
        params.distinguished_name.push(DnType::CommonName, cn);
        params.not_before = date_time_ymd(2000, 1, 1);
        params.not_after = date_time_ymd(not_after.0, not_after.1, not_after.2);
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        (cert.der().to_vec(), key.serialize_der())
    }

    fn amt_cert() -> (Vec<u8>, Vec<u8>) {
        make_cert(
            "AMT RCFG",
            &["amt.example.com", "*.vpro.example.com", "127.0.0.1"],
            (2090, 1, 1),
        )
    }

    fn record(content_type: u8, payload: &[u8]) -> Vec<u8> {
        let mut out = vec![content_type, 3, 3];
        put_u16_prefixed(&mut out, payload);
        out
    }

    fn message(kind: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![kind];
        put_u24_prefixed(&mut out, body);
        out
    }

    fn server_hello_body(suite: u16) -> Vec<u8> {
        let mut body = vec![3, 3];
        body.extend_from_slice(&[0x22; 32]);
        body.push(0);
        body.extend_from_slice(&suite.to_be_bytes());
        body.push(0);
        body
    }

    fn certificate_body(der: &[u8]) -> Vec<u8> {
        let mut entry = Vec::new();
        put_u24_prefixed(&mut entry, der);
        let mut body = Vec::new();
        put_u24_prefixed(&mut body, &entry);
        body
    }

    /// What an AMT 11 answers: ServerHello choosing TLS_RSA_WITH_AES_128_GCM_SHA256, then
    /// Certificate and ServerHelloDone in a second record.
    fn tls_rsa_flight(der: &[u8]) -> Vec<u8> {
        let mut out = record(22, &message(2, &server_hello_body(0x009C)));
        let mut second = message(11, &certificate_body(der));
        second.extend(message(14, &[]));
        out.extend(record(22, &second));
        out
    }

    // ---- pure encoders and decoders ----

    #[test]
    fn client_hello_with_sni_is_byte_exact() {
        let expected = hex("16 03 01 00 60  01 00 00 5c  03 03
             1111111111111111111111111111111111111111111111111111111111111111
             00  00 08 00 9c 00 2f 00 35 00 9f  01 00  00 2b
             00 00 00 14 00 12 00 00 0f 616d742e6578616d706c652e636f6d
             00 0d 00 0a 00 08 04 01 05 01 06 01 02 01
             ff 01 00 01 00");
        assert_eq!(client_hello(Some("amt.example.com"), &[0x11; 32]), expected);
    }

    #[test]
    fn client_hello_without_sni_is_byte_exact() {
        let expected = hex("16 03 01 00 48  01 00 00 44  03 03
             0000000000000000000000000000000000000000000000000000000000000000
             00  00 08 00 9c 00 2f 00 35 00 9f  01 00  00 13
             00 0d 00 0a 00 08 04 01 05 01 06 01 02 01
             ff 01 00 01 00");
        assert_eq!(client_hello(None, &[0; 32]), expected);
    }

    #[test]
    fn sni_is_a_host_name_without_trailing_dot() {
        assert_eq!(sni_name("amt.example.com."), Some("amt.example.com"));
        assert_eq!(
            sni_name("AMT-1.corp_x.example"),
            Some("AMT-1.corp_x.example")
        );
        assert_eq!(sni_name("10.0.0.5"), None);
        assert_eq!(sni_name("::1"), None);
        assert_eq!(sni_name(""), None);
        assert_eq!(sni_name("."), None);
        assert_eq!(sni_name("bad name"), None);
        assert_eq!(sni_name(&"a".repeat(254)), None);
    }

    #[test]
    fn rustls_name_falls_back_to_the_ip() {
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        assert_eq!(
            rustls_name("amt.example.com.", ip),
            ServerName::try_from("amt.example.com").unwrap()
        );
        assert_eq!(rustls_name("", ip), ServerName::IpAddress(ip.into()));
        assert_eq!(
            rustls_name("not a name", ip),
            ServerName::IpAddress(ip.into())
        );
    }

    #[test]
    fn record_headers() {
        assert_eq!(record_header([22, 3, 3, 0x00, 0x60]), Ok((22, 0x60)));
        assert_eq!(record_header([21, 3, 1, 0x00, 0x02]), Ok((21, 2)));
        assert!(record_header(*b"HTTP/").unwrap_err().contains("not TLS"));
        assert!(record_header([22, 2, 0, 0, 1]).is_err());
        assert!(
            record_header([22, 3, 3, 0xFF, 0xFF])
                .unwrap_err()
                .contains("exceeds")
        );
        assert_eq!(record_header([22, 3, 3, 0x48, 0x00]), Ok((22, MAX_RECORD)));
    }

    #[test]
    fn server_hello_suite_reads_past_the_session_id() {
        assert_eq!(server_hello_suite(&server_hello_body(0x009C)), Some(0x009C));
        let mut with_session = vec![3, 3];
        with_session.extend_from_slice(&[0; 32]);
        with_session.push(32);
        with_session.extend_from_slice(&[0xAB; 32]);
        with_session.extend_from_slice(&[0x00, 0x35, 0]);
        assert_eq!(server_hello_suite(&with_session), Some(0x0035));
        assert_eq!(server_hello_suite(&with_session[..60]), None);
        assert_eq!(server_hello_suite(&[]), None);
    }

    #[test]
    fn first_certificate_checks_lengths() {
        assert_eq!(
            first_certificate(&hex("000005 000002 abcd")),
            Ok(&[0xAB, 0xCD][..])
        );
        assert!(
            first_certificate(&hex("000000"))
                .unwrap_err()
                .contains("empty")
        );
        assert!(
            first_certificate(&hex("000005 000009 abcd"))
                .unwrap_err()
                .contains("malformed")
        );
        assert!(
            first_certificate(&hex("0000ff 000002 abcd"))
                .unwrap_err()
                .contains("malformed")
        );
        assert!(first_certificate(&hex("00")).is_err());
    }

    #[test]
    fn handshake_messages_are_split_as_they_complete() {
        let mut handshakes = Handshakes::default();
        handshakes.push(&hex("0e 00 00 00  0b 00 00 03 aa"));
        assert_eq!(handshakes.pop(), Some((14, vec![])));
        assert_eq!(handshakes.pop(), None);
        handshakes.push(&hex("bb cc  00"));
        assert_eq!(handshakes.pop(), Some((11, vec![0xAA, 0xBB, 0xCC])));
        assert_eq!(handshakes.pop(), None);
    }

    #[test]
    fn suite_names() {
        assert_eq!(
            suite_name(CipherSuite::from(0x009C)),
            "TLS_RSA_WITH_AES_128_GCM_SHA256"
        );
        assert_eq!(suite_name(CipherSuite::from(0x1234)), "0x1234");
    }

    #[test]
    fn alerts_are_named() {
        assert_eq!(
            alert_text(&[2, 40]),
            "the server sent alert HandshakeFailure"
        );
        assert_eq!(alert_text(&[2]), "the server sent a truncated alert");
    }

    async fn read_bytes(bytes: &[u8]) -> Result<Peek, String> {
        let mut reader = bytes;
        read_until_certificate(&mut reader).await
    }

    #[tokio::test]
    async fn certificate_read_from_a_tls_rsa_flight() {
        let peek = read_bytes(&tls_rsa_flight(b"DER")).await.unwrap();
        assert_eq!(peek.suite, Some(0x009C));
        assert_eq!(peek.der, b"DER");
    }

    #[tokio::test]
    async fn certificate_spanning_records_is_reassembled() {
        let der = vec![0x5A; 40_000];
        let messages = [
            message(2, &server_hello_body(0x002F)),
            message(11, &certificate_body(&der)),
        ]
        .concat();
        let bytes: Vec<u8> = messages
            .chunks(16_000)
            .flat_map(|c| record(22, c))
            .collect();
        let peek = read_bytes(&bytes).await.unwrap();
        assert_eq!(peek.suite, Some(0x002F));
        assert_eq!(peek.der, der);
    }

    #[tokio::test]
    async fn fallback_read_failures() {
        let alert = record(21, &[2, 40]);
        assert!(
            read_bytes(&alert)
                .await
                .unwrap_err()
                .contains("HandshakeFailure")
        );

        let garbage = b"HTTP/1.1 400 Bad Request\r\n\r\n";
        assert!(read_bytes(garbage).await.unwrap_err().contains("not TLS"));

        let flight = tls_rsa_flight(&[7; 300]);
        let truncated = read_bytes(&flight[..200]).await.unwrap_err();
        assert!(truncated.contains("closed"), "{truncated}");

        let no_cert = record(
            22,
            &[message(2, &server_hello_body(0x009C)), message(14, &[])].concat(),
        );
        assert!(
            read_bytes(&no_cert)
                .await
                .unwrap_err()
                .contains("no certificate")
        );

        let app_data = record(23, &[1, 2, 3]);
        assert!(
            read_bytes(&app_data)
                .await
                .unwrap_err()
                .contains("record type 23")
        );

        assert!(read_bytes(&[]).await.unwrap_err().contains("closed"));
    }

    #[tokio::test]
    async fn endless_empty_records_are_capped() {
        let bytes = [22, 3, 3, 0, 0].repeat(MAX_PEEK_BYTES / 5 + 10);
        let error = read_bytes(&bytes).await.unwrap_err();
        assert!(error.contains("no certificate in the first"), "{error}");
    }

    // ---- certificate fields and names ----

    #[test]
    fn certificate_fields() {
        let (der, _) = amt_cert();
        let info = parse_certificate(&der).unwrap();
        assert_eq!(info.subject, "CN=AMT RCFG");
        assert_eq!(info.issuer, "CN=AMT RCFG");
        assert_eq!(info.common_name.as_deref(), Some("AMT RCFG"));
        assert_eq!(
            info.sans,
            ["amt.example.com", "*.vpro.example.com", "127.0.0.1"]
        );
        assert_eq!(info.not_after, "2090-01-01T00:00:00Z");
        assert!(!info.expired);
        assert!(info.self_signed);
    }

    #[test]
    fn expired_certificate() {
        let (der, _) = make_cert("old", &["old.example.com"], (2001, 1, 1));
        let info = parse_certificate(&der).unwrap();
        assert_eq!(info.not_after, "2001-01-01T00:00:00Z");
        assert!(info.expired);
    }

    #[test]
    fn unparsable_certificate() {
        assert!(
            parse_certificate(b"not DER")
                .unwrap_err()
                .contains("unreadable")
        );
        assert!(parse_certificate(&[]).is_err());
    }

    fn cert(cn: Option<&str>, sans: &[&str]) -> CertInfo {
        CertInfo {
            subject: String::new(),
            common_name: cn.map(str::to_owned),
            sans: sans.iter().map(|s| (*s).to_owned()).collect(),
            issuer: String::new(),
            not_after: String::new(),
            expired: false,
            self_signed: true,
        }
    }

    #[test]
    fn san_names_match_case_insensitively_with_trailing_dots() {
        let c = cert(None, &["AMT.Example.com.", "other.example.com"]);
        assert!(name_matches(&c, "amt.example.com"));
        assert!(name_matches(&c, "amt.EXAMPLE.com."));
        assert!(name_matches(&c, "other.example.com"));
        assert!(!name_matches(&c, "amt.example.org"));
        assert!(!name_matches(&c, "example.com"));
        assert!(!name_matches(&c, ""));
        assert!(!name_matches(&c, "."));
    }

    #[test]
    fn wildcards_cover_one_label() {
        let c = cert(None, &["*.vpro.example.com"]);
        assert!(name_matches(&c, "amt1.vpro.example.com"));
        assert!(name_matches(&c, "AMT1.VPRO.example.com."));
        assert!(!name_matches(&c, "a.b.vpro.example.com"));
        assert!(!name_matches(&c, "vpro.example.com"));
        assert!(!name_matches(&c, ".vpro.example.com"));
        assert!(!name_matches(&cert(None, &["*.com"]), "example.com"));
        assert!(!name_matches(
            &cert(None, &["a*.example.com"]),
            "ab.example.com"
        ));
    }

    #[test]
    fn common_name_only_without_dns_sans() {
        assert!(name_matches(
            &cert(Some("amt.example.com"), &[]),
            "AMT.example.com"
        ));
        assert!(name_matches(
            &cert(Some("*.example.com"), &[]),
            "amt.example.com"
        ));
        assert!(name_matches(
            &cert(Some("amt.example.com"), &["10.0.0.5"]),
            "amt.example.com"
        ));
        assert!(!name_matches(
            &cert(Some("amt.example.com"), &["other.example.com"]),
            "amt.example.com"
        ));
        assert!(!name_matches(&cert(None, &[]), "amt.example.com"));
        assert!(!name_matches(
            &cert(Some("AMT RCFG"), &[]),
            "amt.example.com"
        ));
    }

    #[test]
    fn ip_addresses_match_ip_sans() {
        assert!(name_matches(
            &cert(None, &["amt.example.com", "10.0.0.5"]),
            "10.0.0.5"
        ));
        assert!(name_matches(&cert(None, &["fe80::1"]), "FE80:0::1"));
        assert!(!name_matches(&cert(None, &["10.0.0.6"]), "10.0.0.5"));
        assert!(name_matches(&cert(Some("10.0.0.5"), &[]), "10.0.0.5"));
        assert!(!name_matches(
            &cert(Some("10.0.0.5"), &["amt.example.com"]),
            "10.0.0.5"
        ));
    }

    // ---- loopback ----

    fn server_config(der: Vec<u8>, key: Vec<u8>, tls12_only: bool) -> rustls::ServerConfig {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ServerConfig::builder_with_provider(provider);
        let builder = if tls12_only {
            builder.with_protocol_versions(&[&rustls::version::TLS12])
        } else {
            builder.with_safe_default_protocol_versions()
        };
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key));
        builder
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![CertificateDer::from(der)], key)
            .unwrap()
    }

    /// A rustls server on loopback that completes handshakes and waits for the client to leave.
    async fn rustls_server(config: rustls::ServerConfig) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let acceptor = TlsAcceptor::from(Arc::new(config));
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    if let Ok(mut tls) = acceptor.accept(stream).await {
                        let mut sink = Vec::new();
                        let _ = tls.read_to_end(&mut sink).await;
                    }
                });
            }
        });
        addr
    }

    /// A raw responder: reads what the client sends first, answers `reply`, then either waits
    /// for the client to leave (`hold`) or closes at once.
    async fn raw_server(reply: Vec<u8>, hold: bool) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let reply = reply.clone();
                tokio::spawn(async move {
                    let mut hello = [0u8; 4096];
                    let _ = stream.read(&mut hello).await;
                    let _ = stream.write_all(&reply).await;
                    if hold {
                        let mut sink = Vec::new();
                        let _ = stream.read_to_end(&mut sink).await;
                    }
                });
            }
        });
        addr
    }

    async fn inspect_bounded(addr: SocketAddr, name: &str) -> TlsOutcome {
        let started = Instant::now();
        let outcome = inspect(addr, name, TIMEOUT).await;
        assert!(
            started.elapsed() < TIMEOUT * 5,
            "took {:?}",
            started.elapsed()
        );
        outcome
    }

    #[tokio::test]
    async fn rustls_server_is_connected_with_its_certificate() {
        let (der, key) = amt_cert();
        let addr = rustls_server(server_config(der, key, false)).await;
        let TlsOutcome::Connected(info) = inspect_bounded(addr, "amt.example.com").await else {
            panic!("not connected");
        };
        assert_eq!(info.version, "TLS 1.3");
        assert!(info.cipher.starts_with("TLS13_"), "{}", info.cipher);
        let cert = info.certificate.unwrap();
        assert_eq!(cert.common_name.as_deref(), Some("AMT RCFG"));
        assert_eq!(
            cert.sans,
            ["amt.example.com", "*.vpro.example.com", "127.0.0.1"]
        );
        assert!(cert.self_signed);
        assert!(!cert.expired);
        assert!(name_matches(&cert, "amt.example.com."));
        assert!(name_matches(&cert, "host7.vpro.example.com"));
        assert!(!name_matches(&cert, "amt.example.org"));
    }

    #[tokio::test]
    async fn tls12_server_with_expired_certificate_is_connected() {
        let (der, key) = make_cert("old.example.com", &["old.example.com"], (2001, 1, 1));
        let addr = rustls_server(server_config(der, key, true)).await;
        let TlsOutcome::Connected(info) = inspect_bounded(addr, "127.0.0.1").await else {
            panic!("not connected");
        };
        assert_eq!(info.version, "TLS 1.2");
        assert!(info.cipher.starts_with("TLS_ECDHE_"), "{}", info.cipher);
        let cert = info.certificate.unwrap();
        assert!(cert.expired);
        assert_eq!(cert.not_after, "2001-01-01T00:00:00Z");
    }

    #[tokio::test]
    async fn tls_rsa_only_server_is_incompatible_with_certificate() {
        let (der, _) = amt_cert();
        let addr = raw_server(tls_rsa_flight(&der), true).await;
        let TlsOutcome::Incompatible {
            reason,
            certificate,
        } = inspect_bounded(addr, "amt.example.com").await
        else {
            panic!("not incompatible");
        };
        assert!(reason.starts_with("TLS handshake failed"), "{reason}");
        assert!(
            reason.contains("TLS_RSA_WITH_AES_128_GCM_SHA256"),
            "{reason}"
        );
        let cert = certificate.unwrap();
        assert_eq!(cert.common_name.as_deref(), Some("AMT RCFG"));
        assert!(name_matches(&cert, "amt.example.com"));
    }

    #[tokio::test]
    async fn fallback_sends_sni() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let provider = rustls::crypto::ring::default_provider();
        let server = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut header = [0u8; 5];
            stream.read_exact(&mut header).await.unwrap();
            let mut body = vec![0u8; usize::from(u16::from_be_bytes([header[3], header[4]]))];
            stream.read_exact(&mut body).await.unwrap();
            stream.write_all(&tls_rsa_flight(b"DER")).await.unwrap();
            [header.to_vec(), body].concat()
        });
        let peek = peek(addr, "amt.example.com.", &provider).await.unwrap();
        assert_eq!(peek.der, b"DER");
        let hello = server.await.unwrap();
        let mut expected = client_hello(Some("amt.example.com"), &[0; 32]);
        // Everything but the random must be as built.
        expected[11..43].copy_from_slice(&hello[11..43]);
        assert_eq!(hello, expected);
    }

    #[tokio::test]
    async fn silent_peer_ends_within_the_timeout() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                held.push(stream);
            }
        });
        let TlsOutcome::Incompatible {
            reason,
            certificate,
        } = inspect_bounded(addr, "amt.example.com").await
        else {
            panic!("not incompatible");
        };
        assert!(reason.starts_with("no TLS handshake answer"), "{reason}");
        assert!(
            reason.contains("certificate not read: no certificate within"),
            "{reason}"
        );
        assert_eq!(certificate, None);
    }

    #[tokio::test]
    async fn refused_port() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        assert_eq!(
            inspect_bounded(addr, "amt.example.com").await,
            TlsOutcome::Refused
        );
    }

    #[tokio::test]
    async fn garbage_reply_is_incompatible_without_certificate() {
        let reply = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".to_vec();
        let addr = raw_server(reply, false).await;
        let TlsOutcome::Incompatible {
            reason,
            certificate,
        } = inspect_bounded(addr, "amt.example.com").await
        else {
            panic!("not incompatible");
        };
        assert!(reason.starts_with("TLS handshake failed"), "{reason}");
        assert!(reason.contains("not TLS"), "{reason}");
        assert_eq!(certificate, None);
    }

    #[tokio::test]
    async fn truncated_reply_is_incompatible_without_certificate() {
        let (der, _) = amt_cert();
        let flight = tls_rsa_flight(&der);
        let addr = raw_server(flight[..flight.len() / 2].to_vec(), false).await;
        let TlsOutcome::Incompatible {
            reason,
            certificate,
        } = inspect_bounded(addr, "amt.example.com").await
        else {
            panic!("not incompatible");
        };
        assert!(reason.contains("closed the connection"), "{reason}");
        assert_eq!(certificate, None);
    }
}
