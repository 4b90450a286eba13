//! `mailroute route FROM`: the decision contract of cli.md and the rules of routing.md.

use serde_json::Value;

use crate::support::{assert_decision_shape, str_field, Env};

const N: &str = "notifications.test@test.mycompany.com";
const B: &str = "bounce.test@test.mycompany.com";

/// (server, rule, header_from, envelope_from, rewritten) of a decision, checked for shape.
fn summary(d: &Value) -> (Option<String>, String, String, String, bool) {
    assert_decision_shape(d);
    (
        d["server"].as_str().map(str::to_string),
        str_field(d, "rule").to_string(),
        str_field(d, "header_from").to_string(),
        str_field(d, "envelope_from").to_string(),
        d["rewritten"].as_bool().unwrap(),
    )
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string())
}

// ---------------------------------------------------------------------------------------------
// routing.md §7, row by row.

#[test]
fn worked_example_specific_user_by_address() {
    let env = Env::new();
    env.worked_example();
    let from = "specific_user@test.mycompany.com";
    let d = env.route(from, &[]);
    assert_eq!(
        summary(&d),
        (
            some("user"),
            "address".into(),
            from.into(),
            from.into(),
            false
        ),
        "B fails the address-only filter, so the envelope is the sender: {d:#}"
    );
}

#[test]
fn worked_example_unknown_name_by_domain() {
    let env = Env::new();
    env.worked_example();
    let from = "\"Name\" <unknown_name@test.mycompany.com>";
    let d = env.route(from, &[]);
    assert_eq!(
        summary(&d),
        (some("dom"), "domain".into(), from.into(), B.into(), false),
        "{d:#}"
    );
}

#[test]
fn worked_example_unknown_domain_with_name_goes_as_notification() {
    let env = Env::new();
    env.worked_example();
    let d = env.route("\"Name\" <test@unknown_domain.com>", &[]);
    assert_eq!(
        summary(&d),
        (
            some("notif"),
            "notification-address".into(),
            format!("\"Name\" <{N}>"),
            N.into(),
            true
        ),
        "{d:#}"
    );
    // The original address is kept only in Reply-To; the catchall applies here.
    assert_eq!(
        str_field(&d, "reply_to"),
        "catchall.test@test.mycompany.com"
    );
}

#[test]
fn worked_example_bare_unknown_domain_uses_the_local_part_as_name() {
    let env = Env::new();
    env.worked_example();
    let d = env.route("test@unknown_domain.com", &[]);
    assert_eq!(
        summary(&d),
        (
            some("notif"),
            "notification-address".into(),
            format!("\"test\" <{N}>"),
            N.into(),
            true
        ),
        "{d:#}"
    );
}

#[test]
fn worked_example_without_notif_goes_by_the_notification_domain() {
    let env = Env::new();
    env.worked_example();
    env.run(["server", "remove", "notif", "--yes"]).ok();
    let d = env.route("test@unknown_domain.com", &[]);
    assert_eq!(
        summary(&d),
        (
            some("dom"),
            "notification-domain".into(),
            format!("\"test\" <{N}>"),
            B.into(),
            true
        ),
        "{d:#}"
    );
}

#[test]
fn worked_example_without_domain_or_email_from_goes_unfiltered_unchanged() {
    let env = Env::new();
    env.worked_example();
    env.run(["server", "remove", "notif", "--yes"]).ok();
    env.run(["domain", "remove", "test.mycompany.com", "--yes"])
        .ok();
    let from = "test@unknown_domain.com";
    let d = env.route(from, &[]);
    assert_eq!(
        summary(&d),
        (
            some("any"),
            "unfiltered".into(),
            from.into(),
            from.into(),
            false
        ),
        "{d:#}"
    );
    assert_eq!(str_field(&d, "reply_to"), from, "the original From");
}

#[test]
fn worked_example_disabled_notif_is_never_chosen() {
    let env = Env::new();
    env.worked_example();
    env.run(["server", "disable", "notif"]).ok();
    let d = env.route("test@unknown_domain.com", &[]);
    assert_eq!(str_field(&d, "server"), "dom", "{d:#}");
    assert_eq!(str_field(&d, "rule"), "notification-domain");
}

