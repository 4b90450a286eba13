//! `mailroute settings show|set|unset`.

use serde_json::Value;

use crate::support::{str_field, Env};

/// The value of one key in `settings show --json`.
fn setting(env: &Env, key: &str) -> Value {
    let all = env.run(["settings", "show", "--json"]).ok().json();
    all.as_array()
        .expect("settings show --json is an array")
        .iter()
        .find(|s| s["key"] == key)
        .unwrap_or_else(|| panic!("no key {key} in {all:#}"))["value"]
        .clone()
}

#[test]
fn show_lists_every_key_with_defaults() {
    let env = Env::new();
    let all = env.run(["settings", "show", "--json"]).ok().json();
    let keys: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|s| str_field(s, "key"))
        .collect();
    assert_eq!(
        keys,
        [
            "email-from",
            "fallback-server",
            "fallback-from-filter",
            "mass-mailing-server"
        ]
    );
    let fallback = &all[1];
    assert_eq!(fallback["value"], Value::Null);
    assert_eq!(str_field(fallback, "default"), "smtp://localhost:25");
    let human = env.run(["settings", "show"]).ok();
    human.assert_stdout_contains("smtp://localhost:25");
    human.assert_stdout_contains("mass-mailing-server");
}

#[test]
fn set_and_unset_each_key() {
    let env = Env::new();
    env.run(["server", "add", "bulk", "--host", "h.example"])
        .ok();
    for (key, value, stored) in [
        (
            "email-from",
            "Admin <admin@corp.example>",
            "Admin <admin@corp.example>",
        ),
        (
            "fallback-server",
            "smtp://relay.example:2525",
            "smtp://relay.example:2525",
        ),
        ("fallback-from-filter", "corp.example", "corp.example"),
        ("mass-mailing-server", "BULK", "bulk"),
    ] {
        let shown = env
            .run(["settings", "set", key, value, "--json"])
            .ok()
            .json();
        let entry = shown
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == key)
            .unwrap();
        assert_eq!(str_field(entry, "value"), stored, "{key}");
        assert_eq!(setting(&env, key), stored, "{key}");
    }
    for key in [
        "email-from",
        "fallback-server",
        "fallback-from-filter",
        "mass-mailing-server",
    ] {
        env.run(["settings", "unset", key]).ok();
        assert_eq!(setting(&env, key), Value::Null, "{key}");
    }
}

#[test]
fn unknown_keys_list_the_valid_ones() {
    let env = Env::new();
    let out = env.refused_unchanged(["settings", "set", "colour", "red", "--json"], 65);
    let (_, message) = out.json_error();
    for key in [
        "email-from",
        "fallback-server",
        "fallback-from-filter",
        "mass-mailing-server",
    ] {
        assert!(message.contains(key), "{message}");
    }
    env.refused_unchanged(["settings", "unset", "colour"], 65);
}

#[test]
fn bad_values_are_refused() {
    let env = Env::new();
    env.run(["server", "add", "main", "--host", "h.example"])
        .ok();
    env.run(["server", "add", "bulk", "--host", "h.example"])
        .ok();
    for (key, value) in [
        ("email-from", "nobody"),
        ("email-from", "a@b.example, c@d.example"),
        ("fallback-server", "ftp://relay.example"),
        ("fallback-server", "relay.example"),
        ("fallback-from-filter", "x@@y.example"),
        ("mass-mailing-server", "smtp2"),
    ] {
        env.refused_unchanged(["settings", "set", key, value], 65);
    }
    let out = env.refused_unchanged(
        ["settings", "set", "mass-mailing-server", "smtp2", "--json"],
        65,
    );
    let (_, message) = out.json_error();
    assert!(message.contains("no server 'smtp2'"), "{message}");
    assert!(
        message.contains("main") && message.contains("bulk"),
        "{message}"
    );
}

#[test]
fn a_fallback_url_with_a_password_is_refused_without_echoing_it() {
    let env = Env::new();
    let out = env.refused_unchanged(
        [
            "settings",
            "set",
            "fallback-server",
            "smtp://u:secret@relay.example",
        ],
        65,
    );
    assert!(!out.stderr.contains("secret"), "{}", out.describe());
    let out = env.refused_unchanged(
        [
            "settings",
            "set",
            "fallback-server",
            "smtp://u:secret@relay.example",
            "--json",
        ],
        65,
    );
    assert!(!out.json_error().1.contains("secret"));
}

#[test]
fn missing_arguments_are_usage_errors() {
    let env = Env::new();
    env.refused_unchanged(["settings", "set", "email-from"], 64);
    env.refused_unchanged(["settings", "unset"], 64);
    env.refused_unchanged(["settings"], 64);
}

#[test]
fn mass_mailing_server_is_used_by_mass() {
    let env = Env::new();
    env.run(["server", "add", "main", "--host", "h.example"])
        .ok();
    env.run([
        "server",
        "add",
        "bulk",
        "--host",
        "h.example",
        "--priority",
        "20",
    ])
    .ok();
    let d = env.route("news@example.com", &["--mass"]);
    assert_eq!(
        str_field(&d, "server"),
        "main",
        "no setting: normal routing"
    );
    env.run(["settings", "set", "mass-mailing-server", "bulk"])
        .ok();
    let d = env.route("news@example.com", &["--mass"]);
    assert_eq!(str_field(&d, "server"), "bulk");
    assert_eq!(str_field(&d, "rule"), "forced");
    let d = env.route("news@example.com", &[]);
    assert_eq!(str_field(&d, "server"), "main", "only --mass uses it");

    // Disabled: --mass fails as a configuration error.
    env.run(["server", "disable", "bulk"]).ok();
    let out = env
        .run(["route", "news@example.com", "--mass", "--json"])
        .fails(78);
    assert_eq!(out.json_error().0, "config");
}
