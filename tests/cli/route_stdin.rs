//! `mailroute route --stdin`: one sender a line in, one decision a line out.

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use crate::support::{assert_decision_shape, str_field, Env};

fn env() -> Env {
    let env = Env::new();
    env.worked_example();
    env
}

#[test]
fn ndjson_in_input_order() {
    let env = env();
    let input = "specific_user@test.mycompany.com\n\"Name\" <x@test.mycompany.com>\ntest@unknown_domain.com\n";
    let out = env.run(["route", "--stdin", "--json"]).stdin(input).ok();
    let lines = out.ndjson();
    assert_eq!(lines.len(), 3, "{}", out.describe());
    for line in &lines {
        assert_decision_shape(line);
    }
    let servers: Vec<&str> = lines.iter().map(|d| str_field(d, "server")).collect();
    assert_eq!(servers, ["user", "dom", "notif"]);
    // The same decisions as one at a time.
    for (line, from) in lines.iter().zip(input.lines()) {
        let single = env.route(from, &[]);
        assert_eq!(line["header_from"], single["header_from"]);
        assert_eq!(line["envelope_from"], single["envelope_from"]);
        assert_eq!(line["reply_to"], single["reply_to"]);
        assert_eq!(line["rule"], single["rule"]);
    }
}

#[test]
fn a_bad_line_gives_an_error_object_and_processing_continues() {
    let env = env();
    let out = env
        .run(["route", "--stdin", "--json"])
        .stdin("a@test.mycompany.com\nnobody\nb@test.mycompany.com\n")
        .fails(65);
    let lines = out.ndjson();
    assert_eq!(lines.len(), 3, "{}", out.describe());
    assert_decision_shape(&lines[0]);
    assert_decision_shape(&lines[2]);
    let error = &lines[1];
    assert_eq!(error["line"], 2, "{error:#}");
    assert!(error["error"].is_object(), "{error:#}");
    assert_eq!(str_field(&error["error"], "kind"), "bad-input");
    assert!(!str_field(&error["error"], "message").is_empty());
    assert_eq!(str_field(&lines[2], "header_from"), "b@test.mycompany.com");
}

#[test]
fn exit_zero_when_every_line_routes() {
    let env = env();
    let out = env
        .run(["route", "--stdin", "--json"])
        .stdin("a@test.mycompany.com\nb@test.mycompany.com\n")
        .ok();
    assert_eq!(out.ndjson().len(), 2);
}

#[test]
fn empty_input_is_empty_output() {
    let env = env();
    let out = env.run(["route", "--stdin", "--json"]).stdin("").ok();
    assert_eq!(out.stdout, "");
}

#[test]
fn the_last_line_needs_no_newline_and_crlf_is_accepted() {
    let env = env();
    let out = env
        .run(["route", "--stdin", "--json"])
        .stdin("specific_user@test.mycompany.com\r\n\"Name\" <x@test.mycompany.com>\r\ntest@unknown_domain.com")
        .ok();
    let lines = out.ndjson();
    assert_eq!(lines.len(), 3, "{}", out.describe());
    assert_eq!(str_field(&lines[0], "server"), "user");
    assert_eq!(
        str_field(&lines[0], "header_from"),
        "specific_user@test.mycompany.com",
        "no \\r left in the sender"
    );
    assert_eq!(
        str_field(&lines[1], "header_from"),
        "\"Name\" <x@test.mycompany.com>"
    );
    assert_eq!(str_field(&lines[2], "server"), "notif");
}

#[test]
fn an_invalid_utf8_line_is_an_error_line() {
    let env = env();
    let mut input = b"a@test.mycompany.com\n".to_vec();
    input.extend_from_slice(b"\xff\xfe@test.mycompany.com\n");
    input.extend_from_slice(b"b@test.mycompany.com\n");
    let out = env
        .run(["route", "--stdin", "--json"])
        .stdin(input)
        .fails(65);
    let lines = out.ndjson();
    assert_eq!(lines.len(), 3, "{}", out.describe());
    assert_eq!(lines[1]["line"], 2);
    assert!(lines[1]["error"].is_object());
    assert_decision_shape(&lines[2]);
    out.assert_no_panic();
}

