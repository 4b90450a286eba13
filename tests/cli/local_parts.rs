//! `mailroute local-parts`: what to whitelist or redirect on the mail server.

use serde_json::Value;

use crate::support::{str_field, Env};

/// (address, old) pairs of `local-parts --json`, with the item shape checked.
fn parts(env: &Env, extra: &[&str]) -> Vec<(String, bool)> {
    let mut args = vec!["local-parts", "--json"];
    args.extend_from_slice(extra);
    let list = env.run(args).ok().json();
    list.as_array()
        .expect("an array")
        .iter()
        .map(|p| {
            let address = str_field(p, "address").to_string();
            assert_eq!(
                address,
                format!("{}@{}", str_field(p, "local_part"), str_field(p, "domain")),
                "{p:#}"
            );
            assert!(p["uses"].as_array().is_some_and(|u| !u.is_empty()), "{p:#}");
            (address, p["old"].as_bool().expect("old is a bool"))
        })
        .collect()
}

fn current(address: &str) -> (String, bool) {
    (address.to_string(), false)
}

#[test]
fn empty_store() {
    let env = Env::new();
    assert_eq!(
        env.run(["local-parts", "--json"]).ok().json(),
        Value::Array(vec![])
    );
    assert!(!env.run(["local-parts"]).ok().stdout.trim().is_empty());
}

#[test]
fn lists_domain_aliases_server_addresses_and_email_from() {
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    env.run([
        "server",
        "add",
        "main",
        "--host",
        "h",
        "--from-filter",
        "example.com, ceo@example.com, news@other.example",
    ])
    .ok();
    env.run([
        "settings",
        "set",
        "email-from",
        "Admin <admin@corp.example>",
    ])
    .ok();
    let found = parts(&env, &[]);
    for address in [
        "bounce@example.com",
        "catchall@example.com",
        "notifications@example.com",
        "ceo@example.com",
        "news@other.example",
        "admin@corp.example",
    ] {
        assert!(found.contains(&current(address)), "{address} in {found:?}");
    }
    assert_eq!(
        found.len(),
        6,
        "a domain filter is not a local part: {found:?}"
    );
}

#[test]
fn old_aliases_are_listed_as_old() {
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    env.run([
        "domain",
        "set",
        "example.com",
        "--catchall",
        "replies",
        "--default-from",
        "noreply",
        "--yes",
    ])
    .ok();
    let found = parts(&env, &[]);
    assert!(
        found.contains(&("catchall@example.com".into(), true)),
        "{found:?}"
    );
    assert!(
        found.contains(&("notifications@example.com".into(), true)),
        "{found:?}"
    );
    assert!(found.contains(&current("replies@example.com")), "{found:?}");
    assert!(found.contains(&current("noreply@example.com")), "{found:?}");
    let human = env.run(["local-parts"]).ok();
    human.assert_stdout_contains("catchall");
    human.assert_stdout_contains("redirect");

    // Back to the old value: it is current again, not old.
    env.run([
        "domain",
        "set",
        "example.com",
        "--catchall",
        "catchall",
        "--yes",
    ])
    .ok();
    let found = parts(&env, &[]);
    assert!(
        found.contains(&current("catchall@example.com")),
        "{found:?}"
    );
    assert!(
        found.contains(&("replies@example.com".into(), true)),
        "{found:?}"
    );
}

#[test]
fn domain_option_filters() {
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    env.run(["domain", "add", "other.example"]).ok();
    let found = parts(&env, &["--domain", "Other.Example"]);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(
        found.iter().all(|(a, _)| a.ends_with("@other.example")),
        "{found:?}"
    );

    let out = env
        .run(["local-parts", "--domain", "nope.example", "--json"])
        .fails(65);
    let (_, message) = out.json_error();
    assert!(
        message.contains("example.com") && message.contains("other.example"),
        "{message}"
    );
}
