//! `mailroute server add|set|enable|disable|list|show|remove`, and secrets never printed.

use serde_json::Value;

use crate::support::{names, str_field, Env};

const SECRET: &str = "hunter2-S3cr3t-pw";

#[test]
fn add_with_host_and_defaults() {
    let env = Env::new();
    let s = env
        .run([
            "server",
            "add",
            "main",
            "--host",
            "Mail.Example.com",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(str_field(&s, "name"), "main");
    assert_eq!(str_field(&s, "host"), "mail.example.com");
    assert_eq!(s["port"], 25);
    assert_eq!(str_field(&s, "security"), "none");
    assert_eq!(s["priority"], 10);
    assert_eq!(s["enabled"], true);
    assert_eq!(str_field(&s, "from_filter"), "");
    assert_eq!(str_field(&s, "password"), "none");
}

#[test]
fn security_modes_give_their_default_ports() {
    let env = Env::new();
    for (mode, port) in [("none", 25), ("starttls", 587), ("tls", 465)] {
        let s = env
            .run([
                "server",
                "add",
                &format!("s-{mode}"),
                "--host",
                "h.example",
                "--security",
                mode,
                "--json",
            ])
            .ok()
            .json();
        assert_eq!(s["port"], port, "{mode}");
        assert_eq!(str_field(&s, "security"), mode);
    }
    let s = env
        .run([
            "server",
            "add",
            "custom",
            "--host",
            "h.example",
            "--port",
            "2525",
            "--security",
            "tls",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(s["port"], 2525);
}

#[test]
fn add_with_urls() {
    let env = Env::new();
    let s = env
        .run([
            "server",
            "add",
            "sub",
            "--url",
            "smtp://me@mail.example.com:587?tls=required",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(str_field(&s, "security"), "starttls");
    assert_eq!(s["port"], 587);
    assert_eq!(str_field(&s, "user"), "me");
    let s = env
        .run([
            "server",
            "add",
            "imp",
            "--url",
            "smtps://smtp.example.com",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(str_field(&s, "security"), "tls");
    assert_eq!(s["port"], 465);
}

#[test]
fn bad_urls_are_refused() {
    let env = Env::new();
    for url in [
        "ftp://h.example",
        "not a url",
        "smtp://",
        "smtp://h.example:99999",
    ] {
        let out = env.refused_unchanged(["server", "add", "x", "--url", url, "--json"], 65);
        assert_eq!(out.json_error().0, "bad-input", "{url}");
    }
}

#[test]
fn a_url_with_a_password_is_refused_without_echoing_it() {
    let env = Env::new();
    let out = env.refused_unchanged(
        ["server", "add", "x", "--url", "smtp://u:secret@h.example"],
        65,
    );
    assert!(!out.stderr.contains("secret"), "{}", out.describe());
    assert!(
        out.stderr.contains("--password-stdin"),
        "says what to do instead"
    );
    let out = env.refused_unchanged(
        [
            "server",
            "add",
            "x",
            "--url",
            "smtp://u:secret@h.example",
            "--json",
        ],
        65,
    );
    let (kind, message) = out.json_error();
    assert_eq!(kind, "bad-input");
    assert!(!message.contains("secret"), "{message}");

    env.run(["server", "add", "x", "--host", "h.example"]).ok();
    let out = env.refused_unchanged(
        ["server", "set", "x", "--url", "smtps://u:secret@h.example"],
        65,
    );
    assert!(!out.stderr.contains("secret"), "{}", out.describe());
}

#[test]
fn bad_from_filters_are_refused() {
    let env = Env::new();
    for filter in ["a@@b.example", "exa mple.com, foo.example", "x@"] {
        let out = env.refused_unchanged(
            [
                "server",
                "add",
                "x",
                "--host",
                "h.example",
                "--from-filter",
                filter,
                "--json",
            ],
            65,
        );
        let (kind, message) = out.json_error();
        assert_eq!(kind, "bad-input", "{filter}: {message}");
    }
}

#[test]
fn from_filter_is_normalised() {
    let env = Env::new();
    let s = env
        .run([
            "server",
            "add",
            "x",
            "--host",
            "h.example",
            "--from-filter",
            " Example.COM ,, Admin@Mail.Example.com ",
            "--json",
        ])
        .ok()
        .json();
    let filter = str_field(&s, "from_filter").to_lowercase();
    assert!(filter.contains("example.com"), "{s:#}");
    assert!(filter.contains("admin@mail.example.com"), "{s:#}");
    assert!(!filter.contains(",,"), "empty parts dropped: {s:#}");
}

#[test]
fn usage_errors() {
    let env = Env::new();
    for args in [
        &["server", "add", "x"][..],
        &[
            "server",
            "add",
            "x",
            "--url",
            "smtp://h.example",
            "--host",
            "h.example",
        ],
        &["server", "add", "x", "--host", "h.example", "--port", "0"],
        &[
            "server",
            "add",
            "x",
            "--host",
            "h.example",
            "--security",
            "ssl",
        ],
        &[
            "server",
            "add",
            "x",
            "--host",
            "h.example",
            "--password",
            "pw",
        ],
        &[
            "server",
            "add",
            "x",
            "--host",
            "h.example",
            "--password-env",
            "A",
            "--password-cmd",
            "echo",
        ],
        &[
            "server",
            "add",
            "x",
            "--host",
            "h.example",
            "--insecure",
            "--verify",
        ],
    ] {
        env.refused_unchanged(args, 64);
    }
}

#[test]
fn bad_names_and_duplicates() {
    let env = Env::new();
    env.refused_unchanged(["server", "add", "bad name", "--host", "h.example"], 65);
    env.refused_unchanged(["server", "add", "ünï", "--host", "h.example"], 65);
    env.run(["server", "add", "main", "--host", "h.example"])
        .ok();
    let out = env.refused_unchanged(
        ["server", "add", "MAIN", "--host", "o.example", "--json"],
        65,
    );
    assert_eq!(out.json_error().0, "conflict");
}

#[test]
fn list_is_in_routing_order() {
    let env = Env::new();
    env.run([
        "server",
        "add",
        "zeta",
        "--host",
        "h.example",
        "--priority",
        "1",
    ])
    .ok();
    env.run(["server", "add", "beta", "--host", "h.example"])
        .ok();
    env.run(["server", "add", "Alpha", "--host", "h.example"])
        .ok();
    let list = env.run(["server", "list", "--json"]).ok().json();
    assert_eq!(names(&list), ["zeta", "Alpha", "beta"]);
    let human = env.run(["server", "list"]).ok().stdout;
    let (z, a, b) = (
        human.find("zeta").unwrap(),
        human.find("Alpha").unwrap(),
        human.find("beta").unwrap(),
    );
    assert!(z < a && a < b, "{human}");
}

#[test]
fn empty_list() {
    let env = Env::new();
    assert_eq!(
        env.run(["server", "list", "--json"]).ok().json(),
        Value::Array(vec![])
    );
}

#[test]
fn set_changes_only_what_is_given() {
    let env = Env::new();
    env.run([
        "server",
        "add",
        "main",
        "--host",
        "h.example",
        "--user",
        "me",
        "--from-filter",
        "example.com",
        "--priority",
        "5",
    ])
    .ok();
    let s = env
        .run(["server", "set", "main", "--priority", "7", "--json"])
        .ok()
        .json();
    assert_eq!(s["priority"], 7);
    assert_eq!(str_field(&s, "user"), "me");
    assert_eq!(str_field(&s, "from_filter"), "example.com");
    let s = env
        .run(["server", "set", "main", "--from-filter", "", "--json"])
        .ok()
        .json();
    assert_eq!(str_field(&s, "from_filter"), "");
    let s = env.run(["server", "show", "main", "--json"]).ok().json();
    assert_eq!(s["priority"], 7);
    assert_eq!(str_field(&s, "host"), "h.example");
}

#[test]
fn set_unknown_server_lists_the_valid_ones() {
    let env = Env::new();
    env.run(["server", "add", "main", "--host", "h.example"])
        .ok();
    env.run(["server", "add", "bulk", "--host", "h.example"])
        .ok();
    let out = env.refused_unchanged(["server", "set", "smtp2", "--priority", "1", "--json"], 65);
    let (kind, message) = out.json_error();
    assert_eq!(kind, "not-found");
    assert!(message.contains("no server 'smtp2'"), "{message}");
    assert!(
        message.contains("main") && message.contains("bulk"),
        "{message}"
    );
    for args in [
        &["server", "show", "smtp2"][..],
        &["server", "enable", "smtp2"],
        &["server", "disable", "smtp2"],
        &["server", "remove", "smtp2", "--yes"],
    ] {
        let out = env.refused_unchanged(args, 65);
        out.assert_stderr_contains("main");
    }
}

#[test]
fn enable_and_disable() {
    let env = Env::new();
    env.run(["server", "add", "main", "--host", "h.example", "--disabled"])
        .ok();
    assert_eq!(
        env.run(["server", "show", "main", "--json"]).ok().json()["enabled"],
        false
    );
    let s = env.run(["server", "enable", "main", "--json"]).ok().json();
    assert_eq!(s["enabled"], true);
    assert_eq!(
        env.run(["server", "list", "--json"]).ok().json()[0]["enabled"],
        true
    );
    let s = env.run(["server", "disable", "main", "--json"]).ok().json();
    assert_eq!(s["enabled"], false);
    let human = env.run(["server", "show", "main"]).ok();
    human.assert_stdout_contains("disabled");
}

#[test]
fn remove() {
    let env = Env::new();
    env.run(["server", "add", "main", "--host", "h.example"])
        .ok();
    env.refused_unchanged(["server", "remove", "main"], 64);
    let out = env
        .run(["server", "remove", "main", "--yes", "--json"])
        .ok()
        .json();
    assert_eq!(str_field(&out["removed"], "name"), "main");
    assert_eq!(
        env.run(["server", "list", "--json"]).ok().json(),
        Value::Array(vec![])
    );
}

#[test]
fn removing_the_mass_mailing_server_is_refused() {
    let env = Env::new();
    env.run(["server", "add", "bulk", "--host", "h.example"])
        .ok();
    env.run(["settings", "set", "mass-mailing-server", "bulk"])
        .ok();
    let out = env.refused_unchanged(["server", "remove", "bulk", "--yes", "--json"], 65);
    let (kind, message) = out.json_error();
    assert_eq!(kind, "conflict");
    assert!(message.contains("mass-mailing-server"), "{message}");
    env.run(["settings", "unset", "mass-mailing-server"]).ok();
    env.run(["server", "remove", "bulk", "--yes"]).ok();
}

#[test]
fn password_without_user_is_refused() {
    let env = Env::new();
    env.refused_unchanged(
        [
            "server",
            "add",
            "x",
            "--host",
            "h.example",
            "--password-env",
            "SMTP_PW",
        ],
        64,
    );
}

#[test]
fn empty_password_on_stdin_is_refused() {
    let env = Env::new();
    let before = env.dump();
    env.run([
        "server",
        "add",
        "x",
        "--host",
        "h.example",
        "--user",
        "u",
        "--password-stdin",
    ])
    .stdin("\n")
    .fails(65);
    assert_eq!(before, env.dump());
}

#[test]
fn password_sources_are_shown_as_where_they_come_from() {
    let env = Env::new();
    let s = env
        .run([
            "server",
            "add",
            "e",
            "--host",
            "h.example",
            "--user",
            "u",
            "--password-env",
            "SMTP_PASSWORD",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(str_field(&s, "password"), "env");
    assert_eq!(str_field(&s, "password_env"), "SMTP_PASSWORD");
    let s = env
        .run([
            "server",
            "add",
            "c",
            "--host",
            "h.example",
            "--user",
            "u",
            "--password-cmd",
            "pass show smtp",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(str_field(&s, "password"), "command");
    assert_eq!(str_field(&s, "password_command"), "pass show smtp");
    env.refused_unchanged(
        [
            "server",
            "add",
            "bad",
            "--host",
            "h.example",
            "--user",
            "u",
            "--password-env",
            "NOT A VAR",
        ],
        65,
    );
    let s = env
        .run(["server", "set", "e", "--no-auth", "--json"])
        .ok()
        .json();
    assert_eq!(str_field(&s, "password"), "none");
    assert_eq!(s["user"], Value::Null);
}

fn assert_no_secret(env: &Env, args: &[&str]) {
    let out = env.run(args).output();
    assert!(
        !out.stdout.contains(SECRET) && !out.stderr.contains(SECRET),
        "the password leaked\n{}",
        out.describe()
    );
}

#[test]
fn a_stored_password_is_never_printed() {
    let env = Env::new();
    let added = env
        .run([
            "server",
            "add",
            "x",
            "--host",
            "h.example",
            "--user",
            "u",
            "--password-stdin",
            "--json",
        ])
        .stdin(format!("{SECRET}\n"))
        .ok();
    assert!(!added.stdout.contains(SECRET) && !added.stderr.contains(SECRET));
    assert_eq!(str_field(&added.json(), "password"), "stored");

    env.run(["settings", "set", "mass-mailing-server", "x"])
        .ok();
    env.run(["domain", "add", "example.com"]).ok();
    for args in [
        &["server", "show", "x"][..],
        &["server", "show", "x", "--json"],
        &["server", "list"],
        &["server", "list", "--json"],
        &["server", "disable", "x"],
        &["server", "enable", "x", "--json"],
        &["server", "set", "x", "--priority", "3"],
        &["server", "set", "x", "--priority", "4", "--json"],
        &["route", "a@example.com"],
        &["route", "a@example.com", "--json"],
        &["route", "a@example.com", "--server", "x", "--json"],
        &["route", "a@example.com", "--mass"],
        &["local-parts", "--json"],
        &["settings", "show", "--json"],
        &["domain", "list", "--json"],
        // Refusals mention the server too.
        &["server", "add", "x", "--host", "h.example"],
        &["server", "remove", "x", "--yes", "--json"],
        &["server", "set", "x", "--from-filter", "a@@b"],
    ] {
        assert_no_secret(&env, args);
    }
    // The stream form as well.
    let out = env
        .run(["route", "--stdin", "--json"])
        .stdin("a@example.com\nnobody\n")
        .output();
    assert!(!out.stdout.contains(SECRET) && !out.stderr.contains(SECRET));

    // Replacing it with another stored one.
    let out = env
        .run(["server", "set", "x", "--password-stdin", "--json"])
        .stdin("another-Secret-42\r\n")
        .ok();
    assert!(!out.stdout.contains("another-Secret-42"));
    let shown = env.run(["server", "show", "x", "--json"]).ok();
    assert!(!shown.stdout.contains("another-Secret-42"));
    assert_eq!(str_field(&shown.json(), "password"), "stored");
}