#[test]
fn a_display_name_that_looks_like_an_address_is_not_the_address() {
    let env = Env::new();
    env.worked_example();
    let d = env.route(
        "\"specific_user@test.mycompany.com\" <test@unknown_domain.com>",
        &[],
    );
    assert_eq!(str_field(&d, "server"), "notif", "{d:#}");
    assert_eq!(str_field(&d, "envelope_from"), N);
}

#[test]
fn the_sender_is_normalised_before_matching() {
    let env = Env::new();
    env.worked_example();
    let d = env.route("\"Name\" <Specific_User@TEST.MyCompany.com>", &[]);
    assert_eq!(str_field(&d, "server"), "user", "{d:#}");
    assert_eq!(str_field(&d, "rule"), "address");
    assert_eq!(d["rewritten"], false);
}

#[test]
fn the_trace_names_the_servers_and_steps_tried() {
    let env = Env::new();
    env.worked_example();
    let d = env.route("test@unknown_domain.com", &[]);
    let trace = d["trace"].as_array().unwrap();
    let steps: Vec<&str> = trace.iter().map(|s| str_field(s, "step")).collect();
    for step in ["address", "domain", "notification-address"] {
        assert!(steps.contains(&step), "{step} in {steps:?}");
    }
    assert!(
        trace
            .iter()
            .any(|s| s["server"] == "notif" && s["outcome"] == "matched"),
        "the matching server is in the trace: {d:#}"
    );
}

// ---------------------------------------------------------------------------------------------
// From-filters (routing.md §2)

#[test]
fn domain_filters_are_exact_and_case_insensitive() {
    let env = Env::new();
    env.run([
        "server",
        "add",
        "exact",
        "--host",
        "h",
        "--from-filter",
        "mail.EXAMPLE.com",
    ])
    .ok();
    env.run([
        "server",
        "add",
        "sub",
        "--host",
        "h",
        "--from-filter",
        "mmail.example.com",
    ])
    .ok();
    env.run([
        "server",
        "add",
        "addr",
        "--host",
        "h",
        "--from-filter",
        "test@mail.example.com",
    ])
    .ok();
    let d = env.route("admin@mail.example.com", &[]);
    assert_eq!(str_field(&d, "server"), "exact", "{d:#}");
    assert_eq!(str_field(&d, "rule"), "domain");

    let d = env.route("admin@sub.mail.example.com", &[]);
    assert_ne!(str_field(&d, "rule"), "domain", "no subdomains: {d:#}");
}

#[test]
fn the_address_step_looks_at_every_server_before_the_domain_step() {
    let env = Env::new();
    env.run([
        "server",
        "add",
        "bydomain",
        "--host",
        "h",
        "--from-filter",
        "example.com",
        "--priority",
        "0",
    ])
    .ok();
    env.run([
        "server",
        "add",
        "byaddress",
        "--host",
        "h",
        "--from-filter",
        "other.example, ceo@example.com",
        "--priority",
        "99",
    ])
    .ok();
    let d = env.route("CEO@Example.com", &[]);
    assert_eq!(str_field(&d, "server"), "byaddress", "{d:#}");
    assert_eq!(str_field(&d, "rule"), "address");
    let d = env.route("cfo@example.com", &[]);
    assert_eq!(str_field(&d, "server"), "bydomain", "{d:#}");
}

#[test]
fn servers_are_ordered_by_priority_then_name() {
    let env = Env::new();
    for (name, priority) in [("zulu", "5"), ("bravo", "5"), ("alpha", "6")] {
        env.run([
            "server",
            "add",
            name,
            "--host",
            "h",
            "--from-filter",
            "example.com",
            "--priority",
            priority,
        ])
        .ok();
    }
    assert_eq!(
        str_field(&env.route("a@example.com", &[]), "server"),
        "bravo"
    );
    env.run(["server", "set", "alpha", "--priority", "-1"]).ok();
    assert_eq!(
        str_field(&env.route("a@example.com", &[]), "server"),
        "alpha"
    );
}

