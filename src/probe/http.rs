//! A small HTTP/1.1 client for the live probes: one request and one bounded response over any
//! stream, the AMT `Server:` banner, and HTTP Digest (RFC 7616, MD5, qop=auth) answers.
//!
//! Written here rather than taken from hyper (and `http-auth` for Digest): the probe sends one
//! request per connection to ports it does not trust, and what it must own anyway is the part
//! around the parser: one deadline for the whole exchange and an explicit cap on every byte a
//! peer can make it read (head, header count, body, chunk-size lines), which the hostile-peer
//! tests pin. The head itself is parsed by `httparse`, hyper's own parser. Digest is the subset
//! AMT uses (MD5, MD5-sess, `qop=auth` or none). See docs/probe.md.

use std::future::Future;
use std::net::{Ipv6Addr, SocketAddr};
use std::time::Duration;

use md5::{Digest, Md5};
use serde::Serialize;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

/// Largest response head (status line and headers) read before giving up.
pub const MAX_HEAD: usize = 64 * 1024;
/// Largest response body read before giving up.
pub const MAX_BODY: usize = 1024 * 1024;
/// Most header lines accepted in one response head.
const MAX_HEADERS: usize = 64;
/// Longest chunk-size line (with extensions) accepted in a chunked body.
const MAX_CHUNK_LINE: usize = 1024;
/// Bytes asked of the stream per read.
const READ_CHUNK: usize = 8 * 1024;
/// The product name AMT puts in its `Server:` header.
const AMT_BANNER: &str = "Intel(R) Active Management Technology";

/// What `GET /` on port 16992 told about the listener.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HttpInfo {
    /// The response status code (AMT answers 303 See Other to `/logon.htm`).
    pub status: u16,
    /// The `Server:` header, as sent.
    pub server: Option<String>,
    /// `major.minor.micro` from an AMT `Server:` header.
    pub amt_version: Option<String>,
}

/// A response head and its (possibly skipped) body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header names and values in order; values are decoded lossily from bytes.
    pub headers: Vec<(String, String)>,
    /// The decoded body (chunked transfer coding removed); empty when it was not read.
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of header `name` (case-insensitive), in order.
    pub fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// `GET /` with a `Host` header; reads the head only, so a large page never matters.
/// `timeout` bounds the whole call, connect included.
pub async fn get_root(addr: SocketAddr, host: &str, timeout: Duration) -> Result<HttpInfo, String> {
    let authority = authority(host, addr.port());
    let request = encode_request("GET", "/", &authority, &[], &[])?;
    let response = fetch(addr, &request, false, timeout).await?;
    Ok(http_info(&response))
}

/// The probe facts of a response: status, `Server:` and the AMT version in it.
pub fn http_info(response: &Response) -> HttpInfo {
    let server = response.header("server").map(str::to_owned);
    let amt_version = server.as_deref().and_then(amt_version_from_server);
    HttpInfo {
        status: response.status,
        server,
        amt_version,
    }
}

/// The short `Server:` value some AMT firmware sends instead of the product name; nmap's
/// service fingerprints for AMT include it.
const AMT_SHORT_BANNER: &str = "AMT";

/// True when a `Server:` value names Intel AMT (the ME, not the OS, owns the address): the
/// product name (with or without a version), or the bare `AMT`.
pub fn is_amt_server(s: &str) -> bool {
    banner_rest(s).is_some() || s.trim() == AMT_SHORT_BANNER
}

