//! `mailroute company add|set|list|remove`.

use serde_json::Value;

use crate::support::{names, str_field, Env};

#[test]
fn add_without_domains_has_none() {
    let env = Env::new();
    let c = env.run(["company", "add", "Acme", "--json"]).ok().json();
    assert_eq!(str_field(&c, "name"), "Acme");
    assert_eq!(c["alias_domain"], Value::Null);
    assert_eq!(c["alias_domain_id"], Value::Null);
}

#[test]
fn a_new_company_gets_the_first_domain_by_priority_then_name() {
    let env = Env::new();
    env.run(["domain", "add", "bbb.example"]).ok();
    env.run(["domain", "add", "aaa.example"]).ok();
    env.run(["domain", "add", "zzz.example", "--priority", "20"])
        .ok();
    let c = env.run(["company", "add", "Acme", "--json"]).ok().json();
    assert_eq!(str_field(&c, "alias_domain"), "aaa.example");

    env.run(["domain", "set", "zzz.example", "--priority", "0"])
        .ok();
    let c = env.run(["company", "add", "Globex", "--json"]).ok().json();
    assert_eq!(str_field(&c, "alias_domain"), "zzz.example");
}

#[test]
fn add_with_a_domain() {
    let env = Env::new();
    env.run(["domain", "add", "aaa.example"]).ok();
    env.run(["domain", "add", "bbb.example"]).ok();
    let c = env
        .run([
            "company",
            "add",
            "Acme",
            "--domain",
            "BBB.example",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(str_field(&c, "alias_domain"), "bbb.example");
}

#[test]
fn add_with_an_unknown_domain_lists_the_valid_ones() {
    let env = Env::new();
    env.run(["domain", "add", "aaa.example"]).ok();
    env.run(["domain", "add", "bbb.example"]).ok();
    let out = env.refused_unchanged(
        [
            "company",
            "add",
            "Acme",
            "--domain",
            "ccc.example",
            "--json",
        ],
        65,
    );
    let (kind, message) = out.json_error();
    assert_eq!(kind, "not-found");
    assert!(
        message.contains("ccc.example")
            && message.contains("aaa.example")
            && message.contains("bbb.example"),
        "{message}"
    );
}

#[test]
fn duplicate_names_are_refused_case_insensitively() {
    let env = Env::new();
    env.run(["company", "add", "Acme"]).ok();
    env.refused_unchanged(["company", "add", "ACME"], 65);
}

#[test]
fn bad_company_names_are_refused() {
    let env = Env::new();
    for bad in ["", "   ", "Ac\nme"] {
        env.refused_unchanged(["company", "add", bad], 65);
    }
}

#[test]
fn set_changes_the_domain() {
    let env = Env::new();
    env.run(["domain", "add", "aaa.example"]).ok();
    env.run(["domain", "add", "bbb.example"]).ok();
    env.run(["company", "add", "Acme"]).ok();
    let c = env
        .run([
            "company",
            "set",
            "acme",
            "--domain",
            "bbb.example",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(str_field(&c, "alias_domain"), "bbb.example");
    let list = env.run(["company", "list", "--json"]).ok().json();
    assert_eq!(str_field(&list[0], "alias_domain"), "bbb.example");

    let c = env
        .run(["company", "set", "Acme", "--no-domain", "--json"])
        .ok()
        .json();
    assert_eq!(c["alias_domain"], Value::Null);
}

#[test]
fn set_needs_a_domain_flag() {
    let env = Env::new();
    env.run(["company", "add", "Acme"]).ok();
    env.refused_unchanged(["company", "set", "Acme"], 64);
    env.refused_unchanged(
        [
            "company",
            "set",
            "Acme",
            "--domain",
            "x.example",
            "--no-domain",
        ],
        64,
    );
}

#[test]
fn set_unknown_company_or_domain() {
    let env = Env::new();
    env.run(["domain", "add", "aaa.example"]).ok();
    env.run(["company", "add", "Acme"]).ok();
    let out = env.refused_unchanged(
        [
            "company",
            "set",
            "Globex",
            "--domain",
            "aaa.example",
            "--json",
        ],
        65,
    );
    let (_, message) = out.json_error();
    assert!(
        message.contains("Globex") && message.contains("Acme"),
        "{message}"
    );
    let out = env.refused_unchanged(
        [
            "company",
            "set",
            "Acme",
            "--domain",
            "zzz.example",
            "--json",
        ],
        65,
    );
    let (_, message) = out.json_error();
    assert!(message.contains("aaa.example"), "{message}");
}

#[test]
fn list_human_and_json() {
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    env.run(["company", "add", "Globex"]).ok();
    env.run(["company", "add", "acme"]).ok();
    let list = env.run(["company", "list", "--json"]).ok().json();
    assert_eq!(names(&list), ["acme", "Globex"]);
    let human = env.run(["company", "list"]).ok();
    human.assert_stdout_contains("Globex");
    human.assert_stdout_contains("example.com");
}

#[test]
fn remove() {
    let env = Env::new();
    env.run(["company", "add", "Acme"]).ok();
    env.refused_unchanged(["company", "remove", "Acme"], 64);
    let out = env
        .run(["company", "remove", "Acme", "--yes", "--json"])
        .ok()
        .json();
    assert_eq!(str_field(&out["removed"], "name"), "Acme");
    assert_eq!(
        env.run(["company", "list", "--json"]).ok().json(),
        Value::Array(vec![])
    );
    let out = env
        .run(["company", "remove", "Acme", "--yes", "--json"])
        .fails(65);
    assert_eq!(out.json_error().0, "not-found");
}

#[test]
fn a_company_gives_its_domain_and_name_to_routing() {
    let env = Env::new();
    env.run(["domain", "add", "aaa.example"]).ok();
    env.run(["domain", "add", "bbb.example"]).ok();
    env.run(["company", "add", "Acme", "--domain", "bbb.example"])
        .ok();
    let d = env.route("someone@elsewhere.example", &["--company", "Acme"]);
    assert_eq!(str_field(&d, "reply_to"), "\"Acme\" <catchall@bbb.example>");
    assert_eq!(str_field(&d, "envelope_from"), "bounce@bbb.example");
    let out = env
        .run(["route", "a@b.example", "--company", "Globex", "--json"])
        .fails(65);
    let (_, message) = out.json_error();
    assert!(
        message.contains("Globex") && message.contains("Acme"),
        "{message}"
    );
}
