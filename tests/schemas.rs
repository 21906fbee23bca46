//! The JSON Schemas under schemas/ are valid, their examples validate, and the files the project
//! ships (demo observed networks, SCS mapping) conform to them.

mod support;

use serde_json::{Value, json};
use std::path::Path;
use support::{errors, root, schema, toml_text_as_json};

fn toml_as_json(path: &Path) -> Value {
    toml_text_as_json(&std::fs::read_to_string(path).unwrap())
}

#[test]
fn every_schema_is_valid_and_accepts_its_own_examples() {
    for name in [
        "report.schema.json",
        "observed.schema.json",
        "config.schema.json",
        "probe.schema.json",
        "baseline.schema.json",
        "inspect.schema.json",
        "rules.schema.json",
        "explain.schema.json",
        "statistics.schema.json",
        "diff.schema.json",
        "coverage.schema.json",
        "fix-plan.schema.json",
    ] {
        let s = schema(name);
        for example in s
            .get("examples")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            assert_eq!(errors(&s, example), Vec::<String>::new(), "{name} example");
        }
    }
}

#[test]
fn demo_observed_file_conforms() {
    let s = schema("observed.schema.json");
    let demo = toml_as_json(&root().join("profiles/observed.toml"));
    assert_eq!(errors(&s, &demo), Vec::<String>::new());
    let bad = json!({"network": [{"name": "x", "trust": "partner", "hosts": -1}]});
    assert_eq!(errors(&s, &bad).len(), 2, "{:?}", errors(&s, &bad));
}

#[test]
fn shipped_scs_mapping_conforms_as_a_config_override() {
    let s = schema("config.schema.json");
    let mapping = toml_as_json(&root().join("schemas/scs-profile-map.toml"));
    let config =
        json!({"scs": mapping, "rules": {"SL005": "off", "unmatched-home-domain": "error"}});
    assert_eq!(errors(&s, &config), Vec::<String>::new());
    let bad = json!({"limitz": {}, "rules": {"SL005": "loud"}});
    assert_eq!(errors(&s, &bad).len(), 2, "{:?}", errors(&s, &bad));
}