// ---------------------------------------------------------------------------------------------
// Forced servers, first server, fallback

#[test]
fn forced_server_keeps_the_header_and_warns_when_the_filter_does_not_match() {
    let env = Env::new();
    env.worked_example();
    let from = "\"Name\" <test@unknown_domain.com>";
    let d = env.route(from, &["--server", "dom"]);
    assert_eq!(
        summary(&d),
        (some("dom"), "forced".into(), from.into(), B.into(), false),
        "{d:#}"
    );
    let warnings = d["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().contains("spam")),
        "{d:#}"
    );
    // Matching sender: no warning.
    let d = env.route("x@test.mycompany.com", &["--server", "dom"]);
    assert_eq!(d["warnings"], Value::Array(vec![]), "{d:#}");

    // Human form: the warning goes to stderr, the decision to stdout.
    let out = env.run(["route", from, "--server", "dom"]).ok();
    out.assert_stdout_contains("dom");
    out.assert_stderr_contains("spam");
}

#[test]
fn forcing_a_disabled_server_is_a_configuration_error() {
    let env = Env::new();
    env.worked_example();
    env.run(["server", "disable", "any"]).ok();
    let out = env
        .run(["route", "a@b.example", "--server", "any", "--json"])
        .fails(78);
    out.assert_stdout_empty();
    let (kind, message) = out.json_error();
    assert_eq!(kind, "config");
    assert!(message.contains("any"), "{message}");
    env.run(["route", "a@b.example", "--server", "any"])
        .fails(78);
}

#[test]
fn forcing_an_unknown_server_lists_the_servers() {
    let env = Env::new();
    env.worked_example();
    let out = env
        .run(["route", "a@b.example", "--server", "smtp2", "--json"])
        .fails(65);
    let (_, message) = out.json_error();
    assert!(message.contains("no server 'smtp2'"), "{message}");
    for name in ["dom", "user", "notif", "any"] {
        assert!(message.contains(name), "{message}");
    }
}

#[test]
fn no_filter_matches_uses_the_first_server_with_a_warning() {
    let env = Env::new();
    env.run([
        "server",
        "add",
        "b",
        "--host",
        "h",
        "--from-filter",
        "b.example",
    ])
    .ok();
    env.run([
        "server",
        "add",
        "a",
        "--host",
        "h",
        "--from-filter",
        "a.example",
    ])
    .ok();
    let d = env.route("x@elsewhere.example", &[]);
    assert_eq!(
        summary(&d),
        (
            some("a"),
            "first".into(),
            "x@elsewhere.example".into(),
            "x@elsewhere.example".into(),
            false
        )
    );
    assert!(!d["warnings"].as_array().unwrap().is_empty(), "{d:#}");
}

#[test]
fn no_enabled_server_uses_the_fallback() {
    let env = Env::new();
    env.run(["server", "add", "off", "--host", "h", "--disabled"])
        .ok();
    let d = env.route("x@elsewhere.example", &[]);
    assert_eq!(d["server"], Value::Null, "{d:#}");
    assert_eq!(str_field(&d, "rule"), "fallback");
    assert_eq!(str_field(&d, "header_from"), "x@elsewhere.example");

    env.run([
        "settings",
        "set",
        "fallback-server",
        "smtp://relay.example:2525",
    ])
    .ok();
    let out = env.run(["route", "x@elsewhere.example"]).ok();
    out.assert_stdout_contains("relay.example");
}

