//! WS-Management over HTTP for the live probes: the anonymous Identify, Digest-authenticated
//! WS-Transfer Gets of AMT settings classes, and parsers for the instances they return.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use quick_xml::escape::escape;
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::http::{self, Response};
use crate::xml::{self, Document, Element};

/// The path of the WS-Management service on 16992/16993.
pub const WSMAN_PATH: &str = "/wsman";
/// `Content-Type` of every SOAP 1.2 request.
pub const SOAP_CONTENT_TYPE: &str = "application/soap+xml;charset=UTF-8";
/// Resource URIs of AMT classes are this prefix plus the class name.
pub const AMT_SCHEMA: &str = "http://intel.com/wbem/wscim/1/amt-schema/1/";
/// WS-Transfer Get action.
pub const GET_ACTION: &str = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Get";
/// The anonymous Identify request (DSP0226): SOAP 1.2, empty header, `wsmid:Identify` body.
pub const IDENTIFY_ENVELOPE: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8"?>"#,
    r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" "#,
    r#"xmlns:wsmid="http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd">"#,
    r#"<s:Header/><s:Body><wsmid:Identify/></s:Body></s:Envelope>"#
);
/// WS-Transfer Put action.
pub const PUT_ACTION: &str = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Put";
/// The class holding the home domains.
pub const DETECTION_CLASS: &str = "AMT_EnvironmentDetectionSettingData";
/// `InstanceID` (and `ElementName`) of its one instance.
pub const DETECTION_INSTANCE: &str = "Intel(r) AMT Environment Detection Settings";
/// Selector of the wired port's `AMT_EthernetPortSettings` instance (`… 1` is wireless).
pub const WIRED_PORT: (&str, &str) = ("InstanceID", "Intel(r) AMT Ethernet Port Settings 0");

/// The resource URI of an AMT class, e.g. `AMT_GeneralSettings`.
pub fn resource_uri(class: &str) -> String {
    format!("{AMT_SCHEMA}{class}")
}

/// What an anonymous Identify got back.
///
/// JSON: `{"status": "identified", "vendor": "Intel(r)" | null, "version": "AMT 11" | null}`,
/// `{"status": "auth-required", "realm": "Digest:…" | null}`, `{"status": "http-404"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identify {
    /// 200 with an `IdentifyResponse`.
    Identified {
        vendor: Option<String>,
        version: Option<String>,
    },
    /// 401 with a Digest challenge; the realm when the challenge carries one.
    AuthRequired { realm: Option<String> },
    /// Any other answer (including a 200 that is not an `IdentifyResponse`).
    Other { status: u16 },
}

impl Identify {
    /// True for the answers that mean "WS-Man alive" (200 Identify or 401 Digest).
    pub fn wsman_alive(&self) -> bool {
        !matches!(self, Identify::Other { .. })
    }

    /// True when the answer itself points at an Intel ME: `ProductVendor` names Intel, or the
    /// Digest realm has AMT's `Digest:<32 hex>` shape. Other WS-Man stacks answer too.
    pub fn is_amt(&self) -> bool {
        match self {
            Identify::Identified { vendor, .. } => vendor
                .as_deref()
                .is_some_and(|v| v.to_ascii_lowercase().contains("intel")),
            Identify::AuthRequired { realm } => realm.as_deref().is_some_and(http::is_amt_realm),
            Identify::Other { .. } => false,
        }
    }
}

impl Serialize for Identify {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Identify::Identified { vendor, version } => {
                let mut map = serializer.serialize_map(Some(3))?;
                map.serialize_entry("status", "identified")?;
                map.serialize_entry("vendor", vendor)?;
                map.serialize_entry("version", version)?;
                map.end()
            }
            Identify::AuthRequired { realm } => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("status", "auth-required")?;
                map.serialize_entry("realm", realm)?;
                map.end()
            }
            Identify::Other { status } => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("status", &format!("http-{status}"))?;
                map.end()
            }
        }
    }
}

/// POST the Identify envelope to `/wsman`. `timeout` bounds the whole call.
pub async fn identify(addr: SocketAddr, host: &str, timeout: Duration) -> Result<Identify, String> {
    let authority = http::authority(host, addr.port());
    let response = post(addr, &authority, IDENTIFY_ENVELOPE, None, timeout).await?;
    Ok(classify_identify(&response))
}

/// Read an Identify answer: see [`Identify`].
pub fn classify_identify(response: &Response) -> Identify {
    match response.status {
        200 => identified(&body_text(response)).unwrap_or(Identify::Other { status: 200 }),
        401 => {
            let mut challenges = response
                .headers_named("www-authenticate")
                .filter(|v| http::is_digest(v))
                .peekable();
            if challenges.peek().is_none() {
                return Identify::Other { status: 401 };
            }
            let realm = challenges.find_map(http::parse_challenge).map(|c| c.realm);
            Identify::AuthRequired { realm }
        }
        status => Identify::Other { status },
    }
}

fn identified(body: &str) -> Option<Identify> {
    let doc = xml::parse(body, 0).ok()?;
    let response = doc.iter().find(|(_, e)| e.local == "IdentifyResponse")?.1;
    Some(Identify::Identified {
        vendor: child_text(&doc, response, "ProductVendor"),
        version: child_text(&doc, response, "ProductVersion"),
    })
}

/// A user name and password for HTTP Digest; `Debug` never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The AMT user, usually `admin`.
    pub user: String,
    /// The password; only ever hashed into the Digest response.
    pub password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// WS-Transfer Get of `resource_uri` with HTTP Digest; the response envelope on 200.
