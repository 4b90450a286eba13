//! `mailroute export` and `mailroute import`: round trips compared by routing 1,000 senders,
//! dry runs, merge and replace, refused files, secrets, Odoo configuration files and msmtprc.

use serde_json::Value;

use crate::support::{names, Env};

const SECRET: &str = "hunter2-never-exported";

/// A store with every kind of object and every setting: two domains sharing a name (one in
/// unique-sender mode), a domain with empty aliases, companies on each and one without, servers
/// with every security mode, every password source, address and domain filters, no filter,
/// a disabled one, timeouts, AUTH mechanism, CA and client certificate files.
fn full_store(env: &Env) {
    let pem = env.dir().join("ca.pem");
    std::fs::write(&pem, "not really a certificate\n").unwrap();
    let pem = pem.to_str().unwrap().to_string();
    for args in [
        &["domain", "add", "example.com"][..],
        &[
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
            "20",
        ],
        &[
            "domain",
            "add",
            "other.example",
            "--bounce",
            "",
            "--catchall",
            "",
            "--default-from",
            "robot",
            "--priority",
            "5",
        ],
        &["company", "add", "Acme"],
        &["company", "add", "Beta", "--domain", "#2"],
        &["company", "add", "Gamma", "--domain", "other.example"],
        &["company", "add", "Delta"],
        &["company", "set", "Delta", "--no-domain"],
        &[
            "server",
            "add",
            "main",
            "--url",
            "smtp://me@mail.example.com:587?tls=required",
            "--password-cmd",
            "pass show smtp/main",
            "--from-filter",
            "example.com, boss@other.example",
        ],
        &[
            "server",
            "add",
            "news",
            "--url",
            "smtps://news.example.com",
            "--user",
            "news",
            "--password-env",
            "NEWS_PASSWORD",
            "--from-filter",
            "news@example.com",
            "--priority",
            "3",
            "--auth",
            "login",
            "--timeout",
            "12",
            "--ca-file",
            &pem,
        ],
        &[
            "server",
            "add",
            "relay",
            "--host",
            "127.0.0.1",
            "--port",
            "2525",
            "--security",
            "none",
            "--priority",
            "30",
            "--user",
            "relay",
            "--password-cmd",
            "cat /run/relay",
            "--allow-plaintext-auth",
        ],
        &[
            "server",
            "add",
            "old",
            "--host",
            "old.example",
            "--from-filter",
            "other.example",
            "--priority",
            "1",
            "--disabled",
            "--insecure",
            "--security",
            "starttls",
            "--client-cert",
            &pem,
            "--client-key",
            &pem,
        ],
        &["settings", "set", "email-from", "Robot <robot@example.com>"],
        &[
            "settings",
            "set",
            "fallback-server",
            "smtp://fallback.example:2525",
        ],
        &["settings", "set", "fallback-from-filter", "example.com"],
        &["settings", "set", "mass-mailing-server", "news"],
    ] {
        env.run(args).ok();
    }
    env.run([
        "server",
        "add",
        "bulk",
        "--url",
        "smtps://bulk@bulk.example.com",
        "--password-stdin",
        "--priority",
        "5",
        "--from-filter",
        "bulk.example.com",
    ])
    .stdin(format!("{SECRET}\n"))
    .ok();
}

