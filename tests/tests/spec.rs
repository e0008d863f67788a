//! The committed OpenAPI document is the one the code produces, and every operation is named and tagged.
#![allow(clippy::unwrap_used)]

use serde_json::Value;

fn generated() -> Value {
    serde_json::from_str(&yanxiu::api_service().spec()).expect("generated spec is JSON")
}

#[test]
fn committed_openapi_json_matches_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let committed: Value = serde_json::from_str(&text).expect("openapi.json is JSON");
    assert!(
        committed == generated(),
        "openapi.json is stale: run `cargo run -p yanxiu-api --bin yanxiu -- openapi > openapi.json`"
    );
}

#[test]
fn every_operation_has_an_operation_id_and_a_tag() {
    let spec = generated();
    let mut problems = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let id = op["operationId"].as_str().unwrap_or_default();
            if id.is_empty() {
                problems.push(format!("{method} {path}: no operationId"));
            } else if !ids.insert(id.to_string()) {
                problems.push(format!("{method} {path}: duplicate operationId {id}"));
            }
            let tags = op["tags"].as_array().cloned().unwrap_or_default();
            if tags.is_empty() {
                problems.push(format!("{method} {path}: no tag"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// BUG (BUGS.md #2): `me` lists the tag `Auth` twice.
#[test]
fn no_operation_repeats_a_tag() {
    let spec = generated();
    let mut repeated = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let tags: Vec<&str> = op["tags"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let unique: std::collections::BTreeSet<&&str> = tags.iter().collect();
            if unique.len() != tags.len() {
                repeated.push(format!("{method} {path}: {tags:?}"));
            }
        }
    }
    assert!(
        repeated.is_empty(),
        "repeated tags:\n{}",
        repeated.join("\n")
    );
}