/// `timeout` bounds the whole call (both round trips).
pub async fn get(
    addr: SocketAddr,
    host: &str,
    creds: &Credentials,
    resource_uri: &str,
    timeout: Duration,
) -> Result<String, String> {
    get_selected(addr, host, creds, resource_uri, &[], timeout).await
}

/// [`get`] of one instance of a multi-instance class, named by selectors
/// (e.g. [`WIRED_PORT`] for `AMT_EthernetPortSettings`).
pub async fn get_selected(
    addr: SocketAddr,
    host: &str,
    creds: &Credentials,
    resource_uri: &str,
    selectors: &[(&str, &str)],
    timeout: Duration,
) -> Result<String, String> {
    let authority = http::authority(host, addr.port());
    let to = format!("http://{authority}{WSMAN_PATH}");
    let envelope = get_envelope(&to, resource_uri, selectors, &message_id()?);
    http::within(timeout, async {
        let first = post(addr, &authority, &envelope, None, timeout).await?;
        let challenge = match first.status {
            200 => return Ok(body_text(&first)),
            401 => first
                .headers_named("www-authenticate")
                .find_map(http::parse_challenge)
                .ok_or("HTTP 401 without a usable Digest challenge")?,
            status => return Err(http_error(status, &first)),
        };
        let cnonce = http::random_hex(16)?;
        let authorization = http::digest_authorization(
            &challenge,
            &creds.user,
            &creds.password,
            "POST",
            WSMAN_PATH,
            &cnonce,
        )?;
        let second = post(addr, &authority, &envelope, Some(&authorization), timeout).await?;
        match second.status {
            200 => Ok(body_text(&second)),
            401 => Err("authentication failed: the credentials were refused (HTTP 401)".to_owned()),
            status => Err(http_error(status, &second)),
        }
    })
    .await
}

/// The WS-Transfer Get envelope: Action, To, ResourceURI, MessageID, ReplyTo (anonymous),
/// OperationTimeout and, when given, a SelectorSet. Values are XML-escaped.
pub fn get_envelope(
    to: &str,
    resource_uri: &str,
    selectors: &[(&str, &str)],
    message_id: &str,
) -> String {
    envelope(
        GET_ACTION,
        to,
        resource_uri,
        selectors,
        message_id,
        "<s:Body/>",
    )
}

/// The environment-detection settings a Put writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectionPut<'a> {
    /// `DetectionAlgorithm`: 0 local domains, 1 remote URLs.
    pub algorithm: u8,
    pub strings: &'a [String],
    pub ipv6_prefixes: &'a [String],
}

/// The WS-Transfer Put of the one `AMT_EnvironmentDetectionSettingData` instance (selected by
/// its InstanceID) with the whole instance as the body: DetectionAlgorithm, each
/// DetectionIPv6LocalPrefixes and DetectionStrings, ElementName and InstanceID, in the order AMT
/// returns them. A Put replaces the instance, so every property is sent.
pub fn put_detection_envelope(to: &str, settings: &DetectionPut, message_id: &str) -> String {
    let uri = resource_uri(DETECTION_CLASS);
    let mut instance = format!(
        r#"<h:{DETECTION_CLASS} xmlns:h="{}"><h:DetectionAlgorithm>{}</h:DetectionAlgorithm>"#,
        escape(&uri),
        settings.algorithm
    );
    for prefix in settings.ipv6_prefixes {
        instance.push_str(&format!(
            "<h:DetectionIPv6LocalPrefixes>{}</h:DetectionIPv6LocalPrefixes>",
            escape(prefix.as_str())
        ));
    }
    for entry in settings.strings {
        instance.push_str(&format!(
            "<h:DetectionStrings>{}</h:DetectionStrings>",
            escape(entry.as_str())
        ));
    }
    instance.push_str(&format!(
        "<h:ElementName>{DETECTION_INSTANCE}</h:ElementName><h:InstanceID>{DETECTION_INSTANCE}</h:InstanceID></h:{DETECTION_CLASS}>"
    ));
    envelope(
        PUT_ACTION,
        to,
        &uri,
        &[("InstanceID", DETECTION_INSTANCE)],
        message_id,
        &format!("<s:Body>{instance}</s:Body>"),
    )
}

/// A SOAP 1.2 WS-Management request: the addressing header (Action, To, ResourceURI, MessageID,
/// ReplyTo anonymous, OperationTimeout, SelectorSet when given), then `body` (the whole
/// `s:Body` element).
fn envelope(
    action: &str,
    to: &str,
    resource_uri: &str,
    selectors: &[(&str, &str)],
    message_id: &str,
    body: &str,
) -> String {
    let selector_set = if selectors.is_empty() {
        String::new()
    } else {
        let items: String = selectors
            .iter()
            .map(|(name, value)| {
                format!(
                    r#"<wsman:Selector Name="{}">{}</wsman:Selector>"#,
                    escape(*name),
                    escape(*value)
                )
            })
            .collect();
        format!("<wsman:SelectorSet>{items}</wsman:SelectorSet>")
    };
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" "#,
            r#"xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" "#,
            r#"xmlns:wsman="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"><s:Header>"#,
            r#"<wsa:Action s:mustUnderstand="true">{action}</wsa:Action>"#,
            r#"<wsa:To s:mustUnderstand="true">{to}</wsa:To>"#,
            r#"<wsman:ResourceURI s:mustUnderstand="true">{uri}</wsman:ResourceURI>"#,
            r#"<wsa:MessageID s:mustUnderstand="true">{id}</wsa:MessageID>"#,
            r#"<wsa:ReplyTo><wsa:Address>"#,
            r#"http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"#,
            r#"</wsa:Address></wsa:ReplyTo>"#,
            r#"<wsman:OperationTimeout>PT60S</wsman:OperationTimeout>{selectors}"#,
            r#"</s:Header>{body}</s:Envelope>"#
        ),
        action = escape(action),
        to = escape(to),
        uri = escape(resource_uri),
        id = escape(message_id),
        selectors = selector_set,
        body = body,
    )
}