/// True for a Digest realm of AMT's shape, `Digest:` and 32 hex digits (DOMAIN.md §6; e.g.
/// `Digest:A4070000000000000000000000000000` before provisioning).
pub fn is_amt_realm(realm: &str) -> bool {
    realm
        .strip_prefix("Digest:")
        .is_some_and(|hex| hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `11.8.50` from `Intel(R) Active Management Technology 11.8.50.3425` (3- or 4-part versions).
pub fn amt_version_from_server(s: &str) -> Option<String> {
    let token = banner_rest(s)?.split_whitespace().next()?;
    let parts: Vec<&str> = token.split('.').collect();
    let numeric = |p: &&str| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit());
    if !(3..=4).contains(&parts.len()) || !parts.iter().all(numeric) {
        return None;
    }
    Some(parts.get(..3)?.join("."))
}

/// The text after the AMT product name in a `Server:` value, if the name is there.
fn banner_rest(s: &str) -> Option<&str> {
    let lower = s.to_ascii_lowercase();
    let at = lower.find(&AMT_BANNER.to_ascii_lowercase())?;
    s.get(at + AMT_BANNER.len()..)
}

/// `host:port` for a `Host` header, bracketing a bare IPv6 literal.
pub fn authority(host: &str, port: u16) -> String {
    if host.parse::<Ipv6Addr>().is_ok() {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// An HTTP/1.1 request with `Host`, `Connection: close`, the given headers and, when `body` is
/// not empty, `Content-Length`. Refuses control characters that would split the request.
pub fn encode_request(
    method: &str,
    path: &str,
    authority: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Vec<u8>, String> {
    for part in [method, path, authority] {
        if part.is_empty() || part.chars().any(|c| c.is_control() || c == ' ') {
            return Err(format!(
                "refusing to send {part:?} in a request line or Host"
            ));
        }
    }
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {authority}\r\n");
    for (name, value) in headers {
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic() && b != b':') {
            return Err(format!("refusing to send header name {name:?}"));
        }
        if value.chars().any(|c| c.is_control() && c != '\t') {
            return Err(format!(
                "refusing to send a control character in header {name}"
            ));
        }
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("Connection: close\r\n\r\n");
    let mut out = head.into_bytes();
    out.extend_from_slice(body);
    Ok(out)
}

/// Connect to `addr`, send `request` and read the response (see [`exchange`] for `read_body`).
/// `timeout` bounds the whole call, connect included.
pub async fn fetch(
    addr: SocketAddr,
    request: &[u8],
    read_body: bool,
    timeout: Duration,
) -> Result<Response, String> {
    within(timeout, async {
        let mut stream = TcpStream::connect(addr)
            .await
            .map_err(|e| format!("connect to {addr}: {e}"))?;
        send_and_read(&mut stream, request, read_body).await
    })
    .await
}

/// Send `request` on `stream` and read one response. With `read_body`, the body is read by
/// Content-Length, chunked coding or until close, capped at [`MAX_BODY`]; a body that fails on a
/// non-2xx response is left empty (the status is the answer). `timeout` bounds the whole call.
pub async fn exchange<S>(
    stream: &mut S,
    request: &[u8],
    read_body: bool,
    timeout: Duration,
) -> Result<Response, String>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    within(timeout, send_and_read(stream, request, read_body)).await
}

/// Run `work`, failing with a timeout message when it takes longer than `timeout`.
pub async fn within<T>(
    timeout: Duration,
    work: impl Future<Output = Result<T, String>>,
) -> Result<T, String> {
    tokio::time::timeout(timeout, work)
        .await
        .unwrap_or_else(|_| Err(format!("timed out after {} ms", timeout.as_millis())))
}

async fn send_and_read<S>(
    stream: &mut S,
    request: &[u8],
    read_body: bool,
) -> Result<Response, String>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    stream
        .write_all(request)
        .await
        .map_err(|e| format!("send: {e}"))?;
    stream.flush().await.map_err(|e| format!("send: {e}"))?;
    let mut incoming = Incoming::new(stream);
    let (status, headers) = read_final_head(&mut incoming).await?;
    let mut response = Response {
        status,
        headers,
        body: Vec::new(),
    };
    if read_body {
        match read_body_of(&mut incoming, &response).await {
            Ok(body) => response.body = body,
            Err(e) if (200..300).contains(&status) => return Err(e),
            Err(_) => {}
        }
    }
    Ok(response)
}

/// Bytes received but not yet consumed, over a borrowed stream.
struct Incoming<'s, S> {
    stream: &'s mut S,
    buf: Vec<u8>,
    pos: usize,
}

impl<'s, S: AsyncRead + Unpin> Incoming<'s, S> {
    fn new(stream: &'s mut S) -> Self {
        Incoming {
            stream,
            buf: Vec::new(),
            pos: 0,
        }
    }

    fn available(&self) -> &[u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }

    fn advance(&mut self, n: usize) {
        self.pos = self.pos.saturating_add(n).min(self.buf.len());
    }

    /// Consume `n` available bytes (fewer if fewer are there).
    fn take(&mut self, n: usize) -> Vec<u8> {
        let end = self.pos.saturating_add(n).min(self.buf.len());
        let out = self.buf.get(self.pos..end).unwrap_or_default().to_vec();
        self.pos = end;
        out
    }

    /// Read more bytes; false at end of stream.
    async fn fill(&mut self) -> Result<bool, String> {
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let old = self.buf.len();
        self.buf.resize(old + READ_CHUNK, 0);
        let read = self.stream.read(&mut self.buf[old..]).await;
        let n = read.as_ref().map_or(0, |n| *n);
        self.buf.truncate(old + n);
        read.map(|n| n > 0).map_err(|e| format!("receive: {e}"))
    }

    /// Read until at least `n` bytes are available; false if the stream ended first.
    async fn want(&mut self, n: usize) -> Result<bool, String> {
        while self.available().len() < n {
            if !self.fill().await? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

type Head = (u16, Vec<(String, String)>);

/// The first non-informational head (skips `100 Continue` and friends).
async fn read_final_head<S: AsyncRead + Unpin>(
    incoming: &mut Incoming<'_, S>,
) -> Result<Head, String> {
    loop {
        let head = read_head(incoming).await?;
        if !(100..200).contains(&head.0) || head.0 == 101 {
            return Ok(head);
        }
    }
}

async fn read_head<S: AsyncRead + Unpin>(incoming: &mut Incoming<'_, S>) -> Result<Head, String> {
    loop {
        if let Some((len, head)) = parse_head(incoming.available())? {
            incoming.advance(len);
            return Ok(head);
        }
        if incoming.available().len() > MAX_HEAD {
            return Err(format!("response head exceeds {} KiB", MAX_HEAD / 1024));
        }
        if !incoming.fill().await? {
            return Err(if incoming.available().is_empty() {
                "connection closed without a response".to_owned()
            } else {
                "connection closed in the middle of the response head (truncated)".to_owned()
            });
        }
    }
}

/// A complete head in `bytes`: its length and contents; `None` while partial.
fn parse_head(bytes: &[u8]) -> Result<Option<(usize, Head)>, String> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    match response.parse(bytes) {
        Ok(httparse::Status::Complete(len)) => {
            let status = response.code.unwrap_or(0);
            let owned = response
                .headers
                .iter()
                .map(|h| {
                    (
                        h.name.to_owned(),
                        String::from_utf8_lossy(h.value).into_owned(),
                    )
                })
                .collect();
            Ok(Some((len, (status, owned))))
        }
        Ok(httparse::Status::Partial) => Ok(None),
        Err(e) => Err(format!("not an HTTP response: {e}")),
    }
}

async fn read_body_of<S: AsyncRead + Unpin>(
    incoming: &mut Incoming<'_, S>,
    response: &Response,
) -> Result<Vec<u8>, String> {
    if matches!(response.status, 100..=199 | 204 | 304) {
        return Ok(Vec::new());
    }
    if is_chunked(response) {
        return read_chunked(incoming).await;
    }
    match content_length(response)? {
        Some(len) => read_exact_len(incoming, len).await,
        None => read_to_close(incoming).await,
    }
}

fn is_chunked(response: &Response) -> bool {
    response
        .headers_named("transfer-encoding")
        .flat_map(|v| v.split(','))
        .last()
        .is_some_and(|coding| coding.trim().eq_ignore_ascii_case("chunked"))
}

/// The Content-Length, if given; repeated values must agree.
fn content_length(response: &Response) -> Result<Option<u64>, String> {
    let mut found = None;
    for value in response.headers_named("content-length") {
        let len: u64 = value
            .trim()
            .parse()
            .map_err(|_| format!("bad Content-Length {value:?}"))?;
        if found.is_some_and(|f| f != len) {
            return Err("conflicting Content-Length headers".to_owned());
        }
        found = Some(len);
    }
    Ok(found)
}

fn too_large() -> String {
    format!("response body exceeds {} KiB", MAX_BODY / 1024)
}

async fn read_exact_len<S: AsyncRead + Unpin>(
    incoming: &mut Incoming<'_, S>,
    len: u64,
) -> Result<Vec<u8>, String> {
    let len = usize::try_from(len)
        .ok()
        .filter(|l| *l <= MAX_BODY)
        .ok_or_else(too_large)?;
    if !incoming.want(len).await? {
        let got = incoming.available().len();
        return Err(format!("response body truncated: {got} of {len} bytes"));
    }
    Ok(incoming.take(len))
}

async fn read_to_close<S: AsyncRead + Unpin>(
    incoming: &mut Incoming<'_, S>,
) -> Result<Vec<u8>, String> {
    while incoming.fill().await? {
        if incoming.available().len() > MAX_BODY {
            return Err(too_large());
        }
    }
    Ok(incoming.take(MAX_BODY))
}

/// A chunked body; trailers after the last chunk are not read (the connection closes anyway).
async fn read_chunked<S: AsyncRead + Unpin>(
    incoming: &mut Incoming<'_, S>,
) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let size = read_chunk_size(incoming).await?;
        if size == 0 {
            return Ok(body);
        }
        let size = usize::try_from(size)
            .ok()
            .filter(|s| *s <= MAX_BODY - body.len())
            .ok_or_else(too_large)?;
        if !incoming.want(size + 2).await? {
            return Err("chunked body truncated".to_owned());
        }
        body.extend_from_slice(&incoming.take(size));
        if incoming.take(2) != b"\r\n" {
            return Err("chunk data not followed by CRLF".to_owned());
        }
    }
}

async fn read_chunk_size<S: AsyncRead + Unpin>(
    incoming: &mut Incoming<'_, S>,
) -> Result<u64, String> {
    loop {
        match httparse::parse_chunk_size(incoming.available()) {
            Ok(httparse::Status::Complete((len, size))) => {
                incoming.advance(len);
                return Ok(size);
            }
            Ok(httparse::Status::Partial) => {}
            Err(_) => return Err("malformed chunk-size line".to_owned()),
        }
        if incoming.available().len() > MAX_CHUNK_LINE {
            return Err("chunk-size line too long".to_owned());
        }
        if !incoming.fill().await? {
            return Err("chunked body truncated".to_owned());
        }
    }
}

/// A `WWW-Authenticate: Digest …` challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// The protection space; AMT sends `Digest:<32 hex>`.
    pub realm: String,
    /// The server nonce.
    pub nonce: String,
    /// Echoed back unchanged when present.
    pub opaque: Option<String>,
    /// Offered qop values, lower-cased (`auth`, `auth-int`); empty for RFC 2069 servers.
    pub qop: Vec<String>,
    /// The algorithm token as sent (`MD5`, `MD5-sess`), when present.
    pub algorithm: Option<String>,
    /// `stale=true`: the nonce expired, the credentials may still be right.
    pub stale: bool,
}

