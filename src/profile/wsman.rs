//! WS-Management `AMT_EnvironmentDetectionSettingData`: a bare instance, a Get response, a Put
//! body or an Enumerate/Pull response. Matched by namespace URI and local name, never by prefix.

use super::{Detection, FileOutcome, Profile, ProfileKind};
use crate::diagnostic::{Code, Finding};
use crate::envdetect::Algorithm;
use crate::source::{Source, Spanned};
use crate::xml::Document;

pub const EDSD_NS: &str =
    "http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData";
pub const EDSD_CLASS: &str = "AMT_EnvironmentDetectionSettingData";

/// The index of the (first) instance element, wherever the envelope put it.
pub fn find_instance(doc: &Document) -> Option<usize> {
    doc.iter()
        .find(|(_, e)| e.local == EDSD_CLASS && e.ns.as_deref() == Some(EDSD_NS))
        .map(|(i, _)| i)
}

pub fn read(doc: &Document, index: usize, source: &Source) -> FileOutcome {
    let instance = &doc.elements[index];
    let name = source
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| EDSD_CLASS.to_owned());
    let mut profile = Profile::new(name, ProfileKind::WsMan, source, instance.tag_span.clone());
    let mut findings = Vec::new();
    let mut detection = Detection {
        algorithm: Algorithm::LocalDomains,
        strings: Vec::new(),
        string_spans: Vec::new(),
        ipv6_prefixes: Vec::new(),
        prefix_spans: Vec::new(),
        span: instance.tag_span.clone(),
        written: None,
        layout: None,
    };
    let mut entries = Vec::new();
    let mut algorithm_seen = false;
    for child in doc.children(instance) {
        if child.ns.as_deref() != Some(EDSD_NS) {
            continue;
        }
        let value = Spanned::new(child.trimmed_text().to_owned(), child.text_span.clone());
        match child.local.as_str() {
            "DetectionAlgorithm" => {
                algorithm_seen = true;
                match value.value.as_str() {
                    "0" => detection.algorithm = Algorithm::LocalDomains,
                    "1" => detection.algorithm = Algorithm::RemoteUrls,
                    other => findings.push(
                        Finding::new(
                            Code::SL051,
                            source,
                            value.span.clone(),
                            format!("DetectionAlgorithm must be 0 (local domains) or 1 (remote URLs), not `{other}`"),
                        )
                        .label("unknown algorithm")
                        .profile(&profile.name),
                    ),
                }
            }
            // The entry keeps its surrounding whitespace: SL003 reports it.
            "DetectionStrings" => {
                entries.push(child);
                detection.push(Spanned::new(child.text.clone(), child.text_span.clone()))
            }
            "DetectionIPv6LocalPrefixes" => detection.push_prefix(value),
            _ => {}
        }
    }
    if !algorithm_seen {
        findings.push(
            Finding::new(
                Code::SL051,
                source,
                instance.tag_span.clone(),
                "DetectionAlgorithm is missing; it is a required property (0 = local domains)",
            )
            .label("this instance")
            .help("scslint assumed 0 (local domains) for the other checks")
            .profile(&profile.name),
        );
    }
    detection.layout = Some(super::edit::ListLayout::xml(&source.text, &entries));
    if let Some(first) = detection.string_spans.first() {
        detection.span = first.start..detection.string_spans.last().map_or(first.end, |s| s.end);
    }
    profile.detection = Some(detection);
    FileOutcome {
        profiles: vec![profile],
        findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{ScsMapping, read_source};
    use crate::source::{Encoding, SourceFile};

    fn read(text: &str) -> FileOutcome {
        let src = SourceFile::new("dev/pc0423.xml", text.to_owned(), Encoding::Utf8);
        read_source(&src, true, &ScsMapping::default())
    }

    const GET: &str = r#"<a:Envelope xmlns:a="http://www.w3.org/2003/05/soap-envelope" xmlns:b="http://schemas.xmlsoap.org/ws/2004/08/addressing"
    xmlns:c="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
    xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <a:Header><b:Action a:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse</b:Action>
    <c:ResourceURI>http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData</c:ResourceURI></a:Header>
  <a:Body><g:AMT_EnvironmentDetectionSettingData>
    <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
    <g:DetectionStrings>company.com</g:DetectionStrings>
    <g:DetectionStrings>vpn.company.com</g:DetectionStrings>
    <g:ElementName>Intel(r) AMT Environment Detection Settings</g:ElementName>
    <g:InstanceID>Intel(r) AMT Environment Detection Settings</g:InstanceID>
  </g:AMT_EnvironmentDetectionSettingData></a:Body>
</a:Envelope>"#;

    #[test]
    fn reads_a_get_response_with_spans() {
        let out = read(GET);
        assert!(out.findings.is_empty(), "{:?}", out.findings);
        let p = &out.profiles[0];
        assert_eq!(p.name, "pc0423");
        let d = p.detection.as_ref().unwrap();
        assert_eq!(d.strings, ["company.com", "vpn.company.com"]);
        assert_eq!(&GET[d.string_spans[1].clone()], "vpn.company.com");
        assert_eq!(d.algorithm, Algorithm::LocalDomains);
    }

    #[test]
    fn prefixes_do_not_matter_only_namespaces() {
        let text = GET.replace("g:", "h:").replace("xmlns:g", "xmlns:h");
        assert_eq!(
            read(&text).profiles[0]
                .detection
                .as_ref()
                .unwrap()
                .strings
                .len(),
            2
        );
        // The right local name in the wrong namespace is not an instance.
        let wrong = GET.replace(
            "amt-schema/1/AMT_EnvironmentDetectionSettingData\">",
            "amt-schema/1/Other\">",
        );
        let out = read(&wrong);
        assert!(out.profiles.is_empty());
        assert_eq!(out.findings[0].code, Code::SL053);
    }

    #[test]
    fn reads_pull_responses_and_bare_instances() {
        let pull = r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:g="http://schemas.xmlsoap.org/ws/2004/09/enumeration" xmlns:h="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData"><s:Header/><s:Body><g:PullResponse><g:Items><h:AMT_EnvironmentDetectionSettingData><h:DetectionAlgorithm>1</h:DetectionAlgorithm><h:DetectionStrings>https://amt-check.company.com/</h:DetectionStrings><h:DetectionIPv6LocalPrefixes>2001:db8:1::/48</h:DetectionIPv6LocalPrefixes></h:AMT_EnvironmentDetectionSettingData></g:Items><g:EndOfSequence/></g:PullResponse></s:Body></s:Envelope>"#;
        let d = read(pull).profiles[0].detection.clone().unwrap();
        assert_eq!(d.algorithm, Algorithm::RemoteUrls);
        assert_eq!(d.ipv6_prefixes, ["2001:db8:1::/48"]);
        let bare = r#"<AMT_EnvironmentDetectionSettingData xmlns="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData"><DetectionAlgorithm>0</DetectionAlgorithm></AMT_EnvironmentDetectionSettingData>"#;
        let d = read(bare).profiles[0].detection.clone().unwrap();
        assert!(!d.is_enabled());
    }

    #[test]
    fn reports_bad_or_missing_algorithm() {
        let out = read(&GET.replace(
            "<g:DetectionAlgorithm>0</g:DetectionAlgorithm>",
            "<g:DetectionAlgorithm>7</g:DetectionAlgorithm>",
        ));
        assert_eq!(out.findings[0].code, Code::SL051);
        assert!(out.findings[0].message.contains("`7`"));
        let out = read(&GET.replace("<g:DetectionAlgorithm>0</g:DetectionAlgorithm>", ""));
        assert!(out.findings[0].message.contains("missing"));
        assert_eq!(out.profiles.len(), 1, "the rest is still checked");
    }

    #[test]
    fn reads_a_chunked_capture() {
        let out = read(&format!("04F9\r\n{GET}\r\n0\r\n\r\n"));
        assert!(out.findings.is_empty(), "{:?}", out.findings);
        assert_eq!(out.profiles.len(), 1);
    }
}