#[test]
fn fallback_from_filter_decides_the_sending_address() {
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    env.run(["settings", "set", "fallback-from-filter", "example.com"])
        .ok();
    // The sender matches: sent as it.
    let d = env.route("a@example.com", &[]);
    assert_eq!(str_field(&d, "header_from"), "a@example.com", "{d:#}");
    assert_eq!(str_field(&d, "envelope_from"), "bounce@example.com");
    // It does not, the notification address does: sent as that.
    let d = env.route("a@elsewhere.example", &[]);
    assert_eq!(
        str_field(&d, "header_from"),
        "\"a\" <notifications@example.com>",
        "{d:#}"
    );
    assert_eq!(d["rewritten"], true);
    // Neither matches: a warning.
    env.run(["settings", "set", "fallback-from-filter", "third.example"])
        .ok();
    let d = env.route("a@elsewhere.example", &[]);
    assert!(!d["warnings"].as_array().unwrap().is_empty(), "{d:#}");
}

// ---------------------------------------------------------------------------------------------
// Context: --domain, --company, email-from, unique sender

#[test]
fn domain_option_picks_the_alias_domain() {
    let env = Env::new();
    env.run(["server", "add", "any", "--host", "h"]).ok();
    env.run(["domain", "add", "aaa.example"]).ok();
    env.run(["domain", "add", "bbb.example"]).ok();
    let d = env.route("x@elsewhere.example", &[]);
    assert_eq!(
        str_field(&d, "header_from"),
        "\"x\" <notifications@aaa.example>",
        "the first domain by name: {d:#}"
    );
    let d = env.route("x@elsewhere.example", &["--domain", "bbb.example"]);
    assert_eq!(
        str_field(&d, "header_from"),
        "\"x\" <notifications@bbb.example>"
    );
    assert_eq!(str_field(&d, "envelope_from"), "bounce@bbb.example");
    assert_eq!(str_field(&d, "reply_to"), "catchall@bbb.example");
    let out = env
        .run([
            "route",
            "x@elsewhere.example",
            "--domain",
            "ccc.example",
            "--json",
        ])
        .fails(65);
    let (_, message) = out.json_error();
    assert!(
        message.contains("aaa.example") && message.contains("bbb.example"),
        "{message}"
    );
}

#[test]
fn email_from_applies_when_no_alias_domain_does() {
    let env = Env::new();
    env.run(["server", "add", "any", "--host", "h"]).ok();
    env.run(["settings", "set", "email-from", "admin@corp.example"])
        .ok();
    let d = env.route("x@elsewhere.example", &[]);
    assert_eq!(
        str_field(&d, "header_from"),
        "\"x\" <admin@corp.example>",
        "{d:#}"
    );
    assert_eq!(str_field(&d, "envelope_from"), "admin@corp.example");
}

#[test]
fn unique_sender_rewrites_even_forced_messages() {
    let env = Env::new();
    env.run(["server", "add", "any", "--host", "h"]).ok();
    env.run([
        "server",
        "add",
        "other",
        "--host",
        "h",
        "--from-filter",
        "x.example",
    ])
    .ok();
    env.run([
        "domain",
        "add",
        "example.com",
        "--default-from",
        "info@example.com",
    ])
    .ok();
    let d = env.route("\"Bob\" <bob@x.example>", &[]);
    assert_eq!(
        str_field(&d, "header_from"),
        "\"Bob\" <info@example.com>",
        "{d:#}"
    );
    assert_eq!(d["rewritten"], true);
    let d = env.route("\"Bob\" <bob@x.example>", &["--server", "other"]);
    assert_eq!(
        str_field(&d, "header_from"),
        "\"Bob\" <info@example.com>",
        "{d:#}"
    );
    assert_eq!(str_field(&d, "rule"), "forced");
}