/// True when a `WWW-Authenticate` value uses the Digest scheme.
pub fn is_digest(value: &str) -> bool {
    let scheme = value.trim_start().split([' ', '\t']).next().unwrap_or("");
    scheme.eq_ignore_ascii_case("digest")
}

/// Parse a `WWW-Authenticate` value; `None` unless it is Digest with a realm and a nonce.
pub fn parse_challenge(value: &str) -> Option<Challenge> {
    if !is_digest(value) {
        return None;
    }
    let params = auth_params(value.trim_start().get("digest".len()..)?)?;
    let get = |name: &str| {
        params
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, v)| v.clone())
    };
    Some(Challenge {
        realm: get("realm")?,
        nonce: get("nonce")?,
        opaque: get("opaque"),
        qop: get("qop")
            .map(|q| {
                q.split(',')
                    .map(|s| s.trim().to_ascii_lowercase())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        algorithm: get("algorithm"),
        stale: get("stale").is_some_and(|s| s.eq_ignore_ascii_case("true")),
    })
}

/// `name=token` / `name="quoted"` pairs separated by commas; names lower-cased, quotes and
/// backslash escapes removed. `None` when the list is malformed.
pub fn auth_params(s: &str) -> Option<Vec<(String, String)>> {
    let mut chars = s.chars().peekable();
    let mut out = Vec::new();
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == ',').is_some() {}
        if chars.peek().is_none() {
            return Some(out);
        }
        let mut name = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && !matches!(c, '=' | ',')) {
            name.push(c.to_ascii_lowercase());
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        chars.next_if_eq(&'=')?;
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let value = if chars.next_if_eq(&'"').is_some() {
            quoted_rest(&mut chars)?
        } else {
            let mut v = String::new();
            while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != ',') {
                v.push(c);
            }
            v
        };
        out.push((name, value));
    }
}