#[test]
fn tsv_without_json() {
    let env = env();
    let out = env
        .run(["route", "--stdin"])
        .stdin("specific_user@test.mycompany.com\ntest@unknown_domain.com\n")
        .ok();
    let rows: Vec<Vec<&str>> = out
        .stdout
        .lines()
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(rows.len(), 2, "{}", out.describe());
    assert!(rows.iter().all(|r| r.len() >= 5), "{rows:?}");
    assert!(rows[0].contains(&"user"), "{rows:?}");
    assert!(rows[1].contains(&"notif"), "{rows:?}");
    assert!(
        rows[1].contains(&"notifications.test@test.mycompany.com"),
        "the envelope is a column: {rows:?}"
    );
    assert!(serde_json::from_str::<Value>(out.stdout.lines().next().unwrap()).is_err());
}

#[test]
fn tsv_error_lines_keep_their_place() {
    let env = env();
    let out = env
        .run(["route", "--stdin"])
        .stdin("a@test.mycompany.com\nnobody\nb@test.mycompany.com\n")
        .fails(65);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.describe());
    assert!(lines[0].starts_with("a@test.mycompany.com\t"));
    assert!(lines[1].starts_with("nobody\t"), "{lines:?}");
    assert!(lines[2].starts_with("b@test.mycompany.com\t"));
    assert!(!out.stderr.is_empty(), "a summary of failures on stderr");
}

#[test]
fn options_apply_to_every_line() {
    let env = env();
    let out = env
        .run(["route", "--stdin", "--json", "--server", "any"])
        .stdin("a@test.mycompany.com\nb@x.example\n")
        .ok();
    for d in out.ndjson() {
        assert_eq!(str_field(&d, "server"), "any");
        assert_eq!(str_field(&d, "rule"), "forced");
    }
    // A forced server that is disabled: a configuration error (78), whatever the lines.
    env.run(["server", "disable", "any"]).ok();
    let out = env
        .run(["route", "--stdin", "--json", "--server", "any"])
        .stdin("a@test.mycompany.com\n")
        .output();
    assert_eq!(out.code(), Some(78), "{}", out.describe());
}

#[test]
fn a_reader_that_closes_early_does_not_panic() {
    let env = env();
    for json in [false, true] {
        let mut args = vec!["route", "--stdin"];
        if json {
            args.push("--json");
        }
        let mut child = env.command(&args).stdin(Stdio::piped()).spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || {
            let line = b"\"Name\" <test@unknown_domain.com>\n";
            for _ in 0..200_000 {
                if stdin.write_all(line).is_err() {
                    break;
                }
            }
        });
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        assert!(first.contains("notif"), "{first}");
        drop(stdout);
        let output = child.wait_with_output().unwrap();
        writer.join().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "json={json}: {stderr}");
        assert!(
            output.status.code().is_some_and(|c| c != 101 && c != 70),
            "json={json}: ended with {:?}: {stderr}",
            output.status
        );
    }
}

#[test]
fn answers_each_line_before_the_next_one_arrives() {
    // A coprocess: write one line, read its answer, write the next. This only works if the
    // tool flushes when it waits for input.
    let env = env();
    let mut child = env
        .command(["route", "--stdin", "--json"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    for (from, server) in [
        ("specific_user@test.mycompany.com", "user"),
        ("test@unknown_domain.com", "notif"),
    ] {
        writeln!(stdin, "{from}").unwrap();
        stdin.flush().unwrap();
        // Generous: this guards against a hang, it does not measure speed.
        let answer = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("an answer before more input or end of input");
        let d: Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(str_field(&d, "server"), server);
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}
