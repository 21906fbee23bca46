//! `scslint fix-plan`: for every profile whose home-domain list the fixes (safe and unsafe)
//! change, the corrected list and how to put it on devices already configured, instead of
//! unconfiguring them: the WS-Management Put, rpc-go, and the MeshCentral config.json change.

use super::check::{CheckOptions, Read};
use super::fix::{Fixing, Recheck, count, fix_files, report_refused, shown};
use super::{Ended, Failure};
use crate::config::Configs;
use crate::exit_status::Exit;
use crate::fix::Wanted;
use crate::outcome::Outcome;
use crate::profile::{self, Profile};
use crate::report::escape_text;
use crate::source::SourceFile;
use std::sync::Arc;

/// Where a WS-Management request goes when sent through LMS on the host itself.
pub const LOCAL_WSMAN: &str = "http://localhost:16992/wsman";

/// One profile whose list the fixes change, and how to put the new list on its devices.
#[derive(Debug, serde::Serialize)]
pub struct Plan {
    pub path: String,
    pub profile: String,
    pub kind: &'static str,
    /// The list the firmware gets now, and after the fixes (what the Put writes).
    pub before: Vec<String>,
    pub after: Vec<String>,
    /// The list as the profile file holds it after the fixes.
    pub file_after: Vec<String>,
    pub wsman_put: WsmanPut,
    pub rpc_go: RpcGo,
    pub meshcentral: MeshCentral,
}

#[derive(Debug, serde::Serialize)]
pub struct WsmanPut {
    pub resource_uri: String,
    pub action: &'static str,
    pub selector: (&'static str, &'static str),
    /// The request body, exactly as it is to be POSTed (HTTP Digest as an AMT administrator).
    pub envelope: String,
}

#[derive(Debug, serde::Serialize)]
pub struct RpcGo {
    /// No rpc-go command sets only the home domains.
    pub note: &'static str,
    /// `rpc configure cira … --envdetection a,b`, which sets them along with CIRA.
    pub command: String,
    /// The profile YAML key and its new value, for `rpc activate --profile` / Console.
    pub profile_key: &'static str,
    pub profile_yaml: String,
}

#[derive(Debug, serde::Serialize)]
pub struct MeshCentral {
    /// `domains.<name>.amtManager.environmentDetection` in config.json.
    pub key: String,
    /// The new value, as JSON.
    pub value: Vec<String>,
    /// What MeshCentral does to it, when that matters (it keeps 4 entries).
    pub note: Option<String>,
}

const RPC_GO_NOTE: &str = "no command sets only the home domains: `rpc configure cira` sets them with --envdetection, but it first removes the device's MPS servers and remote access policies and adds them again from its other flags";

/// The plan for one profile whose firmware list goes from `before` to `after`.
fn plan_for(path: &str, old: &Profile, new: &Profile) -> Option<Plan> {
    let (d_old, d_new) = (old.detection.as_ref()?, new.detection.as_ref()?);
    let before = d_old.settings().strings.to_vec();
    let after = d_new.settings().strings.to_vec();
    if before == after {
        return None;
    }
    let algorithm = match d_new.algorithm {
        crate::envdetect::Algorithm::LocalDomains => 0,
        crate::envdetect::Algorithm::RemoteUrls => 1,
    };
    let put = crate::probe::wsman::DetectionPut {
        algorithm,
        strings: &after,
        ipv6_prefixes: &d_new.ipv6_prefixes,
    };
    let id = crate::probe::wsman::content_message_id(&format!("{path}\n{}\n{after:?}", new.name));
    let envelope = crate::probe::wsman::put_detection_envelope(LOCAL_WSMAN, &put, &id);
    let mps = new
        .remote_access
        .as_ref()
        .and_then(|r| r.mps_servers.first())
        .map_or("MPS_ADDRESS".to_owned(), |m| m.value.clone());
    let rpc_go = RpcGo {
        note: RPC_GO_NOTE,
        command: format!(
            "rpc configure cira --mpsaddress {} --mpscert MPS_ROOT_CERTIFICATE --mpspassword MPS_PASSWORD --envdetection {}",
            shell_word(&mps),
            shell_word(&after.join(","))
        ),
        profile_key: "configuration.amtSpecific.cira.environmentDetection",
        profile_yaml: format!(
            "configuration:\n  amtSpecific:\n    cira:\n      environmentDetection:\n{}",
            after
                .iter()
                .map(|e| format!("        - {}\n", profile::edit::yaml_scalar(e, "")))
                .collect::<String>()
        ),
    };
    let (domain, value) = match new.kind {
        profile::ProfileKind::MeshCentral => {
            let key = if new.name == profile::meshcentral::DEFAULT_DOMAIN {
                String::new()
            } else {
                new.name.clone()
            };
            (key, d_new.strings.clone())
        }
        _ => ("DOMAIN".to_owned(), after.clone()),
    };
    let simple = !domain.is_empty()
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    let domain = if simple {
        domain
    } else {
        format!("[{}]", serde_json::to_string(&domain).unwrap_or_default())
    };
    let note = (value.len() > profile::meshcentral::MAX_ENTRIES).then(|| {
        format!(
            "MeshCentral keeps only the first {} entries",
            profile::meshcentral::MAX_ENTRIES
        )
    });
    Some(Plan {
        path: path.to_owned(),
        profile: new.name.clone(),
        kind: new.kind.describe(),
        before,
        after: after.clone(),
        file_after: d_new.strings.clone(),
        wsman_put: WsmanPut {
            resource_uri: crate::probe::wsman::resource_uri(crate::probe::wsman::DETECTION_CLASS),
            action: crate::probe::wsman::PUT_ACTION,
            selector: ("InstanceID", crate::probe::wsman::DETECTION_INSTANCE),
            envelope,
        },
        rpc_go,
        meshcentral: MeshCentral {
            key: format!("domains.{domain}.amtManager.environmentDetection").replace(".[", "["),
            value,
            note,
        },
    })
}

