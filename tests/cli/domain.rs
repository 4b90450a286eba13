//! `mailroute domain add|set|list|show|remove`.

use serde_json::Value;

use crate::support::{names, str_field, Env};

#[test]
fn add_with_defaults_prints_the_domain_and_its_addresses() {
    let env = Env::new();
    let d = env
        .run(["domain", "add", "example.com", "--json"])
        .ok()
        .json();
    assert_eq!(str_field(&d, "name"), "example.com");
    assert_eq!(str_field(&d, "bounce"), "bounce");
    assert_eq!(str_field(&d, "catchall"), "catchall");
    assert_eq!(str_field(&d, "default_from"), "notifications");
    assert_eq!(d["priority"], 10);
    assert_eq!(str_field(&d, "bounce_address"), "bounce@example.com");
    assert_eq!(str_field(&d, "catchall_address"), "catchall@example.com");
    assert_eq!(
        str_field(&d, "notification_address"),
        "notifications@example.com"
    );
    assert!(d["id"].is_i64(), "an id: {d:#}");

    let human = env.run(["domain", "show", "example.com"]).ok();
    human.assert_stdout_contains("bounce@example.com");
    human.assert_stdout_contains("notifications@example.com");
}

#[test]
fn add_with_every_flag() {
    let env = Env::new();
    let d = env
        .run([
            "domain",
            "add",
            "example.com",
            "--bounce",
            "bounce-b",
            "--catchall",
            "catchall-b",
            "--default-from",
            "info@example.com",
            "--priority",
            "-5",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(str_field(&d, "bounce_address"), "bounce-b@example.com");
    assert_eq!(str_field(&d, "catchall_address"), "catchall-b@example.com");
    assert_eq!(str_field(&d, "notification_address"), "info@example.com");
    assert_eq!(d["unique_sender"], true);
    assert_eq!(d["priority"], -5);
}

#[test]
fn an_empty_alias_gives_no_address() {
    let env = Env::new();
    let d = env
        .run(["domain", "add", "example.com", "--bounce", "", "--json"])
        .ok()
        .json();
    assert_eq!(d["bounce"], Value::Null, "{d:#}");
    assert_eq!(d["bounce_address"], Value::Null, "{d:#}");
    assert_eq!(str_field(&d, "catchall_address"), "catchall@example.com");
}

#[test]
fn name_is_stored_as_typed() {
    let env = Env::new();
    env.run(["domain", "add", "Example.COM"]).ok();
    let list = env.run(["domain", "list", "--json"]).ok().json();
    assert_eq!(names(&list), ["Example.COM"]);
    // Compared case-insensitively.
    let d = env
        .run(["domain", "show", "example.com", "--json"])
        .ok()
        .json();
    assert_eq!(str_field(&d, "name"), "Example.COM");
}

#[test]
fn bad_domain_names_are_refused() {
    let env = Env::new();
    for bad in [
        "outlook.fr, gmail.com",
        "provaïder",
        "",
        " ",
        "example..com",
        ".example.com",
        "exa mple.com",
    ] {
        let out = env.refused_unchanged(["domain", "add", bad, "--json"], 65);
        let (kind, message) = out.json_error();
        assert_eq!(kind, "bad-input", "{bad:?}: {message}");
        out.assert_stdout_empty();
    }
    assert_eq!(
        names(&env.run(["domain", "list", "--json"]).ok().json()).len(),
        0
    );
}

#[test]
fn alias_values_are_cleaned_on_add() {
    let env = Env::new();
    let out = env
        .run([
            "domain",
            "add",
            "example.com",
            "--bounce",
            "Bouncâïde 😊",
            "--catchall",
            "catchall@wrong.example",
            "--default-from",
            "bidule...inc.",
            "--json",
        ])
        .ok();
    let d = out.json();
    assert_eq!(str_field(&d, "bounce"), "bouncaide-");
    assert_eq!(str_field(&d, "catchall"), "catchall");
    assert_eq!(str_field(&d, "default_from"), "bidule.inc");
    // With --json stderr stays free for an error object; at a terminal the user is told that
    // what they typed was changed.
    assert!(out.stderr.is_empty(), "{}", out.describe());
    env.run(["domain", "add", "noted.example", "--bounce", "Bouncâïde 😊"])
        .ok()
        .assert_stderr_contains("is stored as 'bouncaide-'");

    let d = env
        .run([
            "domain",
            "add",
            "other.example",
            "--bounce",
            "ぁぁ",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(str_field(&d, "bounce"), "??");

    let d = env
        .run([
            "domain",
            "add",
            "third.example",
            "--default-from",
            "  Info@THIRD.Example ",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(str_field(&d, "default_from"), "info@third.example");
    assert_eq!(str_field(&d, "notification_address"), "info@third.example");
}

#[test]
fn list_is_in_routing_order() {
    let env = Env::new();
    env.run(["domain", "add", "zzz.example", "--priority", "1"])
        .ok();
    env.run(["domain", "add", "bbb.example"]).ok();
    env.run(["domain", "add", "aaa.example"]).ok();
    let list = env.run(["domain", "list", "--json"]).ok().json();
    assert_eq!(names(&list), ["zzz.example", "aaa.example", "bbb.example"]);

    let human = env.run(["domain", "list"]).ok().stdout;
    let z = human.find("zzz.example").unwrap();
    let a = human.find("aaa.example").unwrap();
    let b = human.find("bbb.example").unwrap();
    assert!(z < a && a < b, "{human}");
}

#[test]
fn empty_list() {
    let env = Env::new();
    assert_eq!(
        env.run(["domain", "list", "--json"]).ok().json(),
        Value::Array(vec![])
    );
    let human = env.run(["domain", "list"]).ok();
    assert!(!human.stdout.trim().is_empty(), "says there is nothing");
}

#[test]
fn shared_names_need_different_bounce_and_catchall() {
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    // Same catchall: refused, naming the alias to change.
    let out = env.refused_unchanged(
        ["domain", "add", "EXAMPLE.com", "--bounce", "b2", "--json"],
        65,
    );
    let (_, message) = out.json_error();
    assert!(message.contains("catchall"), "{message}");
    // Same bounce: refused.
    let out = env.refused_unchanged(
        ["domain", "add", "example.com", "--catchall", "c2", "--json"],
        65,
    );
    let (_, message) = out.json_error();
    assert!(message.contains("bounce"), "{message}");
    // Both differ: allowed.
    env.run([
        "domain",
        "add",
        "example.com",
        "--bounce",
        "b2",
        "--catchall",
        "c2",
    ])
    .ok();
    assert_eq!(
        names(&env.run(["domain", "list", "--json"]).ok().json()),
        ["example.com", "example.com"]
    );
}

#[test]
fn shared_names_are_referenced_by_id() {
    let env = Env::new();
    let first = env
        .run(["domain", "add", "example.com", "--json"])
        .ok()
        .json();
    let second = env
        .run([
            "domain",
            "add",
            "example.com",
            "--bounce",
            "b2",
            "--catchall",
            "c2",
            "--json",
        ])
        .ok()
        .json();
    let (id1, id2) = (
        first["id"].as_i64().unwrap(),
        second["id"].as_i64().unwrap(),
    );

    // By name it is ambiguous, and the message gives the ids to use.
    let out = env
        .run(["domain", "show", "example.com", "--json"])
        .fails(65);
    let (_, message) = out.json_error();
    assert!(
        message.contains(&format!("#{id1}")) && message.contains(&format!("#{id2}")),
        "{message}"
    );
    for args in [
        &["company", "add", "Acme", "--domain", "example.com"][..],
        &["route", "a@b.example", "--domain", "example.com"],
        &["domain", "set", "example.com", "--priority", "1"],
        &["domain", "remove", "example.com", "--yes"],
    ] {
        env.refused_unchanged(args, 65);
    }

    let shown = env
        .run(["domain", "show", &format!("#{id2}"), "--json"])
        .ok()
        .json();
    assert_eq!(str_field(&shown, "bounce"), "b2");
    let company = env
        .run([
            "company",
            "add",
            "Acme",
            "--domain",
            &format!("#{id2}"),
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(company["alias_domain_id"], id2);
    let decision = env.route("a@b.example", &["--domain", &format!("#{id2}")]);
    assert_eq!(str_field(&decision, "reply_to"), "c2@example.com");
}

#[test]
fn set_priority_needs_no_confirmation() {
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    let d = env
        .run(["domain", "set", "example.com", "--priority", "3", "--json"])
        .ok()
        .json();
    assert_eq!(d["priority"], 3);
    let d = env
        .run(["domain", "show", "example.com", "--json"])
        .ok()
        .json();
    assert_eq!(d["priority"], 3);
}

#[test]
fn set_with_nothing_to_change_is_a_usage_error() {
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    env.refused_unchanged(["domain", "set", "example.com"], 64);
}

#[test]
fn alias_change_without_terminal_or_yes_is_a_usage_error_and_changes_nothing() {
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    let out = env.refused_unchanged(
        [
            "domain",
            "set",
            "example.com",
            "--bounce",
            "bounce2",
            "--json",
        ],
        64,
    );
    let (kind, message) = out.json_error();
    assert_eq!(kind, "usage");
    assert!(message.contains("--yes"), "names the flag: {message}");
    // Same with the priority changed too: nothing at all is written.
    env.refused_unchanged(
        [
            "domain",
            "set",
            "example.com",
            "--catchall",
            "c2",
            "--priority",
            "1",
        ],
        64,
    );
}

#[test]
fn alias_change_with_yes_keeps_the_old_alias_in_the_history() {
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    let d = env
        .run([
            "domain",
            "set",
            "example.com",
            "--bounce",
            "bounce2",
            "--yes",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(str_field(&d, "bounce_address"), "bounce2@example.com");

    let shown = env
        .run(["domain", "show", "example.com", "--json"])
        .ok()
        .json();
    let history = shown["history"].as_array().expect("history in show");
    assert_eq!(history.len(), 1, "{shown:#}");
    assert_eq!(str_field(&history[0], "old_value"), "bounce");
    assert_eq!(str_field(&history[0], "alias"), "bounce");

    let parts = env.run(["local-parts", "--json"]).ok().json();
    let old: Vec<(&str, bool)> = parts
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (str_field(p, "address"), p["old"].as_bool().unwrap()))
        .collect();
    assert!(old.contains(&("bounce@example.com", true)), "{parts:#}");
    assert!(old.contains(&("bounce2@example.com", false)), "{parts:#}");
}

#[test]
fn setting_an_alias_to_its_current_value_is_not_a_change() {
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    // No confirmation needed, no history entry.
    env.run(["domain", "set", "example.com", "--bounce", "Bounce"])
        .ok();
    let shown = env
        .run(["domain", "show", "example.com", "--json"])
        .ok()
        .json();
    assert_eq!(shown["history"], Value::Array(vec![]), "{shown:#}");
}

#[test]
fn set_unknown_domain_lists_the_valid_ones() {
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    env.run(["domain", "add", "other.example"]).ok();
    let out = env.refused_unchanged(
        ["domain", "set", "nope.example", "--priority", "1", "--json"],
        65,
    );
    let (_, message) = out.json_error();
    assert!(message.contains("nope.example"), "{message}");
    assert!(
        message.contains("example.com") && message.contains("other.example"),
        "lists the valid choices: {message}"
    );
    let out = env.run(["domain", "show", "nope.example"]).fails(65);
    out.assert_stderr_contains("other.example");
}

#[test]
fn first_domain_goes_to_existing_companies() {
    let env = Env::new();
    env.run(["company", "add", "Acme"]).ok();
    env.run(["company", "add", "Globex"]).ok();
    let d = env
        .run(["domain", "add", "example.com", "--json"])
        .ok()
        .json();
    let companies: Vec<&str> = d["companies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(companies, ["Acme", "Globex"]);
    // A second domain is not given to anyone.
    let d = env
        .run(["domain", "add", "other.example", "--json"])
        .ok()
        .json();
    assert_eq!(d["companies"], Value::Array(vec![]));
    let list = env.run(["company", "list", "--json"]).ok().json();
    for c in list.as_array().unwrap() {
        assert_eq!(str_field(c, "alias_domain"), "example.com");
    }
}

#[test]
fn remove_a_domain_used_by_a_company_is_refused_naming_it() {
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    env.run(["company", "add", "Acme"]).ok();
    let out = env.refused_unchanged(["domain", "remove", "example.com", "--yes", "--json"], 65);
    let (_, message) = out.json_error();
    assert!(message.contains("Acme"), "{message}");
}

#[test]
fn remove_needs_yes_without_a_terminal() {
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    env.refused_unchanged(["domain", "remove", "example.com"], 64);
    let out = env
        .run(["domain", "remove", "example.com", "--yes", "--json"])
        .ok()
        .json();
    assert_eq!(str_field(&out["removed"], "name"), "example.com");
    assert_eq!(
        env.run(["domain", "list", "--json"]).ok().json(),
        Value::Array(vec![])
    );
}

#[test]
fn remove_unknown_domain() {
    let env = Env::new();
    let out = env.refused_unchanged(["domain", "remove", "nope.example", "--yes", "--json"], 65);
    assert_eq!(out.json_error().0, "not-found");
}

#[test]
fn domain_without_subcommand_is_a_usage_error() {
    let env = Env::new();
    env.run(["domain"]).fails(64);
    env.run(["domain", "frobnicate"]).fails(64);
    env.run(["domain", "add"]).fails(64);
    env.run(["domain", "add", "example.com", "--priority", "high"])
        .fails(64);
}