/// The rest of a quoted string after its opening quote; `None` if it never closes.
fn quoted_rest(chars: &mut impl Iterator<Item = char>) -> Option<String> {
    let mut value = String::new();
    loop {
        match chars.next()? {
            '"' => return Some(value),
            '\\' => value.push(chars.next()?),
            c => value.push(c),
        }
    }
}

/// The `Authorization` value answering `challenge` for one request (nc=00000001).
/// Supports MD5 and MD5-sess with qop=auth, or no qop (RFC 2069); anything else is an error.
pub fn digest_authorization(
    challenge: &Challenge,
    user: &str,
    password: &str,
    method: &str,
    uri: &str,
    cnonce: &str,
) -> Result<String, String> {
    let sess = match challenge.algorithm.as_deref() {
        None => false,
        Some(a) if a.eq_ignore_ascii_case("md5") => false,
        Some(a) if a.eq_ignore_ascii_case("md5-sess") => true,
        Some(a) => return Err(format!("unsupported Digest algorithm {a:?}")),
    };
    let use_qop = if challenge.qop.is_empty() {
        false
    } else if challenge.qop.iter().any(|q| q == "auth") {
        true
    } else {
        return Err(format!(
            "the server offers qop {:?}, not auth",
            challenge.qop.join(",")
        ));
    };
    let nc = "00000001";
    let mut ha1 = md5_hex(&format!("{user}:{}:{password}", challenge.realm));
    if sess {
        ha1 = md5_hex(&format!("{ha1}:{}:{cnonce}", challenge.nonce));
    }
    let ha2 = md5_hex(&format!("{method}:{uri}"));
    let response = if use_qop {
        md5_hex(&format!(
            "{ha1}:{}:{nc}:{cnonce}:auth:{ha2}",
            challenge.nonce
        ))
    } else {
        md5_hex(&format!("{ha1}:{}:{ha2}", challenge.nonce))
    };
    let mut out = format!(
        "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\"",
        quote(user),
        quote(&challenge.realm),
        quote(&challenge.nonce),
        quote(uri)
    );
    if let Some(algorithm) = &challenge.algorithm {
        out.push_str(&format!(", algorithm={algorithm}"));
    }
    out.push_str(&format!(", response=\"{response}\""));
    if use_qop {
        out.push_str(&format!(
            ", qop=auth, nc={nc}, cnonce=\"{}\"",
            quote(cnonce)
        ));
    }
    if let Some(opaque) = &challenge.opaque {
        out.push_str(&format!(", opaque=\"{}\"", quote(opaque)));
    }
    Ok(out)
}