/// 1,000 senders, the same every run: known and unknown addresses and domains, with and
/// without display names, odd case.
fn senders() -> String {
    let locals = [
        "alice",
        "news",
        "boss",
        "notifications",
        "bounce",
        "info",
        "robot",
        "x.y",
        "Bob",
    ];
    let domains = [
        "example.com",
        "EXAMPLE.com",
        "other.example",
        "bulk.example.com",
        "unknown.test",
        "sub.example.com",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % n
    };
    let mut out = String::new();
    for i in 0..1000 {
        let address = format!(
            "{}@{}",
            locals[next(locals.len())],
            domains[next(domains.len())]
        );
        let line = match next(3) {
            0 => address,
            1 => format!("Person {i} <{address}>"),
            _ => format!("\"Last, First\" <{address}>"),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The decisions for every sender in several contexts, one `route --stdin` process each.
fn routes(env: &Env, input: &str) -> Vec<Vec<Value>> {
    [
        &[][..],
        &["--company", "Beta"],
        &["--company", "Delta"],
        &["--company", "Gamma"],
        &["--mass"],
    ]
    .iter()
    .map(|extra| {
        let mut args = vec!["route", "--stdin", "--json"];
        args.extend_from_slice(extra);
        let decisions = env.run(args).stdin(input).ok().ndjson();
        assert_eq!(decisions.len(), 1000);
        decisions
    })
    .collect()
}

/// `server list --json` without ids, to compare two stores.
fn servers_without_ids(env: &Env) -> Value {
    let mut list = env.run(["server", "list", "--json"]).ok().json();
    for server in list.as_array_mut().unwrap() {
        server.as_object_mut().unwrap().remove("id");
    }
    list
}

#[test]
fn export_then_import_into_an_empty_store_routes_1000_senders_the_same() {
    let source = Env::new();
    full_store(&source);
    let input = senders();
    let before = routes(&source, &input);
    let toml_out = source.run(["export"]).ok();
    toml_out.assert_stderr_contains("stored password of server 'bulk' is not exported");
    let json_out = source.run(["export", "--format", "json"]).ok();
    let json_file: Value = json_out.json();
    assert_eq!(json_file["version"], 1);

    for (text, name) in [
        (&toml_out.stdout, "config.toml"),
        (&json_out.stdout, "config.json"),
    ] {
        let target = Env::new();
        let path = target.dir().join(name);
        std::fs::write(&path, text).unwrap();
        target.run(["import", path.to_str().unwrap()]).ok();
        assert_eq!(
            routes(&target, &input),
            before,
            "routes differ after importing {name}"
        );
        // The same objects, field by field, but the stored password (never exported).
        let mut expected = servers_without_ids(&source);
        for s in expected.as_array_mut().unwrap() {
            if s["name"] == "bulk" {
                s["password"] = "none".into();
            }
        }
        assert_eq!(servers_without_ids(&target), expected, "{name}");
        for what in [
            ["domain", "list"],
            ["company", "list"],
            ["settings", "show"],
        ] {
            let strip = |mut v: Value| {
                for item in v.as_array_mut().unwrap() {
                    let o = item.as_object_mut().unwrap();
                    o.remove("id");
                    o.remove("alias_domain_id");
                }
                v
            };
            let list = |env: &Env| strip(env.run([what[0], what[1], "--json"]).ok().json());
            assert_eq!(list(&target), list(&source), "{name}: {what:?}");
        }
        // Importing the same file again changes nothing.
        let again = target
            .run(["import", path.to_str().unwrap(), "--replace", "--json"])
            .ok()
            .json();
        assert_eq!(again["add"], Value::Array(vec![]));
        assert_eq!(again["change"], Value::Array(vec![]));
        assert_eq!(again["remove"], Value::Array(vec![]));
    }
}

#[test]
fn no_secret_is_ever_exported() {
    let env = Env::new();
    full_store(&env);
    for args in [
        &["export"][..],
        &["export", "--format", "json"],
        &["export", "--json"],
        &["export", "--msmtprc"],
    ] {
        let out = env.run(args).ok();
        assert!(
            !out.stdout.contains(SECRET) && !out.stderr.contains(SECRET),
            "{}",
            out.describe()
        );
    }
    let file = env.dir().join("out.toml");
    env.run(["export", "--output", file.to_str().unwrap()])
        .ok()
        .assert_stdout_contains("out.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains(SECRET));
    // References are exported: they are not secrets.
    assert!(
        text.contains("password_cmd = \"pass show smtp/main\""),
        "{text}"
    );
    assert!(text.contains("password_env = \"NEWS_PASSWORD\""), "{text}");
}

fn write(env: &Env, name: &str, text: &str) -> String {
    let path = env.dir().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

const SMALL: &str = r#"
version = 1

[settings]
email-from = "noreply@example.com"

[[domain]]
name = "example.com"
priority = 10

[[company]]
name = "Acme"
domain = "example.com"

[[server]]
name = "main"
host = "mail.example.com"
port = 587
security = "starttls"
user = "me"
from_filter = "example.com"
priority = 5
"#;

#[test]
fn dry_run_prints_the_plan_and_writes_nothing() {
    let env = Env::new();
    env.run(["domain", "add", "old.example"]).ok();
    env.run([
        "server",
        "add",
        "main",
        "--host",
        "mail.example.com",
        "--priority",
        "10",
    ])
    .ok();
    let file = write(&env, "c.toml", SMALL);
    let before = env.dump();
    let out = env.run(["import", &file, "--dry-run", "--replace"]).ok();
    assert_eq!(env.dump(), before, "a dry run changed the store");
    for line in [
        "+ domain example.com",
        "+ company Acme",
        "+ setting email-from = noreply@example.com",
        "~ server main: port 25 -> 587, security none -> starttls, user (none) -> me, from_filter \"\" -> example.com, priority 10 -> 5",
        "- domain old.example",
        "nothing was written",
    ] {
        out.assert_stdout_contains(line);
    }
    let plan = env
        .run(["import", &file, "--dry-run", "--replace", "--json"])
        .ok()
        .json();
    assert_eq!(env.dump(), before);
    assert_eq!(plan["dry_run"], true);
    let items = |key: &str| -> Vec<String> {
        plan[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                format!(
                    "{} {}",
                    i["kind"].as_str().unwrap(),
                    i["name"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        items("add"),
        ["domain example.com", "company Acme", "setting email-from"]
    );
    assert_eq!(items("change"), ["server main"]);
    assert_eq!(items("remove"), ["domain old.example"]);
    let change = &plan["change"][0]["changes"];
    assert!(change
        .as_array()
        .unwrap()
        .contains(&serde_json::json!({"field": "priority", "old": 10, "new": 5})));
}

#[test]
fn merge_keeps_what_the_file_omits_and_replace_removes_it_after_confirmation() {
    let env = Env::new();
    env.run(["domain", "add", "old.example"]).ok();
    env.run(["server", "add", "extra", "--host", "extra.example"])
        .ok();
    env.run([
        "server",
        "add",
        "main",
        "--host",
        "x.example",
        "--user",
        "me",
        "--password-stdin",
    ])
    .stdin(format!("{SECRET}\n"))
    .ok();
    let file = write(&env, "c.toml", SMALL);

    // Merge: adds and changes, removes nothing, keeps main's stored password.
    env.run(["import", &file]).ok();
    assert_eq!(
        names(&env.run(["server", "list", "--json"]).ok().json()),
        ["main", "extra"]
    );
    let main = env.run(["server", "show", "main", "--json"]).ok().json();
    assert_eq!(main["password"], "stored");
    assert_eq!(main["priority"], 5);
    assert_eq!(main["host"], "mail.example.com");
    assert_eq!(
        names(&env.run(["domain", "list", "--json"]).ok().json()),
        ["example.com", "old.example"]
    );

    // Replace: removing needs --yes when nobody can be asked; refused, nothing changes.
    let out = env.refused_unchanged(["import", &file, "--replace"], 64);
    out.assert_stderr_contains("--yes");
    out.assert_stderr_contains("remove server extra");
    env.run(["import", &file, "--replace", "--yes"])
        .ok()
        .assert_stdout_contains("- server extra");
    assert_eq!(
        names(&env.run(["server", "list", "--json"]).ok().json()),
        ["main"]
    );
    assert_eq!(
        names(&env.run(["domain", "list", "--json"]).ok().json()),
        ["example.com"]
    );
    let main = env.run(["server", "show", "main", "--json"]).ok().json();
    assert_eq!(
        main["password"], "stored",
        "a stored password the file does not mention is kept"
    );
}

#[test]
fn a_bad_file_is_refused_with_65_and_changes_nothing() {
    let env = Env::new();
    full_store(&env);
    let good = env.run(["export"]).ok().stdout;
    let cases: Vec<(String, &str)> = vec![
        (
            good.replacen(
                "from_filter = \"news@example.com\"",
                "from_filter = \"news@@example.com\"",
                1,
            ),
            "server[",
        ),
        (
            good.replacen(
                "name = \"other.example\"",
                "name = \"provaïder.example\"",
                1,
            ),
            "domain[1] \"provaïder.example\": the domain name",
        ),
        (
            good.replacen("host = \"old.example\"", "host = \"old example\"", 1),
            "\"old\": invalid host",
        ),
        (
            good.replacen("security = \"none\"", "security = \"ssl\"", 1),
            "\"relay\": security",
        ),
        (
            good.replacen(
                "domain = \"other.example\"",
                "domain = \"nowhere.example\"",
                1,
            ),
            "company[1] \"Acme\": no alias domain 'nowhere.example'",
        ),
        (
            good.replacen(
                "fallback-server = \"smtp://fallback.example:2525\"",
                "fallback-server = \"smtp://u:pw@fallback.example\"",
                1,
            ),
            "settings fallback-server",
        ),
        (
            good.replacen(
                "mass-mailing-server = \"news\"",
                "mass-mailing-server = \"ghost\"",
                1,
            ),
            "no server 'ghost'",
        ),
        (
            good.replacen("version = 1", "version = 2", 1),
            "version = 2",
        ),
        (
            good.replacen("[settings]", "[settings]\ncolour = \"blue\"", 1),
            "colour",
        ),
        (
            format!("{good}\n[[server]]\nname = \"main\"\nhost = \"again.example\"\n"),
            "another server in the file",
        ),
        (
            "version = 1\n[[server]]\nname = \"x\"\nhost = \"h\"\npassword_env = \"A\"\n".into(),
            "needs a user",
        ),
        ("this is not toml".into(), "c.toml"),
    ];
    for (text, expected) in cases {
        let file = write(&env, "c.toml", &text);
        let out = env.refused_unchanged(["import", &file, "--replace", "--yes"], 65);
        out.assert_stderr_contains(expected);
        out.assert_stdout_empty();
    }
    let file = write(
        &env,
        "c.json",
        "{\"version\": 1, \"server\": [{\"name\": \"bad name\", \"host\": \"h\"}]}",
    );
    env.refused_unchanged(["import", &file], 65)
        .assert_stderr_contains("server[1] \"bad name\": invalid server name");
}

#[test]
fn odoo_conf_becomes_the_fallback_server_and_settings_field_by_field() {
    let env = Env::new();
    let conf = write(
        &env,
        "odoo.conf",
        "[options]\n\
         ; a comment\n\
         admin_passwd = admin\n\
         db_host = False\n\
         smtp_server = Mail.Example.COM\n\
         smtp_port = 2587\n\
         smtp_ssl = True\n\
         smtp_user = odoo@example.com\n\
         smtp_password = hunter2-odoo\n\
         email_from = Odoo <odoo@example.com>\n\
         from_filter = example.com, other.example\n\
         \n\
         [other]\nsmtp_server = ignored.example\n",
    );
    let out = env.run(["import", "--odoo-conf", &conf]).ok();
    out.assert_stderr_contains("smtp_password is not imported");
    assert!(!out.stdout.contains("hunter2-odoo") && !out.stderr.contains("hunter2-odoo"));
    let settings = env.run(["settings", "show", "--json"]).ok().json();
    let value = |key: &str| {
        settings
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == key)
            .unwrap()["value"]
            .clone()
    };
    // smtp_ssl = True is STARTTLS, as Odoo does; the user is in the URL, the password never.
    assert_eq!(
        value("fallback-server"),
        "smtp://odoo%40example.com@mail.example.com:2587?tls=required"
    );
    assert_eq!(value("email-from"), "Odoo <odoo@example.com>");
    assert_eq!(value("fallback-from-filter"), "example.com, other.example");
    assert_eq!(value("mass-mailing-server"), Value::Null);

    // False unsets; an absent option is left alone in a merge; ssl is implicit TLS; the
    // default host is localhost.
    let conf = write(
        &env,
        "odoo2.conf",
        "[options]\nsmtp_ssl = ssl\nsmtp_port = 465\nemail_from = False\n",
    );
    env.run(["import", "--odoo-conf", &conf]).ok();
    let settings = env.run(["settings", "show", "--json"]).ok().json();
    let value = |key: &str| {
        settings
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == key)
            .unwrap()["value"]
            .clone()
    };
    assert_eq!(value("fallback-server"), "smtps://localhost:465");
    assert_eq!(value("email-from"), Value::Null);
    assert_eq!(value("fallback-from-filter"), "example.com, other.example");

    // Refused: not an Odoo file, a bad port, a bad filter; nothing changes.
    for (text, expected) in [
        ("smtp_server = x\n", "no [options] section"),
        ("[options]\nsmtp_port = many\n", "smtp_port"),
        ("[options]\nfrom_filter = a@@b\n", "fallback-from-filter"),
    ] {
        let conf = write(&env, "bad.conf", text);
        env.refused_unchanged(["import", "--odoo-conf", &conf], 65)
            .assert_stderr_contains(expected);
    }
}

/// The accounts of an msmtprc: name (with its `: parent`) and its `key value` lines.
fn accounts(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut accounts: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line.split_once(' ').unwrap_or((line, ""));
        if key == "account" {
            accounts.push((value.to_string(), Vec::new()));
        } else if key == "defaults" {
            accounts.push(("defaults".into(), Vec::new()));
        } else {
            accounts
                .last_mut()
                .expect("a setting before any account")
                .1
                .push((key.to_string(), value.to_string()));
        }
    }
    accounts
}

#[test]
fn msmtprc_has_one_account_per_enabled_server_field_by_field() {
    let env = Env::new();
    full_store(&env);
    let out = env.run(["export", "--msmtprc"]).ok();
    let accounts = accounts(&out.stdout);
    let get = |name: &str| -> Vec<(&str, &str)> {
        accounts
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no account {name}\n{}", out.stdout))
            .1
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    };
    // Routing order: news (3), bulk (5), main (10), relay (30); old is disabled.
    let order: Vec<&str> = accounts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        order,
        [
            "defaults",
            "news",
            "bulk",
            "main",
            "main-2 : main",
            "relay",
            "default : news"
        ]
    );
    assert!(out.stdout.contains("# server 'old' is disabled"));
    assert_eq!(get("defaults"), [("tls_trust_file", "system")]);
    let ca = env.dir().join("ca.pem").canonicalize().unwrap();
    assert_eq!(
        get("news"),
        [
            ("host", "news.example.com"),
            ("port", "465"),
            ("tls", "on"),
            ("tls_starttls", "off"),
            ("tls_trust_file", ca.to_str().unwrap()),
            ("auth", "login"),
            ("user", "news"),
            ("passwordeval", "printenv NEWS_PASSWORD"),
            ("timeout", "12"),
            ("from", "news@example.com"),
        ]
    );
    assert_eq!(
        get("bulk"),
        [
            ("host", "bulk.example.com"),
            ("port", "465"),
            ("tls", "on"),
            ("tls_starttls", "off"),
            ("auth", "on"),
            ("user", "bulk"),
            ("from", "*@bulk.example.com"),
        ]
    );
    assert!(out
        .stdout
        .contains("stored in mailroute and never exported"));
    assert_eq!(
        get("main"),
        [
            ("host", "mail.example.com"),
            ("port", "587"),
            ("tls", "on"),
            ("tls_starttls", "on"),
            ("auth", "on"),
            ("user", "me"),
            ("passwordeval", "pass show smtp/main"),
            ("from", "*@example.com"),
        ]
    );
    assert_eq!(get("main-2 : main"), [("from", "boss@other.example")]);
    assert_eq!(
        get("relay"),
        [
            ("host", "127.0.0.1"),
            ("port", "2525"),
            ("tls", "off"),
            ("tls_starttls", "off"),
            ("auth", "on"),
            ("user", "relay"),
            ("passwordeval", "cat /run/relay"),
        ]
    );
    assert!(!out.stdout.contains(SECRET));

    let file = env.dir().join("msmtprc");
    env.run(["export", "--msmtprc", "-o", file.to_str().unwrap()])
        .ok();
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "msmtp wants its configuration private");
}

/// msmtp itself, given the exported msmtprc, picks the server mailroute would pick for each
/// sender (its `--pretend` prints the account chosen by the envelope sender).
#[test]
fn msmtp_picks_the_same_server_from_the_exported_msmtprc() {
    let msmtp = std::process::Command::new("msmtp")
        .arg("--version")
        .output();
    assert!(
        msmtp.is_ok(),
        "msmtp is needed for this test: apt-get install msmtp (.ci/run installs it)"
    );
    let env = Env::new();
    env.run([
        "server",
        "add",
        "main",
        "--host",
        "mail.example.com",
        "--security",
        "starttls",
        "--user",
        "me",
        "--password-env",
        "SMTP_PASSWORD",
        "--from-filter",
        "example.com",
    ])
    .ok();
    env.run([
        "server",
        "add",
        "boss",
        "--host",
        "boss.example.net",
        "--security",
        "tls",
        "--from-filter",
        "boss@other.example, ceo@other.example",
        "--priority",
        "20",
    ])
    .ok();
    let rc = env.dir().join("msmtprc");
    env.run(["export", "--msmtprc", "--output", rc.to_str().unwrap()])
        .ok();
    for (sender, server) in [
        ("alice@example.com", "main"),
        ("boss@other.example", "boss"),
        ("ceo@other.example", "boss"),
    ] {
        let route = env.run(["route", sender, "--json"]).ok().json();
        assert_eq!(route["server"], server, "mailroute's choice for {sender}");
        let out = std::process::Command::new("msmtp")
            .args([
                "-C",
                rc.to_str().unwrap(),
                "--pretend",
                &format!("--from={sender}"),
            ])
            .env("SMTP_PASSWORD", "x")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        let chosen = text
            .lines()
            .find_map(|l| {
                l.strip_prefix(&format!(
                    "account chosen by envelope from address {sender}: "
                ))
            })
            .unwrap_or_else(|| panic!("msmtp did not choose an account for {sender}:\n{text}"));
        assert!(
            chosen == server || chosen.starts_with(&format!("{server}-")),
            "msmtp chose {chosen} for {sender}, mailroute {server}"
        );
        let host = if server == "main" {
            "mail.example.com"
        } else {
            "boss.example.net"
        };
        assert!(text.contains(&format!("host = {host}")), "{text}");
    }
}
