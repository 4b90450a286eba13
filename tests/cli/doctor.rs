//! `mailroute doctor`: every finding, produced by a configuration built with real `mailroute`
//! commands and absent from a clean one; the exit status contract (0, 1 with --strict, 78); and
//! `--connect` against a real test SMTP server.

use serde_json::Value;

use crate::smtp_support::{closed_port, SmtpOptions, SmtpServer};
use crate::support::Env;

/// A configuration doctor has nothing to say about: one alias domain, a company using it, a
/// submission server for the domain (password from the environment), and an enabled bulk
/// server named as mass-mailing-server. The bulk server sits behind `main` with the same
/// filter: normal routing never picks it, which is fine because `--mass` forces it.
fn clean() -> Env {
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    env.run(["company", "add", "Acme"]).ok();
    env.run([
        "server",
        "add",
        "main",
        "--host",
        "mail.example.com",
        "--port",
        "587",
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
        "bulk",
        "--host",
        "bulk.example.com",
        "--port",
        "465",
        "--security",
        "tls",
        "--from-filter",
        "example.com",
        "--priority",
        "20",
    ])
    .ok();
    env.run(["settings", "set", "mass-mailing-server", "bulk"])
        .ok();
    env
}

fn doctor_json(env: &Env, extra: &[&str]) -> (Value, Option<i32>) {
    let mut args = vec!["doctor", "--json"];
    args.extend_from_slice(extra);
    let out = env.run(args).output();
    out.assert_no_panic();
    (out.json(), out.code())
}

fn codes(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .map(|f| f["code"].as_str().expect("code").to_string())
        .collect()
}

fn findings_with<'a>(report: &'a Value, code: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}

fn server(env: &Env, args: &[&str]) {
    let mut all = vec!["server", "add"];
    all.extend_from_slice(args);
    env.run(all).ok();
}

/// How to turn the clean configuration (or an empty store) into one with the finding.
enum Setup {
    /// Commands run on the clean configuration.
    OnClean(fn(&Env)),
    /// Commands run on an empty store.
    OnEmpty(fn(&Env)),
}

const CASES: &[(&str, &str, Setup)] = &[
    (
        "shadowed-server",
        "warning",
        Setup::OnClean(|env| {
            server(
                env,
                &[
                    "backup",
                    "--host",
                    "b.example.com",
                    "--from-filter",
                    "example.com",
                    "--priority",
                    "15",
                ],
            )
        }),
    ),
    (
        "same-priority-overlap",
        "warning",
        // Same priority as main (10) and example.com in common; other.example is its own, so
        // it is not shadowed.
        Setup::OnClean(|env| {
            server(
                env,
                &[
                    "twin",
                    "--host",
                    "t.example.com",
                    "--from-filter",
                    "example.com, other.example",
                ],
            )
        }),
    ),
    (
        "notification-not-accepted",
        "warning",
        // Unique-sender mode with an address outside every filter; the bounce stays accepted.
        Setup::OnClean(|env| {
            env.run([
                "domain",
                "set",
                "example.com",
                "--default-from",
                "info@elsewhere.example",
                "--yes",
            ])
            .ok();
        }),
    ),
    (
        "bounce-not-accepted",
        "warning",
        // Its notification address is accepted (example.com), its bounce@other.example is not.
        Setup::OnClean(|env| {
            env.run([
                "domain",
                "add",
                "other.example",
                "--default-from",
                "news@example.com",
                "--priority",
                "20",
            ])
            .ok();
        }),
    ),
    (
        "mass-mailing-server-missing",
        "error",
        // The CLI refuses to name an unknown server and to remove the mass-mailing server, so
        // such a store comes from elsewhere (another version, an edited file): write it directly.
        Setup::OnClean(|env| {
            let conn = rusqlite::Connection::open(env.db()).expect("open the store");
            conn.execute(
                "UPDATE setting SET value = 'gone' WHERE key = 'mass-mailing-server'",
                [],
            )
            .expect("update the setting");
        }),
    ),
    (
        "mass-mailing-server-disabled",
        "error",
        Setup::OnClean(|env| {
            env.run(["server", "disable", "bulk"]).ok();
        }),
    ),
    (
        "port-security-mismatch",
        "error",
        // 465 without implicit TLS.
        Setup::OnClean(|env| {
            env.run([
                "server",
                "set",
                "bulk",
                "--port",
                "465",
                "--security",
                "starttls",
            ])
            .ok();
        }),
    ),
    (
        "port-security-mismatch",
        "error",
        // 587 with implicit TLS.
        Setup::OnClean(|env| {
            env.run([
                "server",
                "set",
                "main",
                "--port",
                "587",
                "--security",
                "tls",
            ])
            .ok();
        }),
    ),
    (
        "auth-on-port-25",
        "warning",
        Setup::OnClean(|env| {
            env.run([
                "server",
                "set",
                "main",
                "--port",
                "25",
                "--security",
                "none",
            ])
            .ok();
        }),
    ),
    (
        "stored-password",
        "warning",
        Setup::OnClean(|env| {
            env.run(["server", "set", "main", "--user", "me", "--password-stdin"])
                .stdin("pw\n")
                .ok();
        }),
    ),
    (
        "insecure-tls",
        "warning",
        Setup::OnClean(|env| {
            env.run(["server", "set", "main", "--insecure"]).ok();
        }),
    ),
    (
        "no-notification-address",
        "error",
        Setup::OnEmpty(|env| {
            server(env, &["any", "--host", "mail.example.com"]);
        }),
    ),
    (
        "company-without-domain",
        "warning",
        Setup::OnClean(|env| {
            env.run(["company", "add", "Beta"]).ok();
            env.run(["company", "set", "Beta", "--no-domain"]).ok();
        }),
    ),
    (
        "disabled-server",
        "info",
        Setup::OnClean(|env| {
            server(
                env,
                &[
                    "spare",
                    "--host",
                    "spare.example.com",
                    "--from-filter",
                    "spare.example",
                    "--disabled",
                ],
            );
        }),
    ),
];

