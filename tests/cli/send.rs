//! `mailroute send` against a real SMTP server: what is delivered is what `route` promised.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;

use crate::smtp_support::{SmtpOptions, SmtpServer};
use crate::support::Env;

/// An alias domain example.com and one server accepting only example.com senders.
fn setup(server: &SmtpServer) -> Env {
    let env = crate::smtp_support::env_sending_to(server);
    env.run(["company", "add", "Acme"]).ok();
    env
}

/// The value of a header in a raw message (first occurrence, unfolded).
fn header(raw: &str, name: &str) -> Option<String> {
    let head = raw.split("\r\n\r\n").next().unwrap_or("");
    let mut found: Option<String> = None;
    for line in head.split("\r\n") {
        if let Some(value) = &mut found {
            if line.starts_with([' ', '\t']) {
                value.push(' ');
                value.push_str(line.trim());
                continue;
            }
            break;
        }
        if let Some((key, value)) = line.split_once(':') {
            if key.eq_ignore_ascii_case(name) {
                found = Some(value.trim().to_string());
            }
        }
    }
    found
}

#[test]
fn delivers_exactly_what_route_decided() {
    let server = SmtpServer::start(SmtpOptions::plain());
    let env = setup(&server);
    let from = "Bob <bob@partner.example>";
    let route = env
        .run(["route", from, "--company", "Acme", "--json"])
        .ok()
        .json();
    let out = env
        .run([
            "send",
            "--to",
            "carol@example.org",
            "--from",
            from,
            "--company",
            "Acme",
            "--subject",
            "Invoice 42",
            "--body",
            "Hello Carol",
            "--json",
        ])
        .ok();
    let sent = out.json();
    for key in [
        "server",
        "rule",
        "header_from",
        "envelope_from",
        "reply_to",
        "rewritten",
    ] {
        assert_eq!(sent[key], route[key], "{key}");
    }
    assert_eq!(
        sent["recipients"]["accepted"],
        serde_json::json!(["carol@example.org"])
    );
    assert!(sent["reply"].as_str().unwrap().starts_with("250"));

    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert_eq!(message.mail_from, route["envelope_from"].as_str().unwrap());
    assert_eq!(message.mail_from, "bounce@example.com");
    assert_eq!(message.rcpt_tos, ["carol@example.org"]);
    assert_eq!(
        header(&message.raw, "From").as_deref(),
        Some("\"Bob\" <notifications@example.com>")
    );
    assert_eq!(
        header(&message.raw, "Reply-To").as_deref(),
        Some("\"Acme\" <catchall@example.com>")
    );
    assert_eq!(
        header(&message.raw, "Subject").as_deref(),
        Some("Invoice 42")
    );
    assert!(header(&message.raw, "Date").is_some());
    let message_id = header(&message.raw, "Message-ID").expect("Message-ID");
    assert_eq!(
        message_id.trim_matches(['<', '>']),
        sent["message_id"].as_str().unwrap()
    );
    assert!(
        message_id.ends_with("@example.com>"),
        "Message-ID on the sending domain: {message_id}"
    );
    assert!(message.raw.contains("Hello Carol"));
}

#[test]
fn bcc_recipients_get_the_message_but_never_appear_in_it() {
    let server = SmtpServer::start(SmtpOptions::plain());
    let env = setup(&server);
    env.run([
        "send",
        "--to",
        "a@example.org",
        "--cc",
        "b@example.org",
        "--bcc",
        "hidden@example.org",
        "--from",
        "alice@example.com",
        "--body",
        "x",
    ])
    .ok();
    let message = &server.messages()[0];
    assert_eq!(
        message.rcpt_tos,
        ["a@example.org", "b@example.org", "hidden@example.org"]
    );
    assert!(
        !message.raw.contains("hidden@example.org"),
        "{}",
        message.raw
    );
    assert!(header(&message.raw, "Bcc").is_none());
    assert_eq!(header(&message.raw, "Cc").as_deref(), Some("b@example.org"));
}

#[test]
fn attachments_arrive_intact() {
    let server = SmtpServer::start(SmtpOptions::plain());
    let env = setup(&server);
    let content: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    let path = env.dir().join("data.bin");
    std::fs::write(&path, &content).unwrap();
    let html = env.dir().join("body.html");
    std::fs::write(&html, "<p>Hello</p>").unwrap();
    env.run([
        "send",
        "--to",
        "a@example.org",
        "--from",
        "alice@example.com",
        "--body",
        "text part",
        "--html-file",
        html.to_str().unwrap(),
        "--attach",
        path.to_str().unwrap(),
    ])
    .ok();
    let raw = &server.messages()[0].raw;
    assert!(raw.contains("multipart/mixed"), "{raw}");
    assert!(raw.contains("multipart/alternative"));
    // The attachment part: its headers name the file, its body is base64 up to the boundary.
    let at = raw
        .find("filename=\"data.bin\"")
        .expect("the attachment part");
    let body_start = raw[at..].find("\r\n\r\n").unwrap() + at + 4;
    let body_end = raw[body_start..].find("\r\n--").unwrap() + body_start;
    let encoded: String = raw[body_start..body_end].split_whitespace().collect();
    assert_eq!(BASE64.decode(encoded).unwrap(), content);
}