/// Lower-case hex MD5 of `s`.
pub fn md5_hex(s: &str) -> String {
    hex::encode(Md5::digest(s.as_bytes()))
}

/// Escape `\` and `"` for a quoted-string.
fn quote(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// `n` random bytes from the OS, hex-encoded (client nonces).
pub fn random_hex(n: usize) -> Result<String, String> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| format!("no random bytes from the OS: {e}"))?;
    Ok(hex::encode(bytes))
}

/// Loopback responders shared by the probe tests.
#[cfg(test)]
pub(crate) mod testing {
    use std::net::SocketAddr;
    use std::time::{Duration, Instant};

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    /// One received request: head text and body.
    #[derive(Debug, Clone)]
    pub struct Received {
        pub head: String,
        pub body: Vec<u8>,
    }

    impl Received {
        pub fn header(&self, name: &str) -> Option<&str> {
            self.head.lines().skip(1).find_map(|l| {
                let (n, v) = l.split_once(':')?;
                n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
            })
        }
    }

    /// Serve `replies.len()` connections: read a request, answer with `reply(&request)`, close.
    pub async fn serve<F>(connections: usize, mut reply: F) -> SocketAddr
    where
        F: FnMut(&Received) -> Vec<u8> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            for _ in 0..connections {
                let (mut socket, _) = listener.accept().await.unwrap();
                let request = read_request(&mut socket).await;
                let _ = socket.write_all(&reply(&request)).await;
                let _ = socket.shutdown().await;
            }
        });
        addr
    }

    /// Answer one connection with fixed bytes.
    pub async fn serve_bytes(reply: impl Into<Vec<u8>>) -> SocketAddr {
        let reply = reply.into();
        serve(1, move |_| reply.clone()).await
    }

    /// Accept connections and never answer.
    pub async fn silent() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                held.push(socket);
            }
        });
        addr
    }

    /// Send `prefix`, then `filler` forever (until the client hangs up).
    pub async fn endless(prefix: impl Into<Vec<u8>>, filler: impl Into<Vec<u8>>) -> SocketAddr {
        let (prefix, filler) = (prefix.into(), filler.into());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            read_request(&mut socket).await;
            if socket.write_all(&prefix).await.is_err() {
                return;
            }
            let block = filler.repeat(4096 / filler.len().max(1) + 1);
            while socket.write_all(&block).await.is_ok() {}
        });
        addr
    }

    /// A loopback port with nothing listening.
    pub async fn refused() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap()
    }

    /// Run `work` and assert it ends well within five times `timeout`.
    pub async fn ends_within<T>(timeout: Duration, work: impl Future<Output = T>) -> T {
        let started = Instant::now();
        let out = work.await;
        assert!(
            started.elapsed() < timeout * 5,
            "took {:?}",
            started.elapsed()
        );
        out
    }

    async fn read_request(socket: &mut TcpStream) -> Received {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        let head_end = loop {
            if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => break buf.len(),
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let mut received = Received {
            head,
            body: buf[head_end..].to_vec(),
        };
        let len: usize = received
            .header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        while received.body.len() < len {
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.body.extend_from_slice(&chunk[..n]),
            }
        }
        received
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    const T: Duration = Duration::from_millis(500);
    const AMT_303: &str = "HTTP/1.1 303 See Other\r\nLocation: /logon.htm\r\nContent-Length: 0\r\n\
        Server: Intel(R) Active Management Technology 11.8.50.3425\r\n\r\n";

    #[test]
    fn amt_realms_have_a_fixed_shape() {
        assert!(is_amt_realm("Digest:A4070000000000000000000000000000"));
        assert!(is_amt_realm("Digest:9c3e4f0a1b2d4c5e8f7061a2b3c4d5e6"));
        assert!(!is_amt_realm("Digest:A40700000000000000000000000000"));
        assert!(!is_amt_realm("Digest:G4070000000000000000000000000000"));
        assert!(!is_amt_realm("testrealm@host.com"));
        assert!(!is_amt_realm("digest:A4070000000000000000000000000000"));
    }

    #[test]
    fn reads_amt_versions_from_server_headers() {
        let s = "Intel(R) Active Management Technology 11.8.50.3425";
        assert!(is_amt_server(s));
        assert_eq!(amt_version_from_server(s).as_deref(), Some("11.8.50"));
        let three = "Intel(R) Active Management Technology 2.6.3";
        assert_eq!(amt_version_from_server(three).as_deref(), Some("2.6.3"));
        let lower = "intel(r) active management technology 16.1.25.2124";
        assert_eq!(amt_version_from_server(lower).as_deref(), Some("16.1.25"));
        assert_eq!(
            amt_version_from_server("Intel(R) Active Management Technology 11.8"),
            None
        );
        assert_eq!(
            amt_version_from_server("Intel(R) Active Management Technology x.y.z"),
            None
        );
        assert_eq!(
            amt_version_from_server("Intel(R) Active Management Technology"),
            None
        );
        assert!(!is_amt_server("nginx/1.24.0"));
        assert!(is_amt_server("AMT") && is_amt_server(" AMT "));
        assert_eq!(amt_version_from_server("AMT"), None);
        assert!(!is_amt_server("AMTd/2.0") && !is_amt_server("amt-proxy"));
        assert_eq!(amt_version_from_server("nginx/1.24.0"), None);
        assert_eq!(
            amt_version_from_server("Intel(R) Active Management Technology ¡1.2.3"),
            None
        );
    }

    #[test]
    fn encodes_requests_byte_exact() {
        let req =
            encode_request("GET", "/", &authority("amt.example.com", 16992), &[], &[]).unwrap();
        assert_eq!(
            req,
            b"GET / HTTP/1.1\r\nHost: amt.example.com:16992\r\nConnection: close\r\n\r\n"
        );
        let req = encode_request(
            "POST",
            "/wsman",
            &authority("fe80::1", 16992),
            &[("X-A", "b")],
            b"<x/>",
        )
        .unwrap();
        assert_eq!(
            req,
            b"POST /wsman HTTP/1.1\r\nHost: [fe80::1]:16992\r\nX-A: b\r\nContent-Length: 4\r\n\
              Connection: close\r\n\r\n<x/>"
        );
        assert!(encode_request("GET", "/", "evil\r\nX: y", &[], &[]).is_err());
        assert!(encode_request("GET", "/", "h", &[("X", "a\r\nB: c")], &[]).is_err());
        assert!(encode_request("GET", "/", "h", &[("X Y", "a")], &[]).is_err());
    }

    #[test]
    fn parses_amt_digest_challenges() {
        let v = r#"Digest realm="Digest:A4070000000000000000000000000000", nonce="Q0UGAAAAAAAAAAAAAAAAAAAAAAA=",stale="false",qop="auth""#;
        let c = parse_challenge(v).unwrap();
        assert_eq!(c.realm, "Digest:A4070000000000000000000000000000");
        assert_eq!(c.nonce, "Q0UGAAAAAAAAAAAAAAAAAAAAAAA=");
        assert_eq!(c.qop, vec!["auth"]);
        assert!(!c.stale);
        assert_eq!(c.opaque, None);
        let quoted =
            parse_challenge(r#"digest realm="a\"b", nonce=n1, qop="auth,auth-int", stale=TRUE"#)
                .unwrap();
        assert_eq!(quoted.realm, "a\"b");
        assert_eq!(quoted.nonce, "n1");
        assert_eq!(quoted.qop, vec!["auth", "auth-int"]);
        assert!(quoted.stale);
        assert_eq!(parse_challenge(r#"Basic realm="x""#), None);
        assert_eq!(parse_challenge(r#"Digest realm="x""#), None);
        assert_eq!(
            parse_challenge(r#"Digest realm="unterminated, nonce="n""#),
            None
        );
        assert_eq!(parse_challenge("Digest realm"), None);
        assert_eq!(
            parse_challenge("Digest é=\"ü\", realm=r, nonce=n").map(|c| c.realm),
            Some("r".into())
        );
        assert!(is_digest("Digest"));
        assert!(!is_digest("DigestX realm=a"));
    }

    #[test]
    fn answers_the_rfc_2617_example() {
        let c = parse_challenge(
            r#"Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41""#,
        )
        .unwrap();
        let a = digest_authorization(
            &c,
            "Mufasa",
            "Circle Of Life",
            "GET",
            "/dir/index.html",
            "0a4f113b",
        )
        .unwrap();
        assert_eq!(
            a,
            "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", \
             nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", \
             response=\"6629fae49393a05397450978507c4ef1\", qop=auth, nc=00000001, \
             cnonce=\"0a4f113b\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""
        );
    }

    #[test]
    fn answers_the_rfc_7616_md5_example() {
        let c = Challenge {
            realm: "http-auth@example.org".into(),
            nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v".into(),
            opaque: Some("FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS".into()),
            qop: vec!["auth".into(), "auth-int".into()],
            algorithm: Some("MD5".into()),
            stale: false,
        };
        let cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        let a = digest_authorization(
            &c,
            "Mufasa",
            "Circle of Life",
            "GET",
            "/dir/index.html",
            cnonce,
        )
        .unwrap();
        assert!(
            a.contains("response=\"8ca523f5e9506fed4657c9700eebdbec\""),
            "{a}"
        );
        assert!(a.contains(", algorithm=MD5, "), "{a}");
    }

    #[test]
    fn refuses_what_it_cannot_answer() {
        let mut c = parse_challenge(r#"Digest realm="r", nonce="n", qop="auth-int""#).unwrap();
        assert!(digest_authorization(&c, "u", "p", "GET", "/", "c").is_err());
        c.qop.clear();
        c.algorithm = Some("SHA-256".into());
        assert!(digest_authorization(&c, "u", "p", "GET", "/", "c").is_err());
        c.algorithm = None;
        // RFC 2069: MD5(HA1:nonce:HA2), no qop, nc or cnonce.
        let a = digest_authorization(&c, "u", "p", "GET", "/", "c").unwrap();
        let ha1 = md5_hex("u:r:p");
        let ha2 = md5_hex("GET:/");
        assert!(a.ends_with(&format!(
            "response=\"{}\"",
            md5_hex(&format!("{ha1}:n:{ha2}"))
        )));
        assert_eq!(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(random_hex(16).unwrap().len(), 32);
    }

    #[tokio::test]
    async fn reads_the_amt_banner() {
        let addr = serve_bytes(AMT_303).await;
        let info = get_root(addr, "amt.example.com", T).await.unwrap();
        assert_eq!(
            info,
            HttpInfo {
                status: 303,
                server: Some("Intel(R) Active Management Technology 11.8.50.3425".into()),
                amt_version: Some("11.8.50".into()),
            }
        );
    }

    #[tokio::test]
    async fn sends_host_and_reads_a_plain_web_server() {
        let addr = serve(1, |req| {
            assert!(req.head.starts_with("GET / HTTP/1.1\r\n"), "{}", req.head);
            assert_eq!(req.header("host"), Some("host.example.com:80"));
            // A page far larger than MAX_BODY: get_root never reads it.
            let mut r =
                b"HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 3000000\r\n\r\n".to_vec();
            r.extend(std::iter::repeat_n(b'x', 3_000_000));
            r
        })
        .await;
        let request = encode_request("GET", "/", "host.example.com:80", &[], &[]).unwrap();
        let response = fetch(addr, &request, false, T).await.unwrap();
        let info = http_info(&response);
        assert_eq!(info.status, 200);
        assert_eq!(info.server.as_deref(), Some("nginx"));
        assert_eq!(info.amt_version, None);
    }

    #[tokio::test]
    async fn plain_server_without_server_header() {
        let addr = serve_bytes("HTTP/1.0 404 Not Found\r\n\r\n").await;
        let info = get_root(addr, "h", T).await.unwrap();
        assert_eq!((info.status, info.server), (404, None));
    }

    #[tokio::test]
    async fn refused_port_is_an_error() {
        let addr = refused().await;
        let e = get_root(addr, "h", T).await.unwrap_err();
        assert!(e.starts_with("connect to"), "{e}");
    }

    #[tokio::test]
    async fn silent_peer_ends_within_the_timeout() {
        let addr = silent().await;
        let e = ends_within(T, get_root(addr, "h", T)).await.unwrap_err();
        assert!(e.contains("timed out"), "{e}");
    }

    #[tokio::test]
    async fn garbage_and_truncated_heads_are_errors() {
        let addr = serve_bytes("SSH-2.0-OpenSSH_9.6\r\n").await;
        assert!(
            get_root(addr, "h", T)
                .await
                .unwrap_err()
                .contains("not an HTTP response")
        );
        let addr = serve_bytes(vec![0xff, 0x00, 0x13, 0x37, b'\r', b'\n', b'\r', b'\n']).await;
        assert!(get_root(addr, "h", T).await.is_err());
        let addr = serve_bytes("HTTP/1.1 303 See Other\r\nServer: Intel(R) Act").await;
        assert!(
            get_root(addr, "h", T)
                .await
                .unwrap_err()
                .contains("truncated")
        );
        let addr = serve_bytes("").await;
        assert!(
            get_root(addr, "h", T)
                .await
                .unwrap_err()
                .contains("without a response")
        );
    }

    #[tokio::test]
    async fn oversized_heads_and_bodies_are_errors() {
        let addr = endless(&b"HTTP/1.1 200 OK\r\nX-Pad: "[..], &b"a"[..]).await;
        let e = ends_within(T, get_root(addr, "h", T)).await.unwrap_err();
        assert!(e.contains("head exceeds 64 KiB"), "{e}");
        let addr = endless(&b"HTTP/1.1 200 OK\r\n"[..], &b"X-Pad: a\r\n"[..]).await;
        let e = ends_within(T, get_root(addr, "h", T)).await.unwrap_err();
        assert!(e.contains("too many headers"), "{e}");
        let addr = endless(&b"HTTP/1.1 200 OK\r\n\r\n"[..], &b"<x>"[..]).await;
        let e = ends_within(T, fetch(addr, b"GET / HTTP/1.1\r\n\r\n", true, T))
            .await
            .unwrap_err();
        assert!(e.contains("body exceeds"), "{e}");
        let addr = serve_bytes("HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n").await;
        let e = fetch(addr, b"GET / HTTP/1.1\r\n\r\n", true, T)
            .await
            .unwrap_err();
        assert!(e.contains("body exceeds"), "{e}");
        let chunk = [b"1000\r\n".as_slice(), &[b'x'; 4096], b"\r\n"].concat();
        let addr = endless(
            &b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"[..],
            chunk,
        )
        .await;
        let e = ends_within(T, fetch(addr, b"GET / HTTP/1.1\r\n\r\n", true, T))
            .await
            .unwrap_err();
        assert!(e.contains("body exceeds"), "{e}");
    }

    #[tokio::test]
    async fn bodies_by_length_chunks_and_close() {
        let get = b"GET / HTTP/1.1\r\n\r\n";
        let addr = serve_bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello, extra").await;
        assert_eq!(fetch(addr, get, true, T).await.unwrap().body, b"hello");
        let addr = serve_bytes(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n6\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nX-Trailer: y\r\n\r\n",
        )
        .await;
        assert_eq!(
            fetch(addr, get, true, T).await.unwrap().body,
            b"Wikipedia in \r\n\r\nchunks."
        );
        let addr =
            serve_bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\nto the end").await;
        let r = fetch(addr, get, true, T).await.unwrap();
        assert_eq!((r.status, r.body.as_slice()), (200, &b"to the end"[..]));
    }

    #[tokio::test]
    async fn truncated_and_malformed_bodies() {
        let get = b"GET / HTTP/1.1\r\n\r\n";
        let addr = serve_bytes("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort").await;
        let e = fetch(addr, get, true, T).await.unwrap_err();
        assert!(e.contains("truncated: 5 of 100"), "{e}");
        let addr =
            serve_bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc").await;
        assert!(
            fetch(addr, get, true, T)
                .await
                .unwrap_err()
                .contains("truncated")
        );
        let addr = serve_bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").await;
        assert!(
            fetch(addr, get, true, T)
                .await
                .unwrap_err()
                .contains("chunk-size")
        );
        let addr =
            serve_bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab")
                .await;
        assert!(
            fetch(addr, get, true, T)
                .await
                .unwrap_err()
                .contains("conflicting")
        );
        // A broken body on a non-2xx answer keeps the status.
        let addr =
            serve_bytes("HTTP/1.1 401 Unauthorized\r\nContent-Length: 100\r\n\r\nshort").await;
        let r = fetch(addr, get, true, T).await.unwrap();
        assert_eq!((r.status, r.body.len()), (401, 0));
    }

    #[tokio::test]
    async fn works_over_any_stream() {
        let (mut client, mut server) = tokio::io::duplex(1024);
        tokio::spawn(async move {
            let mut buf = [0u8; 64];
            let _ = server.read(&mut buf).await;
            let _ = server.write_all(AMT_303.as_bytes()).await;
        });
        let r = exchange(&mut client, b"GET / HTTP/1.1\r\n\r\n", true, T)
            .await
            .unwrap();
        assert_eq!(http_info(&r).amt_version.as_deref(), Some("11.8.50"));
    }
}