#[test]
fn doctor_clean_configuration_has_no_findings_and_exits_0() {
    let env = clean();
    let (report, code) = doctor_json(&env, &["--strict"]);
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(codes(&report), Vec::<String>::new(), "{report:#}");
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 0);
    assert!(report.get("connections").is_none(), "{report:#}");
    let out = env.run(["doctor"]).ok();
    out.assert_stdout_contains("No problems found.");
}

#[test]
fn doctor_reports_every_finding_of_its_configuration() {
    let clean_codes = codes(&doctor_json(&clean(), &[]).0);
    for (code, severity, setup) in CASES {
        assert!(
            !clean_codes.iter().any(|c| c == code),
            "{code} in the clean configuration"
        );
        let env = match setup {
            Setup::OnClean(build) => {
                let env = clean();
                build(&env);
                env
            }
            Setup::OnEmpty(build) => {
                let env = Env::new();
                build(&env);
                env
            }
        };
        let (report, exit) = doctor_json(&env, &[]);
        let found = findings_with(&report, code);
        assert!(!found.is_empty(), "{code} not reported:\n{report:#}");
        for f in &found {
            assert_eq!(f["severity"], *severity, "{f:#}");
            assert!(!f["objects"].as_array().unwrap().is_empty(), "{f:#}");
            assert!(!f["message"].as_str().unwrap().is_empty(), "{f:#}");
            assert!(f["fix"].as_str().unwrap().contains("mailroute"), "{f:#}");
        }
        let expected_exit = if report["errors"].as_u64().unwrap() > 0 {
            78
        } else {
            0
        };
        assert_eq!(exit, Some(expected_exit), "{code}:\n{report:#}");
        if *severity == "error" {
            assert_eq!(exit, Some(78), "{code}");
        }
    }
}

