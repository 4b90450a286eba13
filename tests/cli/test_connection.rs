//! `mailroute test-connection` against real SMTP servers (aiosmtpd, started by the tests):
//! every stage reported, failures classified by stage into the exit codes of cli.md, secrets
//! never shown, and no message ever delivered.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde_json::Value;

use crate::certs::Certs;
use crate::smtp_support::{closed_port, SmtpOptions, SmtpServer};
use crate::support::Env;

const PASSWORD: &str = "s3cr3t-Pa55word";

/// A store with one server `name` pointing at 127.0.0.1:`port`, plus `extra` flags.
fn env_with_server(name: &str, port: u16, extra: &[&str]) -> Env {
    let env = Env::new();
    let port = port.to_string();
    let mut args = vec![
        "server",
        "add",
        name,
        "--host",
        "127.0.0.1",
        "--port",
        &port,
        "--from-filter",
        "example.com",
    ];
    args.extend_from_slice(extra);
    env.run(args).ok();
    env
}

/// The error of a failed test, from the result on stdout.
fn failure(out: &crate::support::Output) -> (String, String) {
    let result = out.json();
    assert_eq!(result["ok"], false, "{}", out.describe());
    (
        result["error"]["kind"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        result["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

fn stages(result: &Value) -> Vec<(String, bool)> {
    result["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| {
            (
                s["stage"].as_str().unwrap().to_string(),
                s["ok"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn stage_names(result: &Value) -> Vec<String> {
    stages(result).into_iter().map(|(s, _)| s).collect()
}

#[test]
fn plain_server_passes_every_stage_and_receives_no_message() {
    let server = SmtpServer::start(SmtpOptions::plain());
    let env = env_with_server("local", server.port(), &[]);
    let out = env.run(["test-connection", "local", "--json"]).ok();
    let result = out.json();
    assert_eq!(result["server"], "local");
    assert_eq!(result["ok"], true);
    assert_eq!(
        stage_names(&result),
        ["resolve", "connect", "greeting", "ehlo", "mail", "rcpt", "rset", "quit"]
    );
    assert!(stages(&result).iter().all(|(_, ok)| *ok));
    for stage in result["stages"].as_array().unwrap() {
        assert!(stage["ms"].is_u64());
        assert!(stage.get("reply").is_some());
    }
    // routing.md §6: no --from, a domain filter and no alias domain: noreply@ that domain.
    assert_eq!(result["from"], "noreply@example.com");
    let commands = server.session_commands(1);
    assert!(
        commands
            .iter()
            .any(|c| c == "MAIL FROM:<noreply@example.com>"),
        "{commands:?}"
    );
    assert!(commands.iter().any(|c| c == "RSET"));
    assert!(server.messages().is_empty(), "a test delivered a message");
}

#[test]
fn test_sender_comes_from_the_alias_domain_named_in_the_filter() {
    let server = SmtpServer::start(SmtpOptions::plain());
    let env = env_with_server("local", server.port(), &[]);
    env.run(["domain", "add", "example.com", "--default-from", "robot"])
        .ok();
    let result = env.run(["test-connection", "local", "--json"]).ok().json();
    assert_eq!(result["from"], "robot@example.com");
    assert_eq!(result["to"], "robot@example.com");
    let result = env
        .run([
            "test-connection",
            "local",
            "--json",
            "--from",
            "a@example.com",
            "--to",
            "b@example.org",
        ])
        .ok()
        .json();
    assert_eq!(
        (result["from"].as_str(), result["to"].as_str()),
        (Some("a@example.com"), Some("b@example.org"))
    );
    assert!(server
        .commands()
        .iter()
        .any(|c| c.ends_with("RCPT TO:<b@example.org>")));
}

#[test]
fn data_stage_gets_354_and_hangs_up_without_delivering() {
    let server = SmtpServer::start(SmtpOptions::plain());
    let env = env_with_server("local", server.port(), &[]);
    let result = env
        .run(["test-connection", "local", "--data", "--json"])
        .ok()
        .json();
    assert_eq!(
        stage_names(&result).last().map(String::as_str),
        Some("data")
    );
    assert!(
        result["stages"].as_array().unwrap().last().unwrap()["reply"]
            .as_str()
            .unwrap()
            .starts_with("354")
    );
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(server.messages().is_empty(), "--data delivered a message");
}

#[test]
fn starttls_with_a_trusted_ca_reports_the_certificate() {
    let certs = Certs::generate();
    let server = SmtpServer::start(SmtpOptions::starttls(&certs));
    let ca = certs.ca_pem();
    let env = env_with_server(
        "tls",
        server.port(),
        &["--security", "starttls", "--ca-file", ca.to_str().unwrap()],
    );
    let out = env
        .run(["test-connection", "tls", "--json", "--transcript"])
        .ok();
    let result = out.json();
    assert_eq!(result["ok"], true, "{}", out.describe());
    let names = stage_names(&result);
    assert!(names.contains(&"starttls".to_string()));
    assert_eq!(
        names.iter().filter(|n| *n == "ehlo").count(),
        2,
        "EHLO again after STARTTLS"
    );
    let tls = &result["tls"];
    assert!(tls["protocol"].as_str().unwrap().starts_with("TLS"));
    assert!(tls["subject_alt_names"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == "IP:127.0.0.1"));
    assert!(tls["expires_in_days"].as_i64().unwrap() >= 28);
    let transcript: Vec<&str> = result["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(transcript.contains(&"-> STARTTLS"));
    assert!(
        transcript.iter().any(|l| l.starts_with("~> MAIL FROM:")),
        "{transcript:?}"
    );
}

#[test]
fn implicit_tls_works_and_tls_to_a_plain_port_is_a_protocol_error() {
    let certs = Certs::generate();
    let ca = certs.ca_pem();
    let ca = ca.to_str().unwrap();
    let tls = SmtpServer::start(SmtpOptions::tls(&certs));
    let env = env_with_server("tls", tls.port(), &["--security", "tls", "--ca-file", ca]);
    let result = env.run(["test-connection", "tls", "--json"]).ok().json();
    assert_eq!(stage_names(&result)[..3], ["resolve", "connect", "tls"]);

    let plain = SmtpServer::start(SmtpOptions::plain());
    let env = env_with_server(
        "wrong",
        plain.port(),
        &["--security", "tls", "--timeout", "3"],
    );
    let (kind, message) = failure(&env.run(["test-connection", "wrong", "--json"]).fails(76));
    assert_eq!(kind, "tls");
    assert!(message.contains("may expect plain SMTP"), "{message}");
}

#[test]
fn untrusted_and_wrong_host_certificates_are_refused_unless_insecure() {
    let certs = Certs::generate();
    let self_signed = SmtpServer::start(SmtpOptions::starttls(&certs).cert(certs.self_signed()));
    let ca = certs.ca_pem();
    let ca = ca.to_str().unwrap();
    let env = env_with_server(
        "selfsigned",
        self_signed.port(),
        &["--security", "starttls", "--ca-file", ca],
    );
    let (kind, message) = failure(
        &env.run(["test-connection", "selfsigned", "--json"])
            .fails(76),
    );
    assert_eq!(kind, "tls");
    assert!(message.contains("not trusted"), "{message}");

    let wrong_host = SmtpServer::start(SmtpOptions::starttls(&certs).cert(certs.wrong_host()));
    let env = env_with_server(
        "wronghost",
        wrong_host.port(),
        &["--security", "starttls", "--ca-file", ca],
    );
    let (kind, message) = failure(
        &env.run(["test-connection", "wronghost", "--json"])
            .fails(76),
    );
    assert_eq!(kind, "tls");
    assert!(message.contains("not valid for the host name"), "{message}");

    // Explicitly insecure: it connects, and says so on every use.
    let env = env_with_server(
        "insecure",
        self_signed.port(),
        &["--security", "starttls", "--insecure"],
    );
    let out = env.run(["test-connection", "insecure"]).ok();
    out.assert_stderr_contains("certificate verification is off");
}

#[test]
fn starttls_required_but_not_offered_never_falls_back_to_plain_text() {
    let server = SmtpServer::start(SmtpOptions::plain());
    let env = env_with_server(
        "st",
        server.port(),
        &[
            "--security",
            "starttls",
            "--user",
            "u",
            "--password-env",
            "PW",
        ],
    );
    let out = env
        .run(["test-connection", "st", "--json"])
        .env("PW", PASSWORD)
        .fails(76);
    let (kind, message) = failure(&out);
    assert_eq!(kind, "starttls-not-offered");
    assert!(message.contains("does not offer STARTTLS"), "{message}");
    assert!(!server
        .commands()
        .iter()
        .any(|c| c.contains("AUTH") || c.contains("MAIL")));
}

fn assert_no_secret(text: &str) {
    let forms = [
        PASSWORD.to_string(),
        BASE64.encode(PASSWORD),
        BASE64.encode(format!("\0alice\0{PASSWORD}")),
    ];
    for form in forms {
        assert!(
            !text.contains(&form),
            "a secret form {form:?} leaked into:\n{text}"
        );
    }
}

#[test]
fn auth_succeeds_over_starttls_and_the_secret_never_appears() {
    let certs = Certs::generate();
    let server = SmtpServer::start(SmtpOptions::starttls(&certs).auth("alice", PASSWORD));
    let ca = certs.ca_pem();
    let env = Env::new();
    let port = server.port().to_string();
    env.run([
        "server",
        "add",
        "auth",
        "--host",
        "127.0.0.1",
        "--port",
        &port,
        "--security",
        "starttls",
        "--ca-file",
        ca.to_str().unwrap(),
        "--user",
        "alice",
        "--password-stdin",
        "--from-filter",
        "example.com",
    ])
    .stdin(format!("{PASSWORD}\n"))
    .ok();
    for mechanism in ["plain", "login"] {
        env.run(["server", "set", "auth", "--auth", mechanism]).ok();
        for args in [
            vec!["test-connection", "auth", "--transcript"],
            vec!["test-connection", "auth", "--transcript", "--json"],
        ] {
            let out = env.run(args).ok();
            assert_no_secret(&out.stdout);
            assert_no_secret(&out.stderr);
            assert!(out.stdout.contains("<redacted>"), "{}", out.stdout);
        }
    }
    assert!(server
        .commands()
        .iter()
        .any(|c| c.ends_with("AUTH PLAIN <auth data>")));

    // A wrong password: AUTH refused, exit 77.
    env.run(["server", "set", "auth", "--password-stdin"])
        .stdin("wrong\n")
        .ok();
    let (kind, _) = failure(&env.run(["test-connection", "auth", "--json"]).fails(77));
    assert_eq!(kind, "auth");
}

#[test]
fn auth_over_plain_text_is_refused_unless_the_record_allows_it() {
    let server = SmtpServer::start(
        SmtpOptions::plain()
            .auth("alice", PASSWORD)
            .allow_plaintext_auth(),
    );
    let env = env_with_server(
        "plain",
        server.port(),
        &["--user", "alice", "--password-env", "PW"],
    );
    let (kind, _) = failure(
        &env.run(["test-connection", "plain", "--json"])
            .env("PW", PASSWORD)
            .fails(78),
    );
    assert_eq!(kind, "config");
    assert!(!server.commands().iter().any(|c| c.contains("AUTH")));
    env.run(["server", "set", "plain", "--allow-plaintext-auth"])
        .ok();
    let out = env
        .run(["test-connection", "plain", "--transcript"])
        .env("PW", PASSWORD)
        .ok();
    assert_no_secret(&out.stdout);
    // Port 25 with authentication gets the warning (the test server is elsewhere).
    env.run([
        "server",
        "add",
        "p25",
        "--host",
        "127.0.0.1",
        "--port",
        "25",
        "--user",
        "u",
        "--password-env",
        "PW",
        "--from-filter",
        "example.com",
        "--timeout",
        "2",
    ])
    .ok();
    let out = env
        .run(["test-connection", "p25"])
        .env("PW", PASSWORD)
        .output();
    out.assert_stderr_contains("port 25");
}

#[test]
fn failures_are_classified_by_stage_into_exit_codes() {
    struct Case {
        options: SmtpOptions,
        args: &'static [&'static str],
        code: i32,
        kind: &'static str,
        stage: &'static str,
    }
    let cases = [
        Case {
            options: SmtpOptions::plain().greeting(421),
            args: &[],
            code: 75,
            kind: "temporary",
            stage: "greeting",
        },
        Case {
            options: SmtpOptions::plain().reject("mail:451"),
            args: &[],
            code: 75,
            kind: "temporary",
            stage: "mail",
        },
        Case {
            options: SmtpOptions::plain().reject("mail:550"),
            args: &[],
            code: 69,
            kind: "permanent",
            stage: "mail",
        },
        Case {
            options: SmtpOptions::plain().reject("rcpt:450"),
            args: &[],
            code: 75,
            kind: "temporary",
            stage: "rcpt",
        },
        Case {
            options: SmtpOptions::plain().reject("rcpt:550"),
            args: &[],
            code: 69,
            kind: "permanent",
            stage: "rcpt",
        },
        Case {
            options: SmtpOptions::plain().reject("data:554"),
            args: &["--data"],
            code: 69,
            kind: "permanent",
            stage: "data",
        },
        Case {
            options: SmtpOptions::plain().reject("data:451"),
            args: &["--data"],
            code: 75,
            kind: "temporary",
            stage: "data",
        },
        Case {
            options: SmtpOptions::plain().drop_at("mail"),
            args: &[],
            code: 75,
            kind: "connection-lost",
            stage: "mail",
        },
        Case {
            options: SmtpOptions::plain().hang(),
            args: &["--timeout", "1"],
            code: 75,
            kind: "timeout",
            stage: "greeting",
        },
    ];
    for case in cases {
        let server = SmtpServer::start(case.options);
        let env = env_with_server("s", server.port(), &[]);
        let mut args = vec!["test-connection", "s", "--json"];
        args.extend_from_slice(case.args);
        let out = env.run(args).fails(case.code);
        let result = out.json();
        assert_eq!(result["ok"], false);
        assert_eq!(result["error"]["kind"], case.kind, "{}", out.describe());
        assert_eq!(result["error"]["stage"], case.stage, "{}", out.describe());
        let last = result["stages"].as_array().unwrap().last().unwrap();
        assert_eq!(
            (last["stage"].as_str(), last["ok"].as_bool()),
            (Some(case.stage), Some(false))
        );
    }
}

#[test]
fn refused_connection_and_unknown_host() {
    let env = env_with_server("closed", closed_port(), &[]);
    let (kind, _) = failure(&env.run(["test-connection", "closed", "--json"]).fails(69));
    assert_eq!(kind, "connection-refused");
    env.run([
        "server",
        "add",
        "nohost",
        "--host",
        "no-such-host.invalid",
        "--from-filter",
        "example.com",
        "--timeout",
        "5",
    ])
    .ok();
    let (kind, _) = failure(&env.run(["test-connection", "nohost", "--json"]).fails(68));
    assert_eq!(kind, "unknown-host");
}

#[test]
fn several_servers_are_tested_at_once_and_the_worst_result_wins() {
    let good = SmtpServer::start(SmtpOptions::plain());
    let slow = SmtpServer::start(SmtpOptions::plain().hang());
    let env = env_with_server("good", good.port(), &[]);
    env.run([
        "server",
        "add",
        "slow",
        "--host",
        "127.0.0.1",
        "--port",
        &slow.port().to_string(),
        "--from-filter",
        "example.com",
        "--timeout",
        "2",
    ])
    .ok();
    env.run([
        "server",
        "add",
        "closed",
        "--host",
        "127.0.0.1",
        "--port",
        &closed_port().to_string(),
        "--from-filter",
        "example.com",
    ])
    .ok();
    let out = env.run(["test-connection", "--all", "--json"]).fails(75);
    let results = out.json();
    let results = results.as_array().expect("an array for several servers");
    let summary: Vec<(&str, bool)> = results
        .iter()
        .map(|r| (r["server"].as_str().unwrap(), r["ok"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        summary,
        [("closed", false), ("good", true), ("slow", false)]
    );
    // Human output ends with a summary table.
    let out = env.run(["test-connection"]).fails(75);
    out.assert_stdout_contains("SERVER");
}

#[test]
fn the_fallback_server_is_tested_when_no_server_is_enabled() {
    let server = SmtpServer::start(SmtpOptions::plain());
    let env = Env::new();
    env.run([
        "settings",
        "set",
        "fallback-server",
        &format!("smtp://127.0.0.1:{}", server.port()),
    ])
    .ok();
    env.run(["settings", "set", "email-from", "robot@example.com"])
        .ok();
    let result = env.run(["test-connection", "--json"]).ok().json();
    assert_eq!(result["server"], Value::Null);
    assert_eq!(result["ok"], true);
    assert_eq!(result["from"], "robot@example.com");
}

#[test]
fn xoauth2_takes_its_token_from_a_command_and_never_shows_it() {
    let certs = Certs::generate();
    let token = "ya29.token-from-the-identity-provider";
    let server = SmtpServer::start(
        SmtpOptions::starttls(&certs)
            .arg("--xoauth2")
            .arg(&format!("alice:{token}")),
    );
    let ca = certs.ca_pem();
    let env = env_with_server(
        "gmail",
        server.port(),
        &[
            "--security",
            "starttls",
            "--ca-file",
            ca.to_str().unwrap(),
            "--user",
            "alice",
            "--auth",
            "xoauth2",
            "--password-cmd",
            &format!("printf '%s\\n' '{token}'"),
        ],
    );
    // The command itself is a reference, not a secret; what it prints is.
    let out = env
        .run(["test-connection", "gmail", "--transcript", "--json"])
        .ok();
    let result = out.json();
    assert_eq!(result["ok"], true, "{}", out.describe());
    let payload = BASE64.encode(format!("user=alice\x01auth=Bearer {token}\x01\x01"));
    let transcript = result["transcript"].to_string();
    assert!(
        !transcript.contains(token) && !transcript.contains(&payload),
        "{transcript}"
    );
    assert!(transcript.contains("AUTH XOAUTH2 <redacted>"));
    assert!(!out.stderr.contains(token));

    // A wrong token is an AUTH refusal.
    env.run([
        "server",
        "set",
        "gmail",
        "--password-cmd",
        "echo wrong-token",
    ])
    .ok();
    let (kind, _) = failure(&env.run(["test-connection", "gmail", "--json"]).fails(77));
    assert_eq!(kind, "auth");
}

#[test]
fn a_client_certificate_is_presented_when_the_record_names_one() {
    let certs = Certs::generate();
    let ca = certs.ca_pem();
    let ca = ca.to_str().unwrap();
    let server = SmtpServer::start(SmtpOptions::tls(&certs).arg("--client-ca").arg(ca));
    let env = env_with_server(
        "mtls",
        server.port(),
        &["--security", "tls", "--ca-file", ca],
    );
    // Without a client certificate the server ends the handshake.
    let out = env.run(["test-connection", "mtls", "--json"]).output();
    assert_ne!(out.code(), Some(0), "{}", out.describe());
    assert_eq!(out.json()["ok"], false);

    let client = certs.client();
    env.run([
        "server",
        "set",
        "mtls",
        "--client-cert",
        client.cert.to_str().unwrap(),
        "--client-key",
        client.key.to_str().unwrap(),
    ])
    .ok();
    let out = env.run(["test-connection", "mtls", "--json"]).ok();
    assert_eq!(out.json()["ok"], true);
    // The key's content is never shown, only where it is.
    let key = std::fs::read_to_string(&client.key).unwrap();
    let body: String = key.lines().filter(|l| !l.starts_with("-----")).collect();
    let shown = env.run(["server", "show", "mtls", "--json"]).ok();
    assert!(!shown.stdout.contains(&body[..20]));
    assert_eq!(
        shown.json()["client_key"],
        client.key.canonicalize().unwrap().to_str().unwrap()
    );
}
