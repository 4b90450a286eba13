//! A decision as one line of JSON, written by hand for `route --stdin --json`.
//!
//! serde_json is used for every other JSON output, and produces the same text for a decision
//! (a test below holds the two together). This writer exists because bulk routing must reach a
//! million decisions a second on one core: serde's generic map machinery escapes every key and
//! constant, and spent more time than the routing itself. Here constants are copied as they are
//! and only values that come from users are escaped.

use std::fmt::Write as _;

use std::sync::OnceLock;

use super::{Decision, Outcome, StepName};

/// `{"step":"…","outcome":"…"` for every pair, built once: most of a trace is these constants.
fn step_prefix(step: StepName, outcome: Outcome) -> &'static [u8] {
    static TABLE: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = Vec::with_capacity(StepName::ALL.len() * Outcome::ALL.len());
        for step in StepName::ALL {
            for outcome in Outcome::ALL {
                table.push(
                    format!(
                        r#"{{"step":"{}","outcome":"{}""#,
                        step.as_str(),
                        outcome.as_str()
                    )
                    .into_bytes(),
                );
            }
        }
        table
    });
    &table[step as usize * Outcome::ALL.len() + outcome as usize]
}

/// The index of the first byte JSON must escape (a quote, a backslash or a control), eight
/// bytes at a time: most values have none, and this scan was the hottest loop of bulk routing.
fn first_to_escape(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        // Bytes below 0x20 (with the high bit clear), or equal to '"' or '\\'.
        let controls = x.wrapping_sub(ONES * 0x20) & !x & HIGHS;
        let quotes = has_zero(x ^ (ONES * u64::from(b'"')));
        let backslashes = has_zero(x ^ (ONES * u64::from(b'\\')));
        if controls | quotes | backslashes != 0 {
            if let Some(i) = chunk
                .iter()
                .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
            {
                return Some(offset + i);
            }
        }
        offset += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .map(|i| offset + i)
}

/// Appends `text` as a JSON string, escaping as serde_json does (quote, backslash, controls).
fn string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    let bytes = text.as_bytes();
    let Some(first) = first_to_escape(bytes) else {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    };
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate().skip(first) {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(b >> 4) as usize]);
            out.push(HEX[(b & 0xf) as usize]);
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

fn optional(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => string(out, text),
        None => out.extend_from_slice(b"null"),
    }
}

/// Appends the decision as one compact JSON object (no newline). `scratch` is reused for the
/// sentences of the trace and warnings.
pub fn write_decision(
    decision: &Decision<'_>,
    details: bool,
    out: &mut Vec<u8>,
    scratch: &mut String,
) {
    out.extend_from_slice(b"{\"from\":");
    optional(out, decision.from);
    out.extend_from_slice(b",\"server\":");
    optional(out, decision.server);
    out.extend_from_slice(b",\"fallback_url\":");
    optional(out, decision.fallback_url);
    out.extend_from_slice(b",\"rule\":\"");
    out.extend_from_slice(decision.rule.as_str().as_bytes());
    out.extend_from_slice(b"\",\"alias_domain\":");
    optional(out, decision.alias_domain);
    out.extend_from_slice(b",\"company\":");
    optional(out, decision.company);
    out.extend_from_slice(b",\"sent_as\":\"");
    out.extend_from_slice(decision.sent_as.as_str().as_bytes());
    out.extend_from_slice(b"\",\"header_from\":");
    string(out, &decision.header_from);
    out.extend_from_slice(b",\"envelope_from\":");
    string(out, &decision.envelope_from);
    out.extend_from_slice(b",\"reply_to\":");
    string(out, &decision.reply_to);
    out.extend_from_slice(if decision.rewritten {
        b",\"rewritten\":true,\"trace\":["
    } else {
        b",\"rewritten\":false,\"trace\":["
    });
    for (i, step) in decision.trace.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(step_prefix(step.step, step.outcome));
        if let Some(server) = step.server {
            out.extend_from_slice(b",\"server\":");
            string(out, server);
        }
        if details {
            scratch.clear();
            let _ = write!(scratch, "{}", step.detail);
            out.extend_from_slice(b",\"detail\":");
            string(out, scratch);
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"warnings\":[");
    for (i, warning) in decision.warnings.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        scratch.clear();
        let _ = write!(scratch, "{warning}");
        string(out, scratch);
    }
    out.extend_from_slice(b"]}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_serde_json_at_every_position() {
        for special in ["\"", "\\", "\n", "\u{1}", "\u{1f}", "\u{7f}", "é", " "] {
            for at in 0..20 {
                let text = format!("{}{special}{}", "a".repeat(at), "b".repeat(20 - at));
                let mut ours = Vec::new();
                string(&mut ours, &text);
                assert_eq!(
                    String::from_utf8(ours).unwrap(),
                    serde_json::to_string(&text).unwrap()
                );
            }
        }
    }
    use crate::address::FromFilter;
    use crate::model::{AliasDomain, Company, Settings};
    use crate::routing::{decide, Request, RouteServer, Snapshot};

    #[test]
    fn writes_exactly_what_serde_json_writes() {
        let snapshot = Snapshot::new(
            vec![AliasDomain {
                id: 1,
                name: "example.com".into(),
                bounce: Some("bounce".into()),
                catchall: Some("catchall".into()),
                default_from: Some("notifications".into()),
                priority: 1,
            }],
            vec![Company {
                id: 1,
                name: "A \"quoted\"\tco".into(),
                alias_domain_id: Some(1),
            }],
            vec![
                RouteServer {
                    name: "main".into(),
                    priority: 0,
                    enabled: true,
                    from_filter: FromFilter::parse("example.com").unwrap(),
                    unreachable: None,
                },
                RouteServer {
                    name: "off".into(),
                    priority: 1,
                    enabled: false,
                    from_filter: FromFilter::parse("other.org").unwrap(),
                    unreachable: None,
                },
            ],
            &Settings::default(),
        )
        .unwrap();
        let senders = [
            "a@example.com",
            "\"Back\\\\slash \\\"q\\\"\" <x@other.org>",
            "Ünïcödé <u@ÉXAMPLE.com>",
            "a@x.org, b@y.org",
            "ctl\u{1}name <c@z.org>",
            "\"Long name with a quote \\\" after eight bytes\" <long.local.part@z.org>",
            "\"x\u{1f}\u{7f}é\" <a@b.org>",
        ];
        let mut scratch = String::new();
        for from in senders {
            for company in [None, Some("a \"quoted\"\tco")] {
                let Ok(decision) = decide(
                    &snapshot,
                    &Request {
                        from: Some(from),
                        company,
                        ..Request::default()
                    },
                ) else {
                    continue;
                };
                for details in [false, true] {
                    let mut ours = Vec::new();
                    write_decision(&decision, details, &mut ours, &mut scratch);
                    let theirs = serde_json::to_vec(&decision.json(details)).unwrap();
                    assert_eq!(
                        String::from_utf8(ours).unwrap(),
                        String::from_utf8(theirs).unwrap(),
                        "for {from}"
                    );
                }
            }
        }
    }
}