#[test]
fn doctor_shadowing_names_the_earlier_server_and_follows_routing_lookup_order() {
    let env = clean();
    server(
        &env,
        &[
            "backup",
            "--host",
            "b.example.com",
            "--from-filter",
            "example.com",
            "--priority",
            "15",
        ],
    );
    // An address part is looked up through all servers before any domain part: main's domain
    // filter does not shadow it, so `vip` is chosen for vip@example.com.
    server(
        &env,
        &[
            "vip",
            "--host",
            "v.example.com",
            "--from-filter",
            "vip@example.com",
            "--priority",
            "30",
        ],
    );
    // One part of its own (partly.example) is enough to be chosen.
    server(
        &env,
        &[
            "partly",
            "--host",
            "p.example.com",
            "--from-filter",
            "example.com, partly.example",
            "--priority",
            "30",
        ],
    );
    // No filter, behind another unfiltered server: never chosen.
    server(
        &env,
        &["any1", "--host", "a1.example.com", "--priority", "40"],
    );
    server(
        &env,
        &["any2", "--host", "a2.example.com", "--priority", "50"],
    );
    // A disabled server shadows nothing.
    server(
        &env,
        &[
            "off",
            "--host",
            "o.example.com",
            "--from-filter",
            "vip@example.com",
            "--priority",
            "1",
            "--disabled",
        ],
    );
    let (report, _) = doctor_json(&env, &[]);
    let shadowed: Vec<(String, Vec<String>)> = findings_with(&report, "shadowed-server")
        .iter()
        .map(|f| {
            (
                f["objects"][0].as_str().unwrap().to_string(),
                f["objects"].as_array().unwrap()[1..]
                    .iter()
                    .map(|o| o.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        shadowed,
        vec![
            ("server backup".to_string(), vec!["server main".to_string()]),
            ("server any2".to_string(), vec!["server any1".to_string()]),
        ],
        "{report:#}"
    );
    // What routing does agrees.
    assert_eq!(env.route("vip@example.com", &[])["server"], "vip");
    assert_eq!(env.route("x@partly.example", &[])["server"], "partly");
}

#[test]
fn doctor_exit_status_for_warnings_depends_on_strict() {
    let env = clean();
    env.run(["server", "set", "main", "--insecure"]).ok();
    let out = env.run(["doctor"]).ok();
    out.assert_stdout_contains("insecure-tls");
    out.assert_stdout_contains("0 errors, 1 warning");
    out.assert_stdout_contains("fix: ");
    let out = env.run(["doctor", "--strict", "--json"]).fails(1);
    let report = out.json();
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 1);
}

#[test]
fn doctor_errors_exit_78_with_or_without_strict() {
    let env = clean();
    env.run(["server", "disable", "bulk"]).ok();
    env.run(["doctor"]).fails(78);
    let out = env.run(["doctor", "--json", "--strict"]).fails(78);
    let report = out.json();
    assert_eq!(report["errors"], 1, "{report:#}");
    let found = findings_with(&report, "mass-mailing-server-disabled");
    assert_eq!(
        found[0]["objects"],
        serde_json::json!(["setting mass-mailing-server", "server bulk"])
    );
}

#[test]
fn doctor_connect_tests_every_enabled_server() {
    let smtp = SmtpServer::start(SmtpOptions::plain());
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    let good = smtp.port().to_string();
    let bad = closed_port().to_string();
    server(
        &env,
        &[
            "good",
            "--host",
            "127.0.0.1",
            "--port",
            &good,
            "--from-filter",
            "example.com",
        ],
    );
    server(
        &env,
        &[
            "bad",
            "--host",
            "127.0.0.1",
            "--port",
            &bad,
            "--from-filter",
            "bad.example",
        ],
    );
    server(
        &env,
        &[
            "off",
            "--host",
            "127.0.0.1",
            "--port",
            &bad,
            "--from-filter",
            "off.example",
            "--disabled",
        ],
    );

    // Without --connect nothing is contacted and the configuration is fine.
    let (report, code) = doctor_json(&env, &[]);
    assert_eq!(code, Some(0), "{report:#}");
    assert!(report.get("connections").is_none());

    let out = env.run(["doctor", "--connect", "--json"]).fails(78);
    let report = out.json();
    let connections = report["connections"].as_array().expect("connections");
    let tested: Vec<(&str, bool)> = connections
        .iter()
        .map(|c| (c["server"].as_str().unwrap(), c["ok"].as_bool().unwrap()))
        .collect();
    assert_eq!(tested, vec![("bad", false), ("good", true)], "{report:#}");
    let failed = findings_with(&report, "connection-failed");
    assert_eq!(failed.len(), 1, "{report:#}");
    assert_eq!(failed[0]["severity"], "error");
    assert_eq!(failed[0]["objects"], serde_json::json!(["server bad"]));
    assert_eq!(report["errors"], 1);

    // Human output: the connection table, then the finding.
    let out = env.run(["doctor", "--connect"]).fails(78);
    out.assert_stdout_contains("connection-failed");
    out.assert_stdout_contains("good");

    // Once the broken server is disabled, the rest connects: exit 0.
    env.run(["server", "disable", "bad"]).ok();
    let (report, code) = doctor_json(&env, &["--connect", "--strict"]);
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(report["connections"].as_array().unwrap().len(), 1);
}