#[test]
fn raw_messages_pass_through_with_from_rewritten_and_bcc_removed() {
    let server = SmtpServer::start(SmtpOptions::plain());
    let env = setup(&server);
    let input = "From: Bob <bob@partner.example>\r\nTo: carol@example.org\r\nBcc: hidden@example.org,\r\n  other@example.org\r\nSubject: cron output\r\nX-Custom: kept as is\r\n\r\nline one\r\n.leading dot\r\nlast line\r\n";
    let out = env.run(["send", "--raw", "--json"]).stdin(input).ok();
    let sent = out.json();
    assert_eq!(sent["rewritten"], true);
    let message = &server.messages()[0];
    assert_eq!(message.mail_from, "bounce@example.com");
    assert_eq!(
        message.rcpt_tos,
        [
            "carol@example.org",
            "hidden@example.org",
            "other@example.org"
        ]
    );
    assert_eq!(
        header(&message.raw, "From").as_deref(),
        Some("\"Bob\" <notifications@example.com>")
    );
    assert!(!message.raw.contains("hidden@example.org") && header(&message.raw, "Bcc").is_none());
    assert!(message.raw.contains("To: carol@example.org\r\n"));
    assert!(message.raw.contains("X-Custom: kept as is\r\n"));
    assert!(
        message
            .raw
            .ends_with("\r\n\r\nline one\r\n.leading dot\r\nlast line\r\n"),
        "{:?}",
        message.raw
    );
}

#[test]
fn bad_input_is_refused_before_any_connection() {
    let server = SmtpServer::start(SmtpOptions::plain());
    let env = setup(&server);
    let cases: Vec<Vec<&str>> = vec![
        vec![
            "send",
            "--to",
            "a@example.org",
            "--from",
            "alice@example.com",
            "--subject",
            "Hi\r\nBcc: evil@example.org",
            "--body",
            "x",
        ],
        vec![
            "send",
            "--to",
            "not an address",
            "--from",
            "alice@example.com",
            "--body",
            "x",
        ],
        vec!["send", "--from", "alice@example.com", "--body", "x"],
        vec![
            "send",
            "--to",
            "a@example.org",
            "--from",
            "alice@example.com",
            "--body-file",
            "/nonexistent/file",
        ],
        vec![
            "send",
            "--to",
            "a@example.org",
            "--from",
            "alice@example.com",
            "--body",
            "x",
            "--attach",
            "/nonexistent/file",
        ],
    ];
    for args in cases {
        let out = env.run(args.clone()).fails(65);
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
    assert_eq!(server.sessions(), 0, "a refused input must not connect");
    assert!(server.messages().is_empty());
}

#[test]
fn dry_run_prints_the_message_and_sends_nothing() {
    let server = SmtpServer::start(SmtpOptions::plain());
    let env = setup(&server);
    let out = env
        .run([
            "send",
            "--to",
            "a@example.org",
            "--from",
            "bob@partner.example",
            "--subject",
            "S",
            "--body",
            "B",
            "--dry-run",
        ])
        .ok();
    out.assert_stdout_contains("From: \"bob\" <notifications@example.com>");
    out.assert_stdout_contains("bounce@example.com");
    assert_eq!(server.sessions(), 0);
}

#[test]
fn one_refused_recipient_does_not_stop_the_others() {
    let server = SmtpServer::start(SmtpOptions::plain().reject_rcpt("nobody@example.org", 550));
    let env = setup(&server);
    let out = env
        .run([
            "send",
            "--to",
            "a@example.org",
            "nobody@example.org",
            "b@example.org",
            "--from",
            "alice@example.com",
            "--body",
            "x",
            "--json",
        ])
        .fails(69);
    let sent = out.json();
    assert_eq!(
        sent["recipients"]["accepted"],
        serde_json::json!(["a@example.org", "b@example.org"])
    );
    assert_eq!(
        sent["recipients"]["refused"][0]["address"],
        "nobody@example.org"
    );
    assert!(sent["recipients"]["refused"][0]["reply"]
        .as_str()
        .unwrap()
        .starts_with("550"));
    assert_eq!(
        server.messages()[0].rcpt_tos,
        ["a@example.org", "b@example.org"]
    );
}

#[test]
fn send_failures_use_the_connection_test_exit_codes() {
    for (reject, code) in [("mail:550", 69), ("mail:451", 75), ("data-end:554", 69)] {
        let server = SmtpServer::start(SmtpOptions::plain().reject(reject));
        let env = setup(&server);
        let out = env
            .run([
                "send",
                "--to",
                "a@example.org",
                "--from",
                "alice@example.com",
                "--body",
                "x",
                "--json",
            ])
            .fails(code);
        let (kind, _) = out.json_error();
        assert_eq!(
            kind,
            if code == 69 { "permanent" } else { "temporary" },
            "{reject}"
        );
        assert!(server.messages().is_empty());
    }
}