/// A `uuid:` MessageID made from `content` (the version 4 layout over a SHA-256 of it): the same
/// request always prints the same, and different requests differ.
pub fn content_message_id(content: &str) -> String {
    use sha2::{Digest, Sha256};
    let hex = hex::encode(&Sha256::digest(content.as_bytes())[..16]);
    format!(
        "uuid:{}-{}-4{}-8{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// A fresh `uuid:` MessageID (random, version 4 layout).
pub fn message_id() -> Result<String, String> {
    let hex = http::random_hex(16)?;
    let part = |range: std::ops::Range<usize>| hex.get(range).unwrap_or_default().to_owned();
    let variant = ["8", "9", "a", "b"]
        .get(usize::from(
            hex.as_bytes().get(16).copied().unwrap_or(0) % 4,
        ))
        .copied()
        .unwrap_or("8");
    Ok(format!(
        "uuid:{}-{}-4{}-{variant}{}-{}",
        part(0..8),
        part(8..12),
        part(13..16),
        part(17..20),
        part(20..32)
    ))
}

async fn post(
    addr: SocketAddr,
    authority: &str,
    envelope: &str,
    authorization: Option<&str>,
    timeout: Duration,
) -> Result<Response, String> {
    let mut headers = vec![("Content-Type", SOAP_CONTENT_TYPE)];
    if let Some(value) = authorization {
        headers.push(("Authorization", value));
    }
    let request =
        http::encode_request("POST", WSMAN_PATH, authority, &headers, envelope.as_bytes())?;
    http::fetch(addr, &request, true, timeout).await
}

fn body_text(response: &Response) -> String {
    String::from_utf8_lossy(&response.body).into_owned()
}

/// `HTTP 400`, with the SOAP fault reason when the body carries one.
fn http_error(status: u16, response: &Response) -> String {
    match fault_reason(&body_text(response)) {
        Some(reason) => format!("HTTP {status}: {reason}"),
        None => format!("HTTP {status}"),
    }
}

/// The `Reason/Text` of a SOAP 1.2 fault, as sent.
pub fn fault_reason(xml_text: &str) -> Option<String> {
    let doc = xml::parse(xml_text, 0).ok()?;
    fault_in(&doc)
}

fn fault_in(doc: &Document) -> Option<String> {
    doc.iter()
        .find(|(i, e)| e.local == "Text" && doc.path(*i).ends_with(&["Fault", "Reason", "Text"]))
        .map(|(_, e)| e.trimmed_text().to_owned())
}

/// The live `AMT_EnvironmentDetectionSettingData`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct LiveDetection {
    /// `DetectionAlgorithm` (0 local domains, 1 remote URLs); `None` when absent.
    pub algorithm: Option<u8>,
    /// `DetectionStrings`, one per repeated element, text as sent (empty elements skipped).
    pub strings: Vec<String>,
    /// `DetectionIPv6LocalPrefixes`, trimmed.
    pub ipv6_prefixes: Vec<String>,
}

/// Read an `AMT_EnvironmentDetectionSettingData` instance from a Get, Pull or bare document.
pub fn parse_detection(xml_text: &str) -> Result<LiveDetection, String> {
    let mut out = LiveDetection::default();
    for (name, text) in instance_properties(xml_text, "AMT_EnvironmentDetectionSettingData")? {
        match name.as_str() {
            "DetectionAlgorithm" => {
                let value = text.trim();
                let parsed = value
                    .parse()
                    .map_err(|_| format!("DetectionAlgorithm {value:?} is not a small number"))?;
                out.algorithm = Some(parsed);
            }
            "DetectionStrings" if !text.trim().is_empty() => out.strings.push(text),
            "DetectionIPv6LocalPrefixes" if !text.trim().is_empty() => {
                out.ipv6_prefixes.push(text.trim().to_owned())
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The live `AMT_EthernetPortSettings` (first instance in the document).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct EthernetPort {
    /// `InstanceID`: `… Settings 0` wired, `… Settings 1` wireless.
    pub instance_id: Option<String>,
    /// `DHCPEnabled`; false means a static ME IP, which turns environment detection off.
    pub dhcp_enabled: Option<bool>,
    /// `IPAddress`: what the FQDN must resolve to.
    pub ip_address: Option<String>,
    /// `LinkIsUp`.
    pub link_is_up: Option<bool>,
    /// `MACAddress`, as sent (AMT writes `a4-bb-6d-…`).
    pub mac_address: Option<String>,
    /// `IpSyncEnabled`.
    pub ip_sync_enabled: Option<bool>,
    /// `SharedStaticIp`.
    pub shared_static_ip: Option<bool>,
}

/// Read an `AMT_EthernetPortSettings` instance.
pub fn parse_ethernet(xml_text: &str) -> Result<EthernetPort, String> {
    let mut out = EthernetPort::default();
    for (name, text) in instance_properties(xml_text, "AMT_EthernetPortSettings")? {
        match name.as_str() {
            "InstanceID" => out.instance_id = non_empty(&text),
            "DHCPEnabled" => out.dhcp_enabled = boolean(&text),
            "IPAddress" => out.ip_address = non_empty(&text),
            "LinkIsUp" => out.link_is_up = boolean(&text),
            "MACAddress" => out.mac_address = non_empty(&text),
            "IpSyncEnabled" => out.ip_sync_enabled = boolean(&text),
            "SharedStaticIp" => out.shared_static_ip = boolean(&text),
            _ => {}
        }
    }
    Ok(out)
}

/// The live `AMT_GeneralSettings`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct General {
    /// `HostName`: with `DomainName`, the ME's FQDN.
    pub host_name: Option<String>,
    /// `DomainName`.
    pub domain_name: Option<String>,
    /// `DigestRealm`.
    pub digest_realm: Option<String>,
    /// `RmcpPingResponseEnabled`: false explains a silent RMCP ping.
    pub rmcp_ping_response_enabled: Option<bool>,
    /// `PingResponseEnabled` (ICMP).
    pub ping_response_enabled: Option<bool>,
    /// `SharedFQDN`: the ME shares the host OS's FQDN.
    pub shared_fqdn: Option<bool>,
}

/// Read an `AMT_GeneralSettings` instance.
pub fn parse_general(xml_text: &str) -> Result<General, String> {
    let mut out = General::default();
    for (name, text) in instance_properties(xml_text, "AMT_GeneralSettings")? {
        match name.as_str() {
            "HostName" => out.host_name = non_empty(&text),
            "DomainName" => out.domain_name = non_empty(&text),
            "DigestRealm" => out.digest_realm = non_empty(&text),
            "RmcpPingResponseEnabled" => out.rmcp_ping_response_enabled = boolean(&text),
            "PingResponseEnabled" => out.ping_response_enabled = boolean(&text),
            "SharedFQDN" => out.shared_fqdn = boolean(&text),
            _ => {}
        }
    }
    Ok(out)
}

/// `(local name, untrimmed text)` of each child of the first element named `class`
/// (namespaces ignored); a SOAP fault or a missing instance is an error.
fn instance_properties(xml_text: &str, class: &str) -> Result<Vec<(String, String)>, String> {
    let doc = xml::parse(xml_text, 0).map_err(|e| format!("response is not XML: {}", e.message))?;
    let Some((_, instance)) = doc.iter().find(|(_, e)| e.local == class) else {
        return Err(match fault_in(&doc) {
            Some(reason) => format!("WS-Man fault: {reason}"),
            None => format!("no {class} in the response"),
        });
    };
    Ok(doc
        .children(instance)
        .map(|c| (c.local.clone(), c.text.clone()))
        .collect())
}

fn child_text(doc: &Document, parent: &Element, local: &str) -> Option<String> {
    doc.children(parent)
        .find(|c| c.local == local)
        .and_then(|c| non_empty(&c.text))
}

fn non_empty(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn boolean(text: &str) -> Option<bool> {
    match text.trim() {
        t if t.eq_ignore_ascii_case("true") => Some(true),
        t if t.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::http::testing::*;
    use super::*;

    const T: Duration = Duration::from_millis(500);
    const REALM: &str = "Digest:F3EB554784E729164447A89F60B641C5";
    const NONCE: &str = "jC8gAAAAAAAAAAAAAAAAAAAAAAAA/0v8";

    const IDENTIFY_RESPONSE: &str = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?><a:Envelope xmlns:a="http://www.w3.org/2003/05/soap-envelope" "#,
        r#"xmlns:b="http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd"><a:Header></a:Header>"#,
        r#"<a:Body><b:IdentifyResponse><b:ProtocolVersion>http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd</b:ProtocolVersion>"#,
        r#"<b:ProductVendor>Intel(r)</b:ProductVendor><b:ProductVersion>AMT 11</b:ProductVersion>"#,
        r#"<b:DASHVersion>1.0.0</b:DASHVersion><b:SecurityProfiles><b:SecurityProfileName>"#,
        r#"http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/http/digest</b:SecurityProfileName>"#,
        r#"</b:SecurityProfiles></b:IdentifyResponse></a:Body></a:Envelope>"#
    );

    const DETECTION_RESPONSE: &str = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?><a:Envelope xmlns:a="http://www.w3.org/2003/05/soap-envelope" "#,
        r#"xmlns:b="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:c="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" "#,
        r#"xmlns:d="http://schemas.xmlsoap.org/ws/2005/02/trust" xmlns:e="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" "#,
        r#"xmlns:f="http://schemas.dmtf.org/wbem/wsman/1/cimbinding.xsd" "#,
        r#"xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData" "#,
        r#"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><a:Header>"#,
        r#"<b:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</b:To>"#,
        r#"<b:RelatesTo>uuid:6a3b1c2d-0e4f-4a5b-8c6d-7e8f9a0b1c2d</b:RelatesTo>"#,
        r#"<b:Action a:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse</b:Action>"#,
        r#"<b:MessageID>uuid:00000000-8086-8086-8086-00000000004B</b:MessageID>"#,
        r#"<c:ResourceURI>http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData</c:ResourceURI>"#,
        r#"</a:Header><a:Body><g:AMT_EnvironmentDetectionSettingData>"#,
        r#"<g:DetectionAlgorithm>0</g:DetectionAlgorithm>"#,
        r#"<g:DetectionStrings>company.com</g:DetectionStrings>"#,
        r#"<g:DetectionStrings>vpn.company.com</g:DetectionStrings>"#,
        r#"<g:DetectionIPv6LocalPrefixes>2001:db8:1::/48</g:DetectionIPv6LocalPrefixes>"#,
        r#"<g:ElementName>Intel(r) AMT Environment Detection Settings</g:ElementName>"#,
        r#"<g:InstanceID>Intel(r) AMT Environment Detection Settings</g:InstanceID>"#,
        r#"</g:AMT_EnvironmentDetectionSettingData></a:Body></a:Envelope>"#
    );

    const ETHERNET_RESPONSE: &str = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?><a:Envelope xmlns:a="http://www.w3.org/2003/05/soap-envelope" "#,
        r#"xmlns:b="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:c="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" "#,
        r#"xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EthernetPortSettings"><a:Header>"#,
        r#"<b:Action a:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse</b:Action>"#,
        r#"<c:ResourceURI>http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EthernetPortSettings</c:ResourceURI>"#,
        r#"</a:Header><a:Body><g:AMT_EthernetPortSettings><g:DHCPEnabled>true</g:DHCPEnabled>"#,
        r#"<g:DefaultGateway>192.168.1.1</g:DefaultGateway><g:ElementName>Intel(r) AMT Ethernet Port Settings</g:ElementName>"#,
        r#"<g:IPAddress>192.168.1.50</g:IPAddress><g:InstanceID>Intel(r) AMT Ethernet Port Settings 0</g:InstanceID>"#,
        r#"<g:IpSyncEnabled>true</g:IpSyncEnabled><g:LinkIsUp>true</g:LinkIsUp><g:LinkPolicy>1</g:LinkPolicy>"#,
        r#"<g:LinkPolicy>14</g:LinkPolicy><g:MACAddress>a4-bb-6d-12-34-56</g:MACAddress>"#,
        r#"<g:PhysicalConnectionType>0</g:PhysicalConnectionType><g:PrimaryDNS>192.168.1.1</g:PrimaryDNS>"#,
        r#"<g:SharedDynamicIP>true</g:SharedDynamicIP><g:SharedMAC>true</g:SharedMAC>"#,
        r#"<g:SharedStaticIp>false</g:SharedStaticIp><g:SubnetMask>255.255.255.0</g:SubnetMask>"#,
        r#"</g:AMT_EthernetPortSettings></a:Body></a:Envelope>"#
    );

    const GENERAL_RESPONSE: &str = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?><a:Envelope xmlns:a="http://www.w3.org/2003/05/soap-envelope" "#,
        r#"xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_GeneralSettings"><a:Header/><a:Body>"#,
        r#"<g:AMT_GeneralSettings><g:AMTNetworkEnabled>1</g:AMTNetworkEnabled>"#,
        r#"<g:DigestRealm>Digest:F3EB554784E729164447A89F60B641C5</g:DigestRealm>"#,
        r#"<g:DomainName>corp.example.com</g:DomainName><g:ElementName>Intel(r) AMT: General Settings</g:ElementName>"#,
        r#"<g:HostName>pc-0042</g:HostName><g:HostOSFQDN>pc-0042.corp.example.com</g:HostOSFQDN>"#,
        r#"<g:InstanceID>Intel(r) AMT: General Settings</g:InstanceID><g:PingResponseEnabled>true</g:PingResponseEnabled>"#,
        r#"<g:RmcpPingResponseEnabled>false</g:RmcpPingResponseEnabled><g:SharedFQDN>true</g:SharedFQDN>"#,
        r#"<g:WsmanOnlyMode>false</g:WsmanOnlyMode></g:AMT_GeneralSettings></a:Body></a:Envelope>"#
    );

    const FAULT_RESPONSE: &str = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?><a:Envelope xmlns:a="http://www.w3.org/2003/05/soap-envelope" "#,
        r#"xmlns:b="http://schemas.xmlsoap.org/ws/2004/08/addressing"><a:Header/><a:Body><a:Fault><a:Code>"#,
        r#"<a:Value>a:Sender</a:Value><a:Subcode><a:Value>b:DestinationUnreachable</a:Value></a:Subcode></a:Code>"#,
        r#"<a:Reason><a:Text xml:lang="en-US">No route can be determined to reach the destination role defined by the WS-Addressing To.</a:Text></a:Reason>"#,
        r#"<a:Detail></a:Detail></a:Fault></a:Body></a:Envelope>"#
    );

    fn reply(status: &str, headers: &str, body: &str) -> Vec<u8> {
        format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/soap+xml; charset=UTF-8\r\n{headers}Content-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    }

    fn chunked(status: &str, body: &str) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {status}\r\nTransfer-Encoding: chunked\r\n\r\n");
        for piece in body.as_bytes().chunks(700) {
            out.push_str(&format!(
                "{:X}\r\n{}\r\n",
                piece.len(),
                String::from_utf8_lossy(piece)
            ));
        }
        out.push_str("0\r\n\r\n");
        out.into_bytes()
    }

    fn challenge_reply() -> Vec<u8> {
        let header = format!(
            "WWW-Authenticate: Digest realm=\"{REALM}\", nonce=\"{NONCE}\",stale=\"false\",qop=\"auth\"\r\n"
        );
        reply("401 Unauthorized", &header, "")
    }

    /// Check an Authorization header the way the ME does, with an independent MD5.
    fn digest_ok(authorization: &str, user: &str, password: &str) -> bool {
        let Some(params) = authorization
            .strip_prefix("Digest ")
            .and_then(http::auth_params)
        else {
            return false;
        };
        let p = |n: &str| {
            params
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let hex = |s: String| crate::probe::http::md5_hex(&s);
        let ha1 = hex(format!("{user}:{REALM}:{password}"));
        let ha2 = hex(format!("POST:{}", p("uri")));
        let expected = hex(format!(
            "{ha1}:{NONCE}:{}:{}:{}:{ha2}",
            p("nc"),
            p("cnonce"),
            p("qop")
        ));
        p("username") == user
            && p("realm") == REALM
            && p("nonce") == NONCE
            && p("uri") == "/wsman"
            && p("qop") == "auth"
            && p("nc") == "00000001"
            && p("cnonce").len() == 32
            && p("response") == expected
    }

    /// An ME that wants Digest for `admin`/`password` and answers Gets with `body`.
    async fn digest_me(body: &'static str, seen: Arc<Mutex<Vec<Received>>>) -> SocketAddr {
        serve(2, move |req| {
            seen.lock().unwrap().push(req.clone());
            match req.header("authorization") {
                Some(a) if digest_ok(a, "admin", "P@ssw0rd") => chunked("200 OK", body),
                _ => challenge_reply(),
            }
        })
        .await
    }

    fn creds(password: &str) -> Credentials {
        Credentials {
            user: "admin".into(),
            password: password.into(),
        }
    }

    #[test]
    fn serializes_identify_results() {
        let json = |i: &Identify| serde_json::to_string(i).unwrap();
        let identified = Identify::Identified {
            vendor: Some("Intel(r)".into()),
            version: Some("AMT 11".into()),
        };
        assert_eq!(
            json(&identified),
            r#"{"status":"identified","vendor":"Intel(r)","version":"AMT 11"}"#
        );
        assert_eq!(
            json(&Identify::AuthRequired { realm: None }),
            r#"{"status":"auth-required","realm":null}"#
        );
        assert_eq!(
            json(&Identify::Other { status: 404 }),
            r#"{"status":"http-404"}"#
        );
        assert!(identified.wsman_alive());
        assert!(!Identify::Other { status: 200 }.wsman_alive());
    }

    #[test]
    fn identify_answers_that_point_at_an_me() {
        let identified = |vendor: Option<&str>| Identify::Identified {
            vendor: vendor.map(str::to_owned),
            version: None,
        };
        assert!(identified(Some("Intel(r)")).is_amt());
        assert!(identified(Some("INTEL Corporation")).is_amt());
        assert!(!identified(Some("Openwsman Project")).is_amt());
        assert!(!identified(None).is_amt());
        let realm = |r: &str| Identify::AuthRequired {
            realm: Some(r.into()),
        };
        assert!(realm("Digest:A4070000000000000000000000000000").is_amt());
        assert!(!realm("wsman@host").is_amt());
        assert!(!Identify::AuthRequired { realm: None }.is_amt());
        assert!(!Identify::Other { status: 200 }.is_amt());
    }

    #[test]
    fn credentials_debug_hides_the_password() {
        let shown = format!("{:?}", creds("hunter2-secret"));
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("admin"), "{shown}");
    }

    #[test]
    fn encodes_the_get_envelope_byte_exact() {
        let envelope = get_envelope(
            "http://amt.example.com:16992/wsman",
            &resource_uri("AMT_EthernetPortSettings"),
            &[WIRED_PORT],
            "uuid:00000000-0000-4000-8000-000000000001",
        );
        let expected = concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" "#,
            r#"xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" "#,
            r#"xmlns:wsman="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"><s:Header>"#,
            r#"<wsa:Action s:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/09/transfer/Get</wsa:Action>"#,
            r#"<wsa:To s:mustUnderstand="true">http://amt.example.com:16992/wsman</wsa:To>"#,
            r#"<wsman:ResourceURI s:mustUnderstand="true">http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EthernetPortSettings</wsman:ResourceURI>"#,
            r#"<wsa:MessageID s:mustUnderstand="true">uuid:00000000-0000-4000-8000-000000000001</wsa:MessageID>"#,
            r#"<wsa:ReplyTo><wsa:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:Address></wsa:ReplyTo>"#,
            r#"<wsman:OperationTimeout>PT60S</wsman:OperationTimeout>"#,
            r#"<wsman:SelectorSet><wsman:Selector Name="InstanceID">Intel(r) AMT Ethernet Port Settings 0</wsman:Selector></wsman:SelectorSet>"#,
            r#"</s:Header><s:Body/></s:Envelope>"#
        );
        assert_eq!(envelope, expected);
        let escaped = get_envelope("x", "a<b&c", &[], "m");
        assert!(escaped.contains(">a&lt;b&amp;c<"), "{escaped}");
        assert!(xml::parse(&envelope, 0).is_ok());
        assert!(xml::parse(IDENTIFY_ENVELOPE, 0).is_ok());
    }

    #[test]
    fn message_ids_look_like_uuids() {
        let id = message_id().unwrap();
        let uuid = id.strip_prefix("uuid:").unwrap();
        let groups: Vec<usize> = uuid.split('-').map(str::len).collect();
        assert_eq!(groups, vec![8, 4, 4, 4, 12], "{id}");
        assert_eq!(uuid.as_bytes()[14], b'4');
        assert_ne!(message_id().unwrap(), id);
    }

    #[test]
    fn parses_detection_settings() {
        let d = parse_detection(DETECTION_RESPONSE).unwrap();
        assert_eq!(
            d,
            LiveDetection {
                algorithm: Some(0),
                strings: vec!["company.com".into(), "vpn.company.com".into()],
                ipv6_prefixes: vec!["2001:db8:1::/48".into()],
            }
        );
        // A Pull response nests the instance under Items; an empty list is absent.
        let pull = concat!(
            r#"<a:Envelope xmlns:a="http://www.w3.org/2003/05/soap-envelope" xmlns:g="http://schemas.xmlsoap.org/ws/2004/09/enumeration" "#,
            r#"xmlns:h="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData"><a:Body><g:PullResponse><g:Items>"#,
            r#"<h:AMT_EnvironmentDetectionSettingData><h:DetectionAlgorithm>1</h:DetectionAlgorithm><h:DetectionStrings/>"#,
            r#"</h:AMT_EnvironmentDetectionSettingData></g:Items><g:EndOfSequence/></g:PullResponse></a:Body></a:Envelope>"#
        );
        assert_eq!(
            parse_detection(pull).unwrap(),
            LiveDetection {
                algorithm: Some(1),
                ..LiveDetection::default()
            }
        );
        let bad =
            DETECTION_RESPONSE.replace(">0</g:DetectionAlgorithm>", ">x</g:DetectionAlgorithm>");
        assert!(
            parse_detection(&bad)
                .unwrap_err()
                .contains("DetectionAlgorithm")
        );
    }

    #[test]
    fn parses_ethernet_and_general_settings() {
        assert_eq!(
            parse_ethernet(ETHERNET_RESPONSE).unwrap(),
            EthernetPort {
                instance_id: Some("Intel(r) AMT Ethernet Port Settings 0".into()),
                dhcp_enabled: Some(true),
                ip_address: Some("192.168.1.50".into()),
                link_is_up: Some(true),
                mac_address: Some("a4-bb-6d-12-34-56".into()),
                ip_sync_enabled: Some(true),
                shared_static_ip: Some(false),
            }
        );
        assert_eq!(
            parse_general(GENERAL_RESPONSE).unwrap(),
            General {
                host_name: Some("pc-0042".into()),
                domain_name: Some("corp.example.com".into()),
                digest_realm: Some(REALM.into()),
                rmcp_ping_response_enabled: Some(false),
                ping_response_enabled: Some(true),
                shared_fqdn: Some(true),
            }
        );
    }

    #[test]
    fn parser_errors_name_the_cause() {
        let e = parse_general(FAULT_RESPONSE).unwrap_err();
        assert!(
            e.starts_with("WS-Man fault: No route can be determined"),
            "{e}"
        );
        let e = parse_ethernet(GENERAL_RESPONSE).unwrap_err();
        assert_eq!(e, "no AMT_EthernetPortSettings in the response");
        assert!(
            parse_detection("<html><body>")
                .unwrap_err()
                .contains("not XML")
        );
        assert!(parse_detection("").is_err());
        assert!(parse_detection("\u{0}\u{1}garbage").is_err());
    }

    #[tokio::test]
    async fn identify_reads_vendor_and_version() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let addr = serve(1, move |req| {
            log.lock().unwrap().push(req.clone());
            reply("200 OK", "", IDENTIFY_RESPONSE)
        })
        .await;
        let got = identify(addr, "amt.example.com", T).await.unwrap();
        assert_eq!(
            got,
            Identify::Identified {
                vendor: Some("Intel(r)".into()),
                version: Some("AMT 11".into()),
            }
        );
        let req = seen.lock().unwrap()[0].clone();
        assert!(
            req.head.starts_with("POST /wsman HTTP/1.1\r\n"),
            "{}",
            req.head
        );
        assert_eq!(req.header("content-type"), Some(SOAP_CONTENT_TYPE));
        assert_eq!(req.body, IDENTIFY_ENVELOPE.as_bytes());
    }

    #[tokio::test]
    async fn identify_over_a_chunked_body() {
        let addr = serve_bytes(chunked("200 OK", IDENTIFY_RESPONSE)).await;
        let got = identify(addr, "h", T).await.unwrap();
        assert!(matches!(got, Identify::Identified { .. }), "{got:?}");
    }

    #[tokio::test]
    async fn identify_reports_the_digest_realm() {
        let addr = serve_bytes(challenge_reply()).await;
        let got = identify(addr, "h", T).await.unwrap();
        assert_eq!(
            got,
            Identify::AuthRequired {
                realm: Some(REALM.into())
            }
        );
        let addr = serve_bytes(reply(
            "401 Unauthorized",
            "WWW-Authenticate: Digest qop=\"auth\"\r\n",
            "",
        ))
        .await;
        assert_eq!(
            identify(addr, "h", T).await.unwrap(),
            Identify::AuthRequired { realm: None }
        );
        let addr = serve_bytes(reply(
            "401 Unauthorized",
            "WWW-Authenticate: Basic realm=\"x\"\r\n",
            "",
        ))
        .await;
        assert_eq!(
            identify(addr, "h", T).await.unwrap(),
            Identify::Other { status: 401 }
        );
    }

    #[tokio::test]
    async fn identify_on_other_servers() {
        let nginx = "HTTP/1.1 404 Not Found\r\nServer: nginx\r\nContent-Type: text/html\r\nContent-Length: 9\r\n\r\nnot found";
        let addr = serve_bytes(nginx).await;
        assert_eq!(
            identify(addr, "h", T).await.unwrap(),
            Identify::Other { status: 404 }
        );
        let addr = serve_bytes(reply("200 OK", "", "<html>hello</html>")).await;
        assert_eq!(
            identify(addr, "h", T).await.unwrap(),
            Identify::Other { status: 200 }
        );
        let addr = serve_bytes(reply("200 OK", "", "\u{1}\u{2} not xml")).await;
        assert_eq!(
            identify(addr, "h", T).await.unwrap(),
            Identify::Other { status: 200 }
        );
    }

    #[tokio::test]
    async fn identify_failure_shapes() {
        assert!(identify(refused().await, "h", T).await.is_err());
        let e = ends_within(T, identify(silent().await, "h", T))
            .await
            .unwrap_err();
        assert!(e.contains("timed out"), "{e}");
        let truncated = &reply("200 OK", "", IDENTIFY_RESPONSE)[..300];
        let e = identify(serve_bytes(truncated).await, "h", T)
            .await
            .unwrap_err();
        assert!(e.contains("truncated"), "{e}");
        let huge = "HTTP/1.1 200 OK\r\nContent-Length: 2000000\r\n\r\n";
        let e = identify(serve_bytes(huge).await, "h", T).await.unwrap_err();
        assert!(e.contains("exceeds"), "{e}");
        let addr = endless(&b"HTTP/1.1 200 OK\r\n\r\n<a>"[..], &b"<b/>"[..]).await;
        let e = ends_within(T, identify(addr, "h", T)).await.unwrap_err();
        assert!(e.contains("exceeds"), "{e}");
    }

    #[tokio::test]
    async fn digest_get_returns_the_live_detection_list() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let addr = digest_me(DETECTION_RESPONSE, seen.clone()).await;
        let uri = resource_uri("AMT_EnvironmentDetectionSettingData");
        let xml_text = get(addr, "amt.example.com", &creds("P@ssw0rd"), &uri, T)
            .await
            .unwrap();
        let detection = parse_detection(&xml_text).unwrap();
        assert_eq!(detection.strings, vec!["company.com", "vpn.company.com"]);
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0].header("authorization"), None);
        let body = String::from_utf8(seen[1].body.clone()).unwrap();
        assert!(body.contains(GET_ACTION), "{body}");
        assert!(body.contains(&format!(">{uri}<")), "{body}");
        assert!(body.contains(">http://amt.example.com:"), "{body}");
    }

    #[tokio::test]
    async fn digest_get_with_a_wrong_password_fails() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let addr = digest_me(DETECTION_RESPONSE, seen.clone()).await;
        let uri = resource_uri("AMT_EnvironmentDetectionSettingData");
        let e = get(addr, "h", &creds("wrong"), &uri, T).await.unwrap_err();
        assert!(e.contains("authentication failed"), "{e}");
        assert_eq!(seen.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn get_failure_shapes() {
        let uri = resource_uri("AMT_GeneralSettings");
        let c = creds("P@ssw0rd");
        assert!(get(refused().await, "h", &c, &uri, T).await.is_err());
        let e = ends_within(T, get(silent().await, "h", &c, &uri, T))
            .await
            .unwrap_err();
        assert!(e.contains("timed out"), "{e}");
        let addr = serve_bytes(reply("400 Bad Request", "", FAULT_RESPONSE)).await;
        let e = get(addr, "h", &c, &uri, T).await.unwrap_err();
        assert!(e.starts_with("HTTP 400: No route"), "{e}");
        let addr = serve_bytes(reply(
            "401 Unauthorized",
            "WWW-Authenticate: Basic realm=\"x\"\r\n",
            "",
        ))
        .await;
        assert!(
            get(addr, "h", &c, &uri, T)
                .await
                .unwrap_err()
                .contains("Digest")
        );
        let addr = serve_bytes(challenge_reply()).await;
        let bad_user = Credentials {
            user: "admin\r\nX-Injected: 1".into(),
            password: "p".into(),
        };
        assert!(
            get(addr, "h", &bad_user, &uri, T)
                .await
                .unwrap_err()
                .contains("refusing")
        );
    }

    #[tokio::test]
    async fn selected_get_sends_the_selector() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let addr = digest_me(ETHERNET_RESPONSE, seen.clone()).await;
        let uri = resource_uri("AMT_EthernetPortSettings");
        let text = get_selected(addr, "h", &creds("P@ssw0rd"), &uri, &[WIRED_PORT], T)
            .await
            .unwrap();
        assert_eq!(
            parse_ethernet(&text).unwrap().ip_address.as_deref(),
            Some("192.168.1.50")
        );
        let body = String::from_utf8(seen.lock().unwrap()[1].body.clone()).unwrap();
        assert!(body.contains(r#"<wsman:Selector Name="InstanceID">Intel(r) AMT Ethernet Port Settings 0</wsman:Selector>"#));
    }

    #[test]
    fn the_put_envelope_carries_the_whole_instance_and_reads_back() {
        let strings = vec!["company.com".to_owned(), "r&d.company.com".to_owned()];
        let prefixes = vec!["2001:db8:1::/48".to_owned()];
        let put = DetectionPut {
            algorithm: 0,
            strings: &strings,
            ipv6_prefixes: &prefixes,
        };
        let id = content_message_id("x");
        assert_eq!(id, content_message_id("x"));
        assert_ne!(id, content_message_id("y"));
        let text = put_detection_envelope("http://localhost:16992/wsman", &put, &id);
        assert!(text.contains(&format!(
            "<wsa:Action s:mustUnderstand=\"true\">{PUT_ACTION}</wsa:Action>"
        )));
        assert!(text.contains("<wsman:SelectorSet><wsman:Selector Name=\"InstanceID\">Intel(r) AMT Environment Detection Settings</wsman:Selector></wsman:SelectorSet>"));
        let live = parse_detection(&text).unwrap();
        assert_eq!(live.algorithm, Some(0));
        assert_eq!(live.strings, strings);
        assert_eq!(live.ipv6_prefixes, prefixes);
        assert!(text.contains("<h:DetectionStrings>r&amp;d.company.com</h:DetectionStrings>"));
    }
}