#[test]
fn rewritten_names_are_quoted_and_escaped() {
    let env = Env::new();
    env.worked_example();
    let d = env.route(r#""Jo \"The\" Boss" <jo@unknown_domain.com>"#, &[]);
    assert_eq!(
        str_field(&d, "header_from"),
        format!(r#""Jo \"The\" Boss" <{N}>"#),
        "{d:#}"
    );
}

// ---------------------------------------------------------------------------------------------
// Headers and envelope

#[test]
fn reply_to_option() {
    let env = Env::new();
    env.worked_example();
    let d = env.route(
        "a@test.mycompany.com",
        &["--reply-to", "Help <help@x.example>"],
    );
    assert_eq!(str_field(&d, "reply_to"), "Help <help@x.example>");
    let out = env
        .run([
            "route",
            "a@test.mycompany.com",
            "--reply-to",
            "nope",
            "--json",
        ])
        .fails(65);
    assert_eq!(out.json_error().0, "bad-input");
}

#[test]
fn the_envelope_is_idna_and_keeps_the_local_part_case() {
    let env = Env::new();
    env.run(["server", "add", "any", "--host", "h"]).ok();
    let d = env.route("Bob <Bob.Smith@Exämple.COM>", &[]);
    let envelope = str_field(&d, "envelope_from");
    assert_eq!(envelope, "Bob.Smith@xn--exmple-cua.com", "{d:#}");
    // The header stays UTF-8 text.
    assert_eq!(str_field(&d, "header_from"), "Bob <Bob.Smith@Exämple.COM>");
}

#[test]
fn a_non_ascii_local_part_cannot_be_an_envelope() {
    let env = Env::new();
    env.run(["server", "add", "any", "--host", "h"]).ok();
    let out = env.run(["route", "jösé@example.com", "--json"]).fails(65);
    out.assert_stdout_empty();
    assert_eq!(out.json_error().0, "bad-input");
}

#[test]
fn several_addresses_skip_the_sender_steps_with_a_warning() {
    let env = Env::new();
    env.worked_example();
    let d = env.route("specific_user@test.mycompany.com, other@x.example", &[]);
    assert_decision_shape(&d);
    assert_ne!(str_field(&d, "rule"), "address", "{d:#}");
    assert!(!d["warnings"].as_array().unwrap().is_empty(), "{d:#}");
}

// ---------------------------------------------------------------------------------------------
// Errors and usage

#[test]
fn malformed_senders_are_bad_input() {
    let env = Env::new();
    env.worked_example();
    for from in ["nobody", "", "a@", "@b.example", "a@@b.example", "<>"] {
        let out = env.run(["route", from, "--json"]).fails(65);
        out.assert_stdout_empty();
        let (kind, _) = out.json_error();
        assert_eq!(kind, "bad-input", "{from:?}");
        // Without --json: a plain message, not JSON.
        let out = env.run(["route", from]).fails(65);
        assert!(out.stderr.starts_with("error:"), "{}", out.describe());
    }
}

#[test]
fn usage_errors_exit_64() {
    let env = Env::new();
    env.worked_example();
    for args in [
        &["route"][..],
        &["route", "--json"],
        &[
            "route",
            "a@b.example",
            "--company",
            "A",
            "--domain",
            "b.example",
        ],
        &["route", "a@b.example", "--stdin"],
        &["route", "a@b.example", "--bogus"],
        &["route", "a@b.example", "--server"],
        &["route", "a@b.example", "extra@c.example"],
    ] {
        let out = env.run(args).fails(64);
        out.assert_stdout_empty();
    }
}

#[test]
fn usage_errors_with_json_are_one_json_object() {
    let env = Env::new();
    let out = env
        .run([
            "route",
            "a@b.example",
            "--company",
            "A",
            "--domain",
            "b.example",
            "--json",
        ])
        .fails(64);
    let (kind, message) = out.json_error();
    assert_eq!(kind, "usage");
    assert!(
        message.contains("--company") && message.contains("--domain"),
        "{message}"
    );
    let out = env.run(["route", "--json"]).fails(64);
    assert_eq!(out.json_error().0, "usage");
}

#[test]
fn human_output_explains_the_decision() {
    let env = Env::new();
    env.worked_example();
    let out = env.run(["route", "test@unknown_domain.com"]).ok();
    for text in [
        "notif",
        N,
        "catchall.test@test.mycompany.com",
        "notification-address",
    ] {
        out.assert_stdout_contains(text);
    }
    assert!(
        !out.stdout.contains('\x1b'),
        "no colour when not a terminal"
    );
    assert!(serde_json::from_str::<Value>(&out.stdout).is_err());
}
