//! Shared pieces of the integration tests: the binary, the repository root, schema validation,
//! and a real DNS server.
#![allow(dead_code)]

pub mod dns_server;
pub mod fake_amt;

use serde_json::Value;
use std::path::Path;

/// Write `text` to `dir/name`, creating folders on the way.
pub fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Run `check ARGS --format json` in `dir`; the exit status and the report, validated against
/// schemas/report.schema.json.
pub fn check_json(dir: &Path, args: &[&str]) -> (i32, Value) {
    json_output(dir, &["check"], args, "report.schema.json")
}

/// Run `COMMAND ARGS --format json` in `dir`; the exit status and the document, validated
/// against the schema file `schema`.
pub fn json_output(dir: &Path, command: &[&str], args: &[&str], schema: &str) -> (i32, Value) {
    let out = scslint()
        .current_dir(dir)
        .args(command)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_conforms(schema, &doc);
    (out.status.code().unwrap(), doc)
}

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The built binary, with the environment that changes its output removed.
pub fn scslint() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("scslint").unwrap();
    for var in ["NO_COLOR", "COLUMNS", "CLICOLOR", "CLICOLOR_FORCE", "TERM"] {
        cmd.env_remove(var);
    }
    cmd
}

/// A schema under schemas/, itself checked against its meta-schema.
pub fn schema(name: &str) -> Value {
    let text = std::fs::read_to_string(root().join("schemas").join(name)).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::meta::validate(&schema)
        .unwrap_or_else(|e| panic!("{name} is not a valid schema: {e}"));
    schema
}

/// Where `instance` breaks `schema`; empty when it conforms. The schemas under schemas/ are
/// registered by their `$id`, so one may refer to another (probe → report diagnostics).
pub fn errors(schema: &Value, instance: &Value) -> Vec<String> {
    let mut registry = jsonschema::Registry::new();
    for name in [
        "report.schema.json",
        "observed.schema.json",
        "config.schema.json",
        "probe.schema.json",
        "statistics.schema.json",
    ] {
        let text = std::fs::read_to_string(root().join("schemas").join(name)).unwrap();
        let shipped: Value = serde_json::from_str(&text).unwrap();
        let id = shipped["$id"].as_str().unwrap().to_owned();
        registry = registry.add(id, shipped).unwrap();
    }
    let registry = registry.prepare().unwrap();
    let validator = jsonschema::options()
        .with_registry(&registry)
        .build(schema)
        .unwrap();
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Panic unless `instance` conforms to the schema file `name`.
pub fn assert_conforms(name: &str, instance: &Value) {
    let errors = errors(&schema(name), instance);
    assert!(errors.is_empty(), "does not match {name}: {errors:?}");
}

/// A TOML text as JSON, to validate it against a JSON Schema.
pub fn toml_text_as_json(text: &str) -> Value {
    let value: toml::Value = toml::from_str(text).unwrap();
    serde_json::to_value(value).unwrap()
}

/// The codes of a JSON report's diagnostics, in order.
pub fn codes(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}