/// A word for a POSIX shell: as it is when it needs no quoting, else in single quotes.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-,:/@".contains(&b));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Every profile whose list the fixes change, in path order.
pub fn plans(fixing: &Fixing, read: &Read, configs: &Configs) -> Vec<Plan> {
    let mut out = Vec::new();
    for file in fixing.files.iter().filter(|f| f.changed()) {
        let config = configs.for_file(file.path());
        let source = SourceFile::new(file.path(), file.text.clone(), file.source.encoding);
        let new = profile::read_source(&source, true, &config.scs).profiles;
        let old: Vec<&Profile> = read
            .profiles
            .iter()
            .map(|(p, _)| p)
            .filter(|p| Arc::ptr_eq(&p.source, &file.source))
            .collect();
        if old.len() != new.len() {
            continue;
        }
        let path = shown(file.path());
        out.extend(
            old.iter()
                .zip(&new)
                .filter_map(|(o, n)| plan_for(&path, o, n)),
        );
    }
    out
}

/// `scslint fix-plan`.
pub fn command(args: crate::cli::FixPlanArgs, color: crate::report::terminal::ColorWhen) -> Ended {
    let configs = super::check::configs(&args.config, &crate::config::Selection::default())
        .map_err(|errors| super::config_failure(&errors, color))?;
    let options = CheckOptions {
        paths: args.paths,
        observed: args.observed,
        ..CheckOptions::default()
    };
    let (outcome, read) = super::check::run_read(&options, &configs, None)
        .map_err(|errors| super::config_failure(&errors, color))?;
    let recheck = Recheck {
        configs: &configs,
        baseline: None,
        profiles: &read.profiles,
        networks: &read.networks,
        dns: false,
    };
    let fixing = fix_files(&outcome, &recheck, Wanted::SafeAndUnsafe);
    report_refused(&fixing);
    let plans = plans(&fixing, &read, &configs);
    let text = match args.format {
        crate::cli::Format::Json => render_json(&plans)?,
        _ => render_human(&plans, &outcome),
    };
    super::print(&text)?;
    Ok(if outcome.had_input_problems() {
        Exit::Trouble
    } else if plans.is_empty() {
        Exit::Clean
    } else {
        Exit::Findings
    })
}

fn render_json(plans: &[Plan]) -> Result<String, Failure> {
    let doc = serde_json::json!({ "version": 1, "profiles": plans });
    serde_json::to_string_pretty(&doc)
        .map(|s| s + "\n")
        .map_err(|e| Failure::new("scslint fix-plan", &format!("cannot write JSON: {e}")))
}

fn listed(entries: &[String]) -> String {
    if entries.is_empty() {
        return "(none)".to_owned();
    }
    entries
        .iter()
        .map(|e| format!("`{}`", escape_text(e)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn render_human(plans: &[Plan], outcome: &Outcome) -> String {
    let mut out = String::new();
    for p in plans {
        out.push_str(&format!(
            "{}: profile `{}` ({})\n  home domains now:  {}\n  corrected list:    {}\n\n",
            escape_text(&p.path),
            escape_text(&p.profile),
            p.kind,
            listed(&p.before),
            listed(&p.after)
        ));
        out.push_str(&format!(
            "  WS-Management Put of {} (POST to /wsman on port 16992, 16993 with TLS: through LMS on the host at localhost, or to the device over CIRA; HTTP Digest as an AMT administrator):\n{}\n\n",
            crate::probe::wsman::DETECTION_CLASS,
            escape_text(&p.wsman_put.envelope)
        ));
        out.push_str(&format!(
            "  rpc-go: {}:\n    {}\n  or set {} in the rpc-go / Console profile and apply it again:\n{}\n",
            p.rpc_go.note,
            escape_text(&p.rpc_go.command),
            p.rpc_go.profile_key,
            p.rpc_go
                .profile_yaml
                .lines()
                .map(|l| format!("    {}\n", escape_text(l)))
                .collect::<String>()
        ));
        out.push_str(&format!(
            "  MeshCentral config.json: set {} to {}{}\n\n",
            escape_text(&p.meshcentral.key),
            escape_text(&serde_json::to_string(&p.meshcentral.value).unwrap_or_default()),
            p.meshcentral
                .note
                .as_ref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default()
        ));
    }
    let checked = outcome.checked.len();
    out.push_str(&match plans.len() {
        0 => format!(
            "No profile needs a corrected list ({} checked).\n",
            count(checked, "profile")
        ),
        n => format!(
            "{} of {} {} a corrected list on the devices it configured.\n",
            count(n, "profile"),
            checked,
            if n == 1 { "needs" } else { "need" }
        ),
    });
    out
}
