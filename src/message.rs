//! Outbound messages as `send` hands them to the SMTP client: building one from a [`Draft`]
//! (lettre's builder), and reading, checking and rewriting a complete RFC 5322 message given
//! on stdin (`send --raw`, what `sendmail -t` gets from cron and scripts).
//!
//! This module owns the message bytes, the envelope recipients taken from them, and the
//! header-injection check. It does no I/O: no files, no network, no clock other than the Date
//! header lettre writes. Callers read files and stdin and pass bytes in; every refusal is a
//! [`MessageError`] raised before any connection is made.

use std::collections::hash_map::RandomState;
use std::collections::HashSet;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use lettre::address::{AddressError as LettreAddressError, Envelope};
use lettre::message::header::{
    self, ContentTransferEncoding, ContentType, HeaderName, HeaderValue, Headers,
};
use lettre::message::{
    Attachment as LettreAttachment, Body, Mailbox, Mailboxes, MultiPart, SinglePart,
};
use lettre::{Address, Message};
use thiserror::Error;

/// Why a message could not be built, read or rewritten. Each message names the problem and
/// what to do about it, because it reaches the person at the terminal unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MessageError {
    #[error("the {header} contains a line break (header injection?): give it on one line")]
    LineBreakInHeader { header: String },
    #[error(
        "the {header} contains the control character U+{code:04X}: remove it (only tabs are allowed)"
    )]
    ControlCharInHeader { header: String, code: u32 },
    #[error("malformed address in {header} {value:?}: {reason}")]
    BadAddress {
        header: String,
        value: String,
        reason: String,
    },
    #[error("the {header} must hold exactly one address but holds {count}: keep one")]
    NotOneAddress { header: String, count: usize },
    #[error("no recipient: give --to (or To, Cc or Bcc headers in the message)")]
    NoRecipient,
    #[error(
        "the Message-ID domain {domain:?} is not a valid domain name: configure a domain such as example.com"
    )]
    BadMessageIdDomain { domain: String },
    #[error("an attachment has no file name: give each attachment a name such as report.pdf")]
    AttachmentWithoutName,
    #[error(
        "the content type {value:?} of attachment {filename:?} is not valid: write it as type/subtype, e.g. application/pdf"
    )]
    BadContentType { filename: String, value: String },
    #[error("the message is empty: give a complete message (headers, an empty line, the body)")]
    EmptyMessage,
    #[error("the message has no From header: add one, as From: Name <name@example.com>")]
    NoFromHeader,
    #[error("the message has {count} From headers: keep exactly one")]
    SeveralFromHeaders { count: usize },
    #[error(
        "line {line} of the message is neither a header (Name: value) nor a folded continuation: {text:?}; put an empty line between the headers and the body"
    )]
    BadHeaderLine { line: usize, text: String },
    #[error("the message could not be built: {0}")]
    Build(String),
}

/// A file to attach, already read by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The name the recipient sees. Only its last path component is used, so a local path
    /// such as `/home/me/report.pdf` does not leak into the message.
    pub filename: String,
    /// `type/subtype`; guessed from the file name's extension when `None`.
    pub content_type: Option<String>,
    pub content: Vec<u8>,
}

/// Everything `send` decided about a message to build.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Draft {
    /// The From header as routing decided it, e.g. `"Name" <notifications@example.com>`.
    pub header_from: String,
    /// One address or a comma-separated list.
    pub reply_to: Option<String>,
    /// Each entry is `Name <a@b>`, a bare `a@b`, or a comma-separated list of those.
    pub to: Vec<String>,
    pub cc: Vec<String>,
    /// Envelope recipients only: never written into the headers.
    pub bcc: Vec<String>,
    pub subject: Option<String>,
    pub text: Option<String>,
    pub html: Option<String>,
    pub attachments: Vec<Attachment>,
    /// The Message-ID is `<random@message_id_domain>` (the sending domain).
    pub message_id_domain: String,
}

/// A built message, ready for DATA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Built {
    /// The whole message, CRLF line endings, no Bcc header.
    pub bytes: Vec<u8>,
    /// Without angle brackets.
    pub message_id: String,
    /// Bare envelope addresses of To, Cc and Bcc, in that order, deduplicated, IDNA domains.
    pub recipients: Vec<String>,
}

/// A complete message read from stdin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raw {
    /// The message as given; [`rewrite_raw`] turns it into the bytes to send.
    pub bytes: Vec<u8>,
    /// The From header value as given, unfolded and trimmed.
    pub from: String,
    /// Bare addresses from To, Cc and Bcc, deduplicated, IDNA domains. May be empty: the
    /// caller then needs `--to` (see [`MessageError::NoRecipient`]).
    pub recipients: Vec<String>,
    /// The Message-ID header, without angle brackets, if the message has one.
    pub message_id: Option<String>,
}

/// A From or Reply-To value kept exactly as routing wrote it when it is printable ASCII
/// (already valid RFC 5322, nothing to encode): lettre would re-quote `"Bob" <a@b>` as
/// `Bob <a@b>`, and `send` must deliver exactly what `route` promised. Other values go
/// through lettre's RFC 2047 encoding.
fn verbatim(name: &'static str, value: &str) -> Option<HeaderValue> {
    let printable =
        !value.is_empty() && value.len() <= 900 && value.bytes().all(|b| (0x20..0x7f).contains(&b));
    printable.then(|| {
        HeaderValue::dangerous_new_pre_encoded(
            HeaderName::new_from_ascii_str(name),
            value.to_string(),
            value.to_string(),
        )
    })
}

/// Refuses a header value holding CR or LF (a second header or a body could be smuggled in
/// after it) or any other control character except tab. `name` is used in the error, e.g.
/// "Subject" or "display name in To".
pub fn check_header_value(name: &str, value: &str) -> Result<(), MessageError> {
    for c in value.chars() {
        if c == '\r' || c == '\n' {
            return Err(MessageError::LineBreakInHeader {
                header: name.to_owned(),
            });
        }
        if c.is_control() && c != '\t' {
            return Err(MessageError::ControlCharInHeader {
                header: name.to_owned(),
                code: u32::from(c),
            });
        }
    }
    Ok(())
}

/// Builds a complete message from a draft: Date, Message-ID on the sending domain, MIME
/// structure (multipart/alternative for text + HTML, multipart/mixed around it for
/// attachments), RFC 2047 display names and IDNA domains in the headers.
pub fn build(draft: &Draft) -> Result<Built, MessageError> {
    // Every value that ends up in a header is checked before anything is parsed, so an
    // injection attempt gets the injection error rather than a confusing address error.
    check_header_value("From", &draft.header_from)?;
    if let Some(reply_to) = &draft.reply_to {
        check_header_value("Reply-To", reply_to)?;
    }
    for (header, list) in [("To", &draft.to), ("Cc", &draft.cc), ("Bcc", &draft.bcc)] {
        for entry in list {
            check_header_value(header, entry)?;
        }
    }
    if let Some(subject) = &draft.subject {
        check_header_value("Subject", subject)?;
    }
    check_header_value("Message-ID domain", &draft.message_id_domain)?;
    for attachment in &draft.attachments {
        check_header_value("attachment file name", &attachment.filename)?;
        if let Some(content_type) = &attachment.content_type {
            check_header_value("attachment content type", content_type)?;
        }
    }

    let from = single_mailbox("From", &draft.header_from)?;
    let reply_to = match &draft.reply_to {
        Some(value) => parse_address_list("Reply-To", value)?,
        None => Vec::new(),
    };
    let to = parse_entries("To", &draft.to)?;
    let cc = parse_entries("Cc", &draft.cc)?;
    let bcc = parse_entries("Bcc", &draft.bcc)?;

    let mut recipients = Recipients::default();
    for mailbox in to.iter().chain(&cc).chain(&bcc) {
        recipients.push(mailbox.bare());
    }
    if recipients.list.is_empty() {
        return Err(MessageError::NoRecipient);
    }

    let domain = message_id_domain(&draft.message_id_domain)?;
    let message_id = format!("{}@{}", random_token(), domain);

    let from_mailbox = from.to_lettre()?;
    // The envelope is given explicitly rather than derived from the headers, so Bcc never has
    // to be a header at all: it cannot leak even if lettre's drop-Bcc default changed.
    let envelope_to = recipients
        .list
        .iter()
        .map(|bare| bare.parse::<Address>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| MessageError::Build(e.to_string()))?;
    let envelope = Envelope::new(Some(from_mailbox.email.clone()), envelope_to)
        .map_err(|e| MessageError::Build(e.to_string()))?;

    let mut builder = match verbatim("From", &draft.header_from) {
        Some(value) => Message::builder().raw_header(value),
        None => Message::builder().from(from_mailbox),
    }
    .message_id(Some(format!("<{message_id}>")))
    .date_now()
    .envelope(envelope);
    match draft
        .reply_to
        .as_deref()
        .and_then(|r| verbatim("Reply-To", r))
    {
        Some(value) if !reply_to.is_empty() => builder = builder.raw_header(value),
        _ => {
            for mailbox in &reply_to {
                builder = builder.reply_to(mailbox.to_lettre()?);
            }
        }
    }
    for mailbox in &to {
        builder = builder.to(mailbox.to_lettre()?);
    }
    for mailbox in &cc {
        builder = builder.cc(mailbox.to_lettre()?);
    }
    if let Some(subject) = &draft.subject {
        builder = builder.subject(subject.clone());
    }

    let body = body_part(draft);
    let message = if draft.attachments.is_empty() {
        match body {
            BodyPart::Single(part) => builder.singlepart(part),
            BodyPart::Multi(part) => builder.multipart(part),
        }
    } else {
        let mut mixed = match body {
            BodyPart::Single(part) => MultiPart::mixed().singlepart(part),
            BodyPart::Multi(part) => MultiPart::mixed().multipart(part),
        };
        for attachment in &draft.attachments {
            mixed = mixed.singlepart(attachment_part(attachment)?);
        }
        builder.multipart(mixed)
    }
    .map_err(|e| MessageError::Build(e.to_string()))?;

    Ok(Built {
        bytes: message.formatted(),
        message_id,
        recipients: recipients.list,
    })
}

/// Reads a complete message: headers (with folding) up to the first empty line, the body
/// untouched after it. A message without that empty line is taken as all headers.
pub fn parse_raw(input: &[u8]) -> Result<Raw, MessageError> {
    if input.is_empty() {
        return Err(MessageError::EmptyMessage);
    }
    let parsed = parse_header_section(input)?;

    let mut from = None;
    let mut from_count = 0;
    let mut recipients = Recipients::default();
    let mut message_id = None;
    for field in &parsed.fields {
        let name = field.name(input);
        if name.eq_ignore_ascii_case(b"From") {
            from_count += 1;
            from.get_or_insert_with(|| field.value(input));
        } else if let Some(header) = recipient_header(name) {
            for mailbox in parse_address_list(header, &field.value(input))? {
                recipients.push(mailbox.bare());
            }
        } else if name.eq_ignore_ascii_case(b"Message-ID") && message_id.is_none() {
            let value = field.value(input);
            let id = value.trim().trim_start_matches('<').trim_end_matches('>');
            if !id.is_empty() {
                message_id = Some(id.to_owned());
            }
        }
    }
    let from = match (from, from_count) {
        (Some(from), 1) => from,
        (None, _) => return Err(MessageError::NoFromHeader),
        (Some(_), count) => return Err(MessageError::SeveralFromHeaders { count }),
    };
    // Routing decides from this address, so a From nobody can parse is refused here.
    single_mailbox("From", &from)?;

    Ok(Raw {
        bytes: input.to_vec(),
        from,
        recipients: recipients.list,
        message_id,
    })
}

/// The bytes to send for a raw message: every Bcc header removed (with its continuation
/// lines); if `new_from` is given, the From header replaced by it (RFC 2047 for a non-ASCII
/// display name, IDNA for the domain) and, if `reply_to` is given and the message has no
/// Reply-To, a Reply-To added right after it. Every other byte is kept as given: the other
/// headers in their order, the empty line, the body, CRLF or LF line endings.
pub fn rewrite_raw(
    raw: &Raw,
    new_from: Option<&str>,
    reply_to: Option<&str>,
) -> Result<Vec<u8>, MessageError> {
    let input = raw.bytes.as_slice();
    let parsed = parse_header_section(input)?;
    let has_reply_to = parsed
        .fields
        .iter()
        .any(|f| f.name(input).eq_ignore_ascii_case(b"Reply-To"));

    // New header lines use the line ending the message already uses, so an LF-only message
    // stays LF-only.
    let eol: &[u8] = parsed.eol;
    let mut replacement = Vec::new();
    if let Some(new_from) = new_from {
        check_header_value("From", new_from)?;
        let mailbox = single_mailbox("From", new_from)?.to_lettre()?;
        let mut headers = Headers::new();
        match verbatim("From", new_from) {
            Some(value) => headers.insert_raw(value),
            None => headers.set(header::From::from(Mailboxes::from(mailbox))),
        }
        if let (Some(reply_to), false) = (reply_to, has_reply_to) {
            check_header_value("Reply-To", reply_to)?;
            let parsed = parse_address_list("Reply-To", reply_to)?;
            // An empty Reply-To value adds nothing rather than an empty header.
            if let (Some(value), false) = (verbatim("Reply-To", reply_to), parsed.is_empty()) {
                headers.insert_raw(value);
            } else if !parsed.is_empty() {
                let mut list = Mailboxes::new();
                for mailbox in parsed {
                    list.push(mailbox.to_lettre()?);
                }
                headers.set(header::ReplyTo::from(list));
            }
        }
        // lettre writes CRLF (also inside folded lines); switch to the message's ending.
        let text = headers.to_string();
        for line in text.split_terminator("\r\n") {
            replacement.extend_from_slice(line.as_bytes());
            replacement.extend_from_slice(eol);
        }
    }

    let mut out = Vec::with_capacity(input.len() + replacement.len());
    let mut cursor = 0;
    let mut from_written = false;
    for field in &parsed.fields {
        out.extend_from_slice(&input[cursor..field.start]);
        cursor = field.end;
        let name = field.name(input);
        if name.eq_ignore_ascii_case(b"Bcc") {
            continue;
        }
        if new_from.is_some() && name.eq_ignore_ascii_case(b"From") {
            // Several From headers (refused by parse_raw, but bytes are public) become one.
            if !from_written {
                out.extend_from_slice(&replacement);
                from_written = true;
            }
            continue;
        }
        out.extend_from_slice(&input[field.start..field.end]);
    }
    out.extend_from_slice(&input[cursor..]);
    if new_from.is_some() && !from_written {
        return Err(MessageError::NoFromHeader);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Raw header section

/// One header field: its first line and all continuation lines, line endings included.
struct Field {
    start: usize,
    /// Exclusive; just after the last line's line ending (or the end of input).
    end: usize,
    /// Offset of the ':' after the name.
    colon: usize,
}

impl Field {
    fn name<'a>(&self, input: &'a [u8]) -> &'a [u8] {
        trim_wsp_end(&input[self.start..self.colon])
    }

    /// The value unfolded (line endings removed, the whitespace after them kept, as RFC 5322
    /// §2.2.3 says), trimmed. Non-UTF-8 bytes become U+FFFD: only addresses are read from it.
    fn value(&self, input: &[u8]) -> String {
        let raw = &input[self.colon + 1..self.end];
        // Remove CRs that were part of CRLF endings; a lone CR elsewhere is kept.
        let mut cleaned = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            if raw[i] == b'\r' && raw.get(i + 1) == Some(&b'\n') {
                i += 2;
                continue;
            }
            if raw[i] != b'\n' {
                cleaned.push(raw[i]);
            }
            i += 1;
        }
        String::from_utf8_lossy(&cleaned).trim().to_owned()
    }
}

struct HeaderSection {
    fields: Vec<Field>,
    /// The line ending of the first line, for lines this module adds.
    eol: &'static [u8],
}

fn parse_header_section(input: &[u8]) -> Result<HeaderSection, MessageError> {
    let mut fields: Vec<Field> = Vec::new();
    let mut eol: Option<&'static [u8]> = None;
    let mut pos = 0;
    let mut line_no = 0;
    while pos < input.len() {
        line_no += 1;
        let (line_end, content_end) = match input[pos..].iter().position(|&b| b == b'\n') {
            Some(i) => {
                let nl = pos + i;
                let crlf = nl > pos && input[nl - 1] == b'\r';
                eol.get_or_insert(if crlf { b"\r\n" } else { b"\n" });
                (nl + 1, if crlf { nl - 1 } else { nl })
            }
            None => (input.len(), input.len()),
        };
        let content = &input[pos..content_end];
        if content.is_empty() {
            // The empty line: the body starts after it and is never looked at.
            break;
        }
        if content[0] == b' ' || content[0] == b'\t' {
            match fields.last_mut() {
                Some(field) => field.end = line_end,
                None => return Err(bad_line(line_no, content)),
            }
        } else {
            let colon = content
                .iter()
                .position(|&b| b == b':')
                .ok_or_else(|| bad_line(line_no, content))?;
            let name = trim_wsp_end(&content[..colon]);
            // RFC 5322 §3.6.8: printable ASCII except ':'; whitespace before the colon is the
            // obsolete syntax and tolerated.
            if name.is_empty() || !name.iter().all(|&b| (33..=126).contains(&b)) {
                return Err(bad_line(line_no, content));
            }
            fields.push(Field {
                start: pos,
                end: line_end,
                colon: pos + colon,
            });
        }
        pos = line_end;
    }
    Ok(HeaderSection {
        fields,
        eol: eol.unwrap_or(b"\r\n"),
    })
}

fn bad_line(line: usize, content: &[u8]) -> MessageError {
    let text = String::from_utf8_lossy(content);
    // Enough of the line to recognise it, not a screenful of a pasted body.
    let text: String = if text.chars().count() > 60 {
        text.chars().take(60).chain("…".chars()).collect()
    } else {
        text.into_owned()
    };
    MessageError::BadHeaderLine { line, text }
}

fn trim_wsp_end(bytes: &[u8]) -> &[u8] {
    let end = bytes
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(0, |i| i + 1);
    &bytes[..end]
}

fn recipient_header(name: &[u8]) -> Option<&'static str> {
    ["To", "Cc", "Bcc"]
        .into_iter()
        .find(|h| name.eq_ignore_ascii_case(h.as_bytes()))
}

// ---------------------------------------------------------------------------------------------
// Addresses

/// A mailbox as this module needs it: the display name unquoted, the domain already in its
/// ASCII (IDNA) form.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ParsedMailbox {
    name: Option<String>,
    local: String,
    domain: String,
}

impl ParsedMailbox {
    fn bare(&self) -> String {
        format!("{}@{}", self.local, self.domain)
    }

    fn to_lettre(&self) -> Result<Mailbox, MessageError> {
        // Already validated with the same checks in `parse_mailbox`; mapped, not unwrapped.
        let address = Address::new(&self.local, &self.domain)
            .map_err(|e| MessageError::Build(e.to_string()))?;
        Ok(Mailbox::new(self.name.clone(), address))
    }
}

/// Envelope recipients in first-seen order. Duplicates are found ignoring ASCII case: the same
/// mailbox written twice should get one copy, and no real server has case-sensitive local
/// parts.
#[derive(Default)]
struct Recipients {
    list: Vec<String>,
    seen: HashSet<String>,
}

impl Recipients {
    fn push(&mut self, bare: String) {
        if self.seen.insert(bare.to_ascii_lowercase()) {
            self.list.push(bare);
        }
    }
}

fn parse_entries(header: &str, entries: &[String]) -> Result<Vec<ParsedMailbox>, MessageError> {
    let mut out = Vec::new();
    for entry in entries {
        let parsed = parse_address_list(header, entry)?;
        if parsed.is_empty() {
            return Err(bad_address(
                header,
                entry,
                "it holds no address: remove it or give one, as Name <name@example.com>",
            ));
        }
        out.extend(parsed);
    }
    Ok(out)
}

fn single_mailbox(header: &str, value: &str) -> Result<ParsedMailbox, MessageError> {
    let mut list = parse_address_list(header, value)?;
    match list.len() {
        1 => Ok(list.remove(0)),
        0 => Err(bad_address(
            header,
            value,
            "it holds no address: give one, as Name <name@example.com>",
        )),
        count => Err(MessageError::NotOneAddress {
            header: header.to_owned(),
            count,
        }),
    }
}

fn bad_address(header: &str, value: &str, reason: &str) -> MessageError {
    MessageError::BadAddress {
        header: header.to_owned(),
        value: value.to_owned(),
        reason: reason.to_owned(),
    }
}

/// One comma-separated element of an address list while it is being read.
#[derive(Default)]
struct Element {
    /// Text outside comments and angle brackets, quotes removed: the display name.
    phrase: String,
    /// Text outside comments and angle brackets as written: a bare addr-spec.
    raw: String,
    /// What was between `<` and `>`.
    angle: Option<String>,
}

/// Reads an RFC 5322 address list (`address-list`): mailboxes separated by commas, quoted
/// display names, comments, groups (`undisclosed-recipients:;`), RFC 2047 encoded words kept
/// whole. Quoted local parts and domain literals are not supported (as in `address`): no
/// sender or recipient is written like that in practice, and refusing them keeps the
/// grammar small.
fn parse_address_list(header: &str, value: &str) -> Result<Vec<ParsedMailbox>, MessageError> {
    let err = |reason: &str| bad_address(header, value, reason);
    let chars: Vec<char> = value.chars().collect();
    let mut out = Vec::new();
    let mut cur = Element::default();
    let mut in_group = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if cur.angle.is_some() && !(c.is_whitespace() || matches!(c, ',' | ';' | '(')) {
            return Err(err(
                "text after '>': put the name before the address, as Name <name@example.com>",
            ));
        }
        match c {
            '"' => {
                // The quotes stay in `raw` so that a quoted local part is seen and refused.
                cur.raw.push('"');
                i += 1;
                let mut closed = false;
                while i < chars.len() {
                    let q = chars[i];
                    if q == '\\' && i + 1 < chars.len() {
                        cur.phrase.push(chars[i + 1]);
                        cur.raw.push(q);
                        cur.raw.push(chars[i + 1]);
                        i += 2;
                        continue;
                    }
                    i += 1;
                    if q == '"' {
                        cur.raw.push('"');
                        closed = true;
                        break;
                    }
                    cur.phrase.push(q);
                    cur.raw.push(q);
                }
                if !closed {
                    return Err(err("a quoted name is never closed: end it with '\"'"));
                }
                continue;
            }
            '(' => {
                let mut depth = 0usize;
                while i < chars.len() {
                    match chars[i] {
                        '\\' => i += 1,
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                if depth != 0 || i >= chars.len() {
                    return Err(err("a comment '(' is never closed: end it with ')'"));
                }
                // A comment counts as whitespace.
                cur.phrase.push(' ');
                cur.raw.push(' ');
            }
            '<' => {
                let close = chars[i + 1..].iter().position(|&a| a == '>');
                let Some(close) = close else {
                    return Err(err(
                        "'<' is never closed: end the address with '>', as Name <name@example.com>",
                    ));
                };
                cur.angle = Some(chars[i + 1..i + 1 + close].iter().collect());
                i += close + 1;
            }
            '>' => return Err(err("'>' without '<': write it as Name <name@example.com>")),
            ',' => {
                finish_element(std::mem::take(&mut cur), &mut out, &err)?;
            }
            ':' => {
                if in_group {
                    return Err(err("a group inside a group: end the first with ';'"));
                }
                // A group: what came before the colon is its name, not an address.
                in_group = true;
                cur = Element::default();
            }
            ';' => {
                if !in_group {
                    return Err(err(
                        "';' outside a group: separate addresses with ',' instead",
                    ));
                }
                in_group = false;
                finish_element(std::mem::take(&mut cur), &mut out, &err)?;
            }
            '=' if chars.get(i + 1) == Some(&'?') => {
                // An RFC 2047 encoded word may hold commas or colons once decoded but not
                // here; still, keep it whole so a '?' or '=' inside is not misread.
                let end = encoded_word_end(&chars, i).unwrap_or(i + 1);
                let word: String = chars[i..end].iter().collect();
                cur.phrase.push_str(&word);
                cur.raw.push_str(&word);
                i = end;
                continue;
            }
            _ => {
                cur.phrase.push(c);
                cur.raw.push(c);
            }
        }
        i += 1;
    }
    if in_group {
        return Err(err("a group is never closed: end it with ';'"));
    }
    finish_element(cur, &mut out, &err)?;
    Ok(out)
}

/// Where an encoded word `=?charset?enc?text?=` starting at `start` ends, if it is one.
fn encoded_word_end(chars: &[char], start: usize) -> Option<usize> {
    let mut marks = 0;
    let mut j = start + 2;
    while j < chars.len() && !chars[j].is_whitespace() {
        if chars[j] == '?' {
            marks += 1;
            if marks >= 3 && chars.get(j + 1) == Some(&'=') {
                return Some(j + 2);
            }
        }
        j += 1;
    }
    None
}

fn finish_element(
    element: Element,
    out: &mut Vec<ParsedMailbox>,
    err: &dyn Fn(&str) -> MessageError,
) -> Result<(), MessageError> {
    let name = element
        .phrase
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    match element.angle {
        Some(angle) => {
            let mut spec = angle.trim();
            // Obsolete source route `<@relay:user@example.com>`: the route is dropped.
            if spec.starts_with('@') {
                if let Some(colon) = spec.find(':') {
                    spec = &spec[colon + 1..];
                }
            }
            let (local, domain) = split_addr_spec(spec, err)?;
            out.push(ParsedMailbox {
                name: (!name.is_empty()).then_some(name),
                local,
                domain,
            });
        }
        None => {
            let spec = element.raw.trim();
            if spec.is_empty() {
                // Empty elements (`a@b,,c@d`, an empty Bcc, an empty group) hold nothing.
                return Ok(());
            }
            if !spec.contains('@') {
                return Err(err(&format!(
                    "no email address in {spec:?}: write it as \"{spec} <name@example.com>\", or as a bare name@example.com"
                )));
            }
            if spec.chars().any(char::is_whitespace) {
                return Err(err(&format!(
                    "spaces in {spec:?}: put a name in front of the address as Name <name@example.com>"
                )));
            }
            let (local, domain) = split_addr_spec(spec, err)?;
            out.push(ParsedMailbox {
                name: None,
                local,
                domain,
            });
        }
    }
    Ok(())
}

/// Splits `local@domain`, converts a non-ASCII domain to its IDNA (xn--) form, and validates
/// both parts with lettre's own rules so the builder cannot refuse them later.
fn split_addr_spec(
    spec: &str,
    err: &dyn Fn(&str) -> MessageError,
) -> Result<(String, String), MessageError> {
    let Some((local, domain)) = spec.rsplit_once('@') else {
        return Err(err(&format!(
            "no '@' in {spec:?}: write the address as name@example.com"
        )));
    };
    if local.is_empty() {
        return Err(err(
            "nothing before '@': write the address as name@example.com",
        ));
    }
    if domain.is_empty() {
        return Err(err(
            "no domain after '@': write the address as name@example.com",
        ));
    }
    if spec
        .chars()
        .any(|c| c.is_whitespace() || "<>()[],;:\"\\".contains(c))
    {
        return Err(err(&format!(
            "{spec:?} contains a space or one of <>()[],;:\"\\ which an address may not: quoted local parts and domain literals are not supported"
        )));
    }
    let domain = ascii_domain(domain).ok_or_else(|| {
        err(&format!(
            "{domain:?} is not a valid domain name: check its spelling"
        ))
    })?;
    match Address::new(local, &domain) {
        Ok(_) => Ok((local.to_owned(), domain)),
        Err(LettreAddressError::InvalidUser) => Err(err(&format!(
            "{local:?} is not a valid part before '@': check its spelling"
        ))),
        Err(_) => Err(err(&format!(
            "{domain:?} is not a valid domain name: check its spelling"
        ))),
    }
}

/// The domain as it goes into headers and the envelope: ASCII domains unchanged (their
/// spelling is the user's), others through IDNA (UTS #46), which also lowercases them.
fn ascii_domain(domain: &str) -> Option<String> {
    if domain.is_ascii() {
        return Some(domain.to_owned());
    }
    idna::domain_to_ascii(domain).ok().filter(|d| !d.is_empty())
}

fn message_id_domain(domain: &str) -> Result<String, MessageError> {
    let bad = || MessageError::BadMessageIdDomain {
        domain: domain.to_owned(),
    };
    let trimmed = domain.trim();
    if trimmed.is_empty() || trimmed.contains(['@', '<', '>', ' ', '\t']) {
        return Err(bad());
    }
    let ascii = ascii_domain(trimmed).ok_or_else(bad)?;
    // Reuse lettre's domain rules through a throwaway address.
    Address::new("id", &ascii).map_err(|_| bad())?;
    Ok(ascii)
}

/// 32 hex digits for the left side of a Message-ID. It must be unique, not secret: std's
/// randomly keyed hasher over the time, the process id and a counter gives that without
/// another dependency.
fn random_token() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let mut token = String::with_capacity(32);
    for round in 0u8..2 {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u64(count);
        hasher.write_u128(nanos);
        hasher.write_u32(std::process::id());
        hasher.write_u8(round);
        token.push_str(&format!("{:016x}", hasher.finish()));
    }
    token
}

// ---------------------------------------------------------------------------------------------
// Body

enum BodyPart {
    Single(SinglePart),
    Multi(MultiPart),
}

fn body_part(draft: &Draft) -> BodyPart {
    match (&draft.text, &draft.html) {
        (Some(text), Some(html)) => BodyPart::Multi(MultiPart::alternative_plain_html(
            text.clone(),
            html.clone(),
        )),
        (None, Some(html)) => BodyPart::Single(SinglePart::html(html.clone())),
        (Some(text), None) => BodyPart::Single(SinglePart::plain(text.clone())),
        // No body given: an empty text/plain part, so the message is still well-formed MIME.
        (None, None) => BodyPart::Single(SinglePart::plain(String::new())),
    }
}

fn attachment_part(attachment: &Attachment) -> Result<SinglePart, MessageError> {
    let filename = attachment
        .filename
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim();
    if filename.is_empty() {
        return Err(MessageError::AttachmentWithoutName);
    }
    let content_type = match &attachment.content_type {
        Some(value) => value.trim().to_owned(),
        None => guess_content_type(filename).to_owned(),
    };
    let parsed = ContentType::parse(&content_type).map_err(|_| MessageError::BadContentType {
        filename: filename.to_owned(),
        value: content_type.clone(),
    })?;
    // Always base64: lettre would otherwise pick 7bit or quoted-printable for text-like
    // content, and its String path normalises line endings; base64 keeps the bytes exact.
    let body = Body::new_with_encoding(attachment.content.clone(), ContentTransferEncoding::Base64)
        .map_err(|_| MessageError::Build("base64 encoding refused".to_owned()))?;
    Ok(LettreAttachment::new(filename.to_owned()).body(body, parsed))
}

fn guess_content_type(filename: &str) -> &'static str {
    let extension = filename
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "html" | "htm" => "text/html",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "csv" => "text/csv",
        "json" => "application/json",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A table row for the MIME test: text, html, with an attachment, top type, leaf types.
    type MimeCase<'a> = (
        Option<&'a str>,
        Option<&'a str>,
        bool,
        &'a str,
        &'a [&'a str],
    );
    type Change = fn(&mut Draft);
    type Expect = fn(&MessageError) -> bool;

    fn draft() -> Draft {
        Draft {
            header_from: "\"Notifications\" <notifications@example.com>".to_owned(),
            to: vec!["Alice <alice@example.org>".to_owned()],
            subject: Some("Hello".to_owned()),
            text: Some("Hi there\n".to_owned()),
            message_id_domain: "example.com".to_owned(),
            ..Draft::default()
        }
    }

    fn text(bytes: &[u8]) -> &str {
        std::str::from_utf8(bytes).expect("built messages are ASCII")
    }

    /// The header section of a message, unfolded, as (name, value) pairs.
    fn headers_of(message: &str) -> Vec<(String, String)> {
        let head = message.split("\r\n\r\n").next().unwrap_or_default();
        let mut out: Vec<(String, String)> = Vec::new();
        for line in head.split("\r\n") {
            if line.starts_with([' ', '\t']) {
                out.last_mut().expect("continuation after a header").1 += line;
            } else if let Some((name, value)) = line.split_once(':') {
                out.push((name.to_owned(), value.trim().to_owned()));
            }
        }
        out
    }

    fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A leaf MIME part: its unfolded headers and its raw (still encoded) body.
    struct Leaf {
        headers: Vec<(String, String)>,
        body: String,
    }

    /// A small MIME walk: follows multipart boundaries down to the leaves.
    fn leaves(entity: &str, out: &mut Vec<Leaf>) {
        let (head, body) = entity.split_once("\r\n\r\n").unwrap_or((entity, ""));
        let headers = headers_of(&format!("{head}\r\n\r\n"));
        let content_type = header(&headers, "Content-Type").unwrap_or("text/plain");
        if content_type.starts_with("multipart/") {
            let boundary = content_type
                .split("boundary=")
                .nth(1)
                .expect("multipart has a boundary")
                .trim_matches('"');
            let delimiter = format!("--{boundary}");
            for part in body.split(&delimiter).skip(1) {
                if part.starts_with("--") {
                    break;
                }
                let part = part.strip_prefix("\r\n").unwrap_or(part);
                let part = part.strip_suffix("\r\n").unwrap_or(part);
                leaves(part, out);
            }
        } else {
            out.push(Leaf {
                headers,
                body: body.to_owned(),
            });
        }
    }

    fn base64_decode(input: &str) -> Vec<u8> {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = Vec::new();
        let mut buffer = 0u32;
        let mut bits = 0;
        for b in input
            .bytes()
            .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
        {
            let value = ALPHABET.iter().position(|&a| a == b).expect("base64 digit") as u32;
            buffer = (buffer << 6) | value;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((buffer >> bits) as u8);
                buffer &= (1 << bits) - 1;
            }
        }
        out
    }

    #[test]
    fn bcc_is_a_recipient_but_never_a_header() {
        let mut d = draft();
        d.cc = vec!["carol@example.org".to_owned()];
        d.bcc = vec![
            "Secret <secret@example.net>".to_owned(),
            "ALICE@example.org".to_owned(),
        ];
        let built = build(&d).unwrap();
        let message = text(&built.bytes);
        // A header line, not the letters: a random Message-ID can hold "bcc" in its hex.
        assert!(
            !message
                .lines()
                .any(|l| l.to_ascii_lowercase().starts_with("bcc:")),
            "{message}"
        );
        assert!(!message.contains("secret@example.net"), "{message}");
        assert_eq!(
            built.recipients,
            [
                "alice@example.org",
                "carol@example.org",
                "secret@example.net"
            ]
        );
    }

    #[test]
    fn headers_body_and_line_endings() {
        let built = build(&draft()).unwrap();
        let message = text(&built.bytes);
        let headers = headers_of(message);
        for name in [
            "Date",
            "From",
            "To",
            "Subject",
            "Message-ID",
            "MIME-Version",
        ] {
            assert!(
                header(&headers, name).is_some(),
                "{name} missing in {message}"
            );
        }
        assert_eq!(
            header(&headers, "Message-ID"),
            Some(format!("<{}>", built.message_id).as_str())
        );
        assert!(built.message_id.ends_with("@example.com"));
        assert!(!built.message_id.contains(['<', '>']));
        assert_ne!(build(&draft()).unwrap().message_id, built.message_id);
        // CRLF everywhere, even though the text was given with LF.
        assert!(
            !message.replace("\r\n", "").contains(['\r', '\n']),
            "{message}"
        );
    }

    #[test]
    fn mime_structure_follows_the_parts_given() {
        let attachment = Attachment {
            filename: "a.txt".to_owned(),
            content_type: None,
            content: b"x".to_vec(),
        };
        let cases: [MimeCase; 6] = [
            (None, None, false, "text/plain", &["text/plain"]),
            (Some("t"), None, false, "text/plain", &["text/plain"]),
            (None, Some("<p>h</p>"), false, "text/html", &["text/html"]),
            (
                Some("t"),
                Some("<p>h</p>"),
                false,
                "multipart/alternative",
                &["text/plain", "text/html"],
            ),
            (
                Some("t"),
                Some("<p>h</p>"),
                true,
                "multipart/mixed",
                &["text/plain", "text/html", "text/plain"],
            ),
            (
                None,
                None,
                true,
                "multipart/mixed",
                &["text/plain", "text/plain"],
            ),
        ];
        for (text_body, html, with_attachment, top, leaf_types) in cases {
            let mut d = draft();
            d.text = text_body.map(str::to_owned);
            d.html = html.map(str::to_owned);
            if with_attachment {
                d.attachments = vec![attachment.clone()];
            }
            let built = build(&d).unwrap();
            let message = text(&built.bytes);
            let headers = headers_of(message);
            let content_type = header(&headers, "Content-Type").unwrap();
            assert!(content_type.starts_with(top), "{content_type} for {top}");
            let mut found = Vec::new();
            leaves(message, &mut found);
            let types: Vec<&str> = found
                .iter()
                .map(|l| header(&l.headers, "Content-Type").unwrap_or("text/plain"))
                .map(|t| t.split(';').next().unwrap_or_default())
                .collect();
            assert_eq!(types, leaf_types, "{message}");
        }
    }

    #[test]
    fn non_ascii_display_names_are_rfc2047_encoded() {
        let mut d = draft();
        d.header_from = "\"Zoë Société\" <notifications@example.com>".to_owned();
        d.to = vec!["Jürgen Müller <jm@example.org>".to_owned()];
        let built = build(&d).unwrap();
        let message = text(&built.bytes);
        assert!(message.is_ascii());
        let headers = headers_of(message);
        for name in ["From", "To"] {
            let value = header(&headers, name).unwrap();
            assert!(
                value.to_ascii_lowercase().contains("=?utf-8?"),
                "{name}: {value}"
            );
        }
        assert!(header(&headers, "From")
            .unwrap()
            .ends_with("<notifications@example.com>"));
        assert!(header(&headers, "To")
            .unwrap()
            .ends_with("<jm@example.org>"));
    }

    #[test]
    fn idna_domains_in_recipients_and_headers() {
        let mut d = draft();
        d.header_from = "Sender <sender@éxample.com>".to_owned();
        d.to = vec!["user@éxample.com".to_owned()];
        d.cc = vec!["Cé <cc@ÉXAMPLE.com>".to_owned()];
        d.message_id_domain = "éxample.com".to_owned();
        let built = build(&d).unwrap();
        assert_eq!(
            built.recipients,
            ["user@xn--xample-9ua.com", "cc@xn--xample-9ua.com"]
        );
        let message = text(&built.bytes);
        let headers = headers_of(message);
        assert!(header(&headers, "From")
            .unwrap()
            .contains("<sender@xn--xample-9ua.com>"));
        assert!(header(&headers, "To")
            .unwrap()
            .contains("user@xn--xample-9ua.com"));
        assert!(header(&headers, "Cc")
            .unwrap()
            .contains("cc@xn--xample-9ua.com"));
        assert!(built.message_id.ends_with("@xn--xample-9ua.com"));
    }

    #[test]
    fn header_injection_is_refused() {
        let cases: [(&str, Change, &str); 6] = [
            (
                "Subject",
                |d| d.subject = Some("Hi\r\nBcc: victim@example.net".into()),
                "Subject",
            ),
            (
                "Subject LF",
                |d| d.subject = Some("Hi\nX: y".into()),
                "Subject",
            ),
            (
                "name in To",
                |d| d.to = vec!["Eve\r\nBcc: x@y.z <eve@example.org>".into()],
                "To",
            ),
            (
                "name in From",
                |d| d.header_from = "\"A\nB\" <a@example.com>".into(),
                "From",
            ),
            (
                "Reply-To",
                |d| d.reply_to = Some("r@example.com\r\n".into()),
                "Reply-To",
            ),
            (
                "file name",
                |d| {
                    d.attachments = vec![Attachment {
                        filename: "a\r\n.txt".into(),
                        content_type: None,
                        content: vec![],
                    }]
                },
                "attachment file name",
            ),
        ];
        for (label, change, header) in cases {
            let mut d = draft();
            change(&mut d);
            let err = build(&d).unwrap_err();
            assert_eq!(
                err,
                MessageError::LineBreakInHeader {
                    header: header.to_owned()
                },
                "{label}"
            );
            assert!(err.to_string().contains("header injection"), "{label}");
        }
        assert_eq!(
            MessageError::LineBreakInHeader {
                header: "Subject".into()
            }
            .to_string(),
            "the Subject contains a line break (header injection?): give it on one line"
        );
    }

    #[test]
    fn check_header_value_table() {
        let cases: [(&str, Option<u32>); 6] = [
            ("plain", None),
            ("tab\there", None),
            ("ünïcödé ✓", None),
            ("nul\0", Some(0)),
            ("esc\x1b[31m", Some(0x1b)),
            ("del\x7f", Some(0x7f)),
        ];
        for (value, code) in cases {
            let result = check_header_value("Subject", value);
            match code {
                None => assert_eq!(result, Ok(()), "{value:?}"),
                Some(code) => assert_eq!(
                    result,
                    Err(MessageError::ControlCharInHeader {
                        header: "Subject".into(),
                        code
                    }),
                    "{value:?}"
                ),
            }
        }
        for value in ["a\rb", "a\nb", "\r\n"] {
            assert!(matches!(
                check_header_value("X", value),
                Err(MessageError::LineBreakInHeader { .. })
            ));
        }
    }

    #[test]
    fn bad_drafts_are_refused() {
        let cases: [(&str, Change, Expect); 8] = [
            (
                "no recipient",
                |d| d.to.clear(),
                |e| *e == MessageError::NoRecipient,
            ),
            (
                "no address",
                |d| d.to = vec!["Alice".into()],
                |e| matches!(e, MessageError::BadAddress { .. }),
            ),
            (
                "no domain",
                |d| d.cc = vec!["bob@".into()],
                |e| matches!(e, MessageError::BadAddress { .. }),
            ),
            (
                "bad domain",
                |d| d.bcc = vec!["bob@exa mple.com".into()],
                |e| matches!(e, MessageError::BadAddress { .. }),
            ),
            (
                "two From",
                |d| d.header_from = "a@example.com, b@example.com".into(),
                |e| matches!(e, MessageError::NotOneAddress { count: 2, .. }),
            ),
            (
                "unclosed angle",
                |d| d.to = vec!["A <a@example.com".into()],
                |e| matches!(e, MessageError::BadAddress { .. }),
            ),
            (
                "bad id domain",
                |d| d.message_id_domain = "not a domain".into(),
                |e| matches!(e, MessageError::BadMessageIdDomain { .. }),
            ),
            (
                "bad content type",
                |d| {
                    d.attachments = vec![Attachment {
                        filename: "a".into(),
                        content_type: Some("nonsense".into()),
                        content: vec![],
                    }]
                },
                |e| matches!(e, MessageError::BadContentType { .. }),
            ),
        ];
        for (label, change, expected) in cases {
            let mut d = draft();
            change(&mut d);
            let err = build(&d).unwrap_err();
            assert!(expected(&err), "{label}: {err:?}");
        }
        assert_eq!(
            MessageError::NoRecipient.to_string(),
            "no recipient: give --to (or To, Cc or Bcc headers in the message)"
        );
    }

    #[test]
    fn attachments_round_trip_through_base64() {
        let binary: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
        let attachments = vec![
            Attachment {
                filename: "/home/me/report.pdf".into(),
                content_type: None,
                content: binary,
            },
            Attachment {
                filename: "notes.txt".into(),
                content_type: None,
                content: b"line 1\nline 2\r\n\n.\n".to_vec(),
            },
            Attachment {
                filename: "data.bin".into(),
                content_type: Some("application/x-custom".into()),
                content: vec![],
            },
        ];
        let mut d = draft();
        d.html = Some("<p>hi</p>".into());
        d.attachments = attachments.clone();
        let built = build(&d).unwrap();
        let message = text(&built.bytes);
        assert!(!message.contains("/home/me"), "local path leaked");
        let mut found = Vec::new();
        leaves(message, &mut found);
        let attached: Vec<&Leaf> = found
            .iter()
            .filter(|l| {
                header(&l.headers, "Content-Disposition")
                    .is_some_and(|v| v.starts_with("attachment"))
            })
            .collect();
        assert_eq!(attached.len(), attachments.len());
        let expected_types = ["application/pdf", "text/plain", "application/x-custom"];
        for ((leaf, original), content_type) in
            attached.iter().zip(&attachments).zip(expected_types)
        {
            assert_eq!(
                header(&leaf.headers, "Content-Transfer-Encoding"),
                Some("base64")
            );
            assert!(header(&leaf.headers, "Content-Type")
                .unwrap()
                .starts_with(content_type));
            assert_eq!(
                base64_decode(&leaf.body),
                original.content,
                "{}",
                original.filename
            );
        }
    }

    #[test]
    fn content_types_are_guessed_from_the_extension() {
        let cases = [
            ("a.PDF", "application/pdf"),
            ("a.txt", "text/plain"),
            ("a.html", "text/html"),
            ("a.png", "image/png"),
            ("a.jpg", "image/jpeg"),
            ("a.jpeg", "image/jpeg"),
            ("a.gif", "image/gif"),
            ("a.csv", "text/csv"),
            ("a.json", "application/json"),
            ("a.zip", "application/zip"),
            ("a.tar.gz", "application/octet-stream"),
            ("README", "application/octet-stream"),
        ];
        for (name, expected) in cases {
            assert_eq!(guess_content_type(name), expected, "{name}");
        }
    }

    #[test]
    fn address_lists() {
        let cases: [(&str, &[&str]); 8] = [
            ("a@example.com", &["a@example.com"]),
            (
                "\"Doe, John\" <j@example.com>, b@example.com",
                &["j@example.com", "b@example.com"],
            ),
            ("undisclosed-recipients:;", &[]),
            (
                "Team: a@example.com, B <b@example.com>;, c@example.com",
                &["a@example.com", "b@example.com", "c@example.com"],
            ),
            (
                "a@example.com (Alice), , <b@example.com> (Bob)",
                &["a@example.com", "b@example.com"],
            ),
            (
                "=?utf-8?q?J=C3=BCrgen?= <j@example.com>",
                &["j@example.com"],
            ),
            ("<@relay.example:r@example.com>", &["r@example.com"]),
            ("", &[]),
        ];
        for (value, expected) in cases {
            let got: Vec<String> = parse_address_list("To", value)
                .unwrap_or_else(|e| panic!("{value:?}: {e}"))
                .iter()
                .map(ParsedMailbox::bare)
                .collect();
            assert_eq!(got, expected, "{value:?}");
        }
        let names = parse_address_list("To", "\"Doe, \\\"JD\\\" John\"   <j@example.com>").unwrap();
        assert_eq!(names[0].name.as_deref(), Some("Doe, \"JD\" John"));
        for bad in [
            "John Doe",
            "a@b@",
            "<a@example.com> junk",
            "\"unclosed <a@example.com>",
            "(open a@example.com",
            "x;",
            "\"q l\"@example.com",
            "a@[1.2.3.4]",
        ] {
            assert!(parse_address_list("To", bad).is_err(), "{bad:?} accepted");
        }
    }

    const RAW: &str = "Received: by host\r\nFrom: Cron Daemon <root@box.local>\r\nTo: ops@example.com,\r\n  \"Dev\" <dev@example.com>\r\nBcc: hidden@example.net,\r\n\tother@example.net\r\nSubject: job\r\n output\r\nMessage-ID: <abc@box.local>\r\n\r\nBody line\r\nBcc: not-a-header@example.com\r\n\r\n";

    #[test]
    fn parse_raw_reads_headers_with_folding() {
        let raw = parse_raw(RAW.as_bytes()).unwrap();
        assert_eq!(raw.from, "Cron Daemon <root@box.local>");
        assert_eq!(
            raw.recipients,
            [
                "ops@example.com",
                "dev@example.com",
                "hidden@example.net",
                "other@example.net"
            ]
        );
        assert_eq!(raw.message_id.as_deref(), Some("abc@box.local"));
        assert_eq!(raw.bytes, RAW.as_bytes());
    }

    #[test]
    fn rewrite_raw_removes_bcc_and_replaces_from_keeping_the_rest() {
        let raw = parse_raw(RAW.as_bytes()).unwrap();
        let out = rewrite_raw(
            &raw,
            Some("Zoë <notifications@éxample.com>"),
            Some("root@box.local"),
        )
        .unwrap();
        let input = RAW.as_bytes();
        // What precedes From, and everything from Subject on (both Bcc lines gone).
        let from_start = RAW.find("From:").unwrap();
        let to_start = RAW.find("To:").unwrap();
        let bcc_start = RAW.find("Bcc:").unwrap();
        let subject_start = RAW.find("Subject:").unwrap();
        assert_eq!(&out[..from_start], &input[..from_start]);
        let out_text = String::from_utf8(out.clone()).unwrap();
        let to_in_out = out_text.find("\r\nTo:").unwrap() + 2;
        let new_head = &out_text[from_start..to_in_out];
        assert!(new_head.starts_with("From: =?utf-8?"), "{new_head}");
        assert!(
            new_head.contains("<notifications@xn--xample-9ua.com>\r\nReply-To: root@box.local\r\n"),
            "{new_head}"
        );
        let rest = &out[to_in_out..];
        let expected_rest = [&input[to_start..bcc_start], &input[subject_start..]].concat();
        assert_eq!(rest, expected_rest.as_slice());
        assert!(
            out_text.contains("Bcc: not-a-header@example.com"),
            "body untouched"
        );

        // Without a new From only the Bcc goes; an existing Reply-To is never duplicated.
        let out = rewrite_raw(&raw, None, Some("x@example.com")).unwrap();
        assert_eq!(out, [&input[..bcc_start], &input[subject_start..]].concat());
    }

    #[test]
    fn rewrite_raw_keeps_lf_only_messages_lf() {
        let input = "From: a@example.com\nReply-To: r@example.com\nBCC: b@example.com,\n  c@example.com\nTo: t@example.com\n\nbody\n";
        let raw = parse_raw(input.as_bytes()).unwrap();
        assert_eq!(
            raw.recipients,
            ["b@example.com", "c@example.com", "t@example.com"]
        );
        let out = String::from_utf8(
            rewrite_raw(
                &raw,
                Some("\"Mailer\" <m@example.com>"),
                Some("x@example.com"),
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(
            out,
            "From: \"Mailer\" <m@example.com>\nReply-To: r@example.com\nTo: t@example.com\n\nbody\n"
        );
        assert!(!out.contains('\r'));
    }

    #[test]
    fn parse_raw_accepts_a_message_of_headers_only() {
        for input in [
            "From: a@example.com\r\nTo: b@example.com",
            "From: a@example.com\nTo: b@example.com\n",
        ] {
            let raw = parse_raw(input.as_bytes()).unwrap();
            assert_eq!(raw.recipients, ["b@example.com"]);
            assert_eq!(raw.message_id, None);
            let out = rewrite_raw(&raw, None, None).unwrap();
            assert_eq!(out, input.as_bytes());
        }
        // No recipient is not an error here: `send --raw --to` supplies them.
        assert!(parse_raw(b"From: a@example.com\r\n\r\nhi")
            .unwrap()
            .recipients
            .is_empty());
    }

    #[test]
    fn parse_raw_errors() {
        let cases: [(&[u8], MessageError); 6] = [
            (b"", MessageError::EmptyMessage),
            (
                b"To: a@example.com\r\n\r\nFrom: x@example.com\r\n",
                MessageError::NoFromHeader,
            ),
            (
                b"From: a@example.com\nFrom: b@example.com\n",
                MessageError::SeveralFromHeaders { count: 2 },
            ),
            (
                b"From: a@example.com\nSubject: x\nthis is body text\n",
                MessageError::BadHeaderLine {
                    line: 3,
                    text: "this is body text".into(),
                },
            ),
            (
                b" folded: first\nFrom: a@example.com\n",
                MessageError::BadHeaderLine {
                    line: 1,
                    text: " folded: first".into(),
                },
            ),
            (
                b"From: a@example.com\r\nBad Name: v\r\n",
                MessageError::BadHeaderLine {
                    line: 2,
                    text: "Bad Name: v".into(),
                },
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(
                parse_raw(input).unwrap_err(),
                expected,
                "{:?}",
                String::from_utf8_lossy(input)
            );
        }
        assert!(matches!(
            parse_raw(b"From: nobody\n\n"),
            Err(MessageError::BadAddress { .. })
        ));
        assert!(matches!(
            parse_raw(b"From: a@example.com\nCc: broken <\n\n"),
            Err(MessageError::BadAddress { .. })
        ));
        assert_eq!(
            MessageError::NoFromHeader.to_string(),
            "the message has no From header: add one, as From: Name <name@example.com>"
        );
        assert!(MessageError::BadHeaderLine {
            line: 3,
            text: "x".into()
        }
        .to_string()
        .starts_with("line 3 of the message"));
    }

    fn arbitrary_draft() -> impl Strategy<Value = Draft> {
        let s = || any::<String>();
        let list = || proptest::collection::vec(any::<String>(), 0..3);
        (
            (s(), proptest::option::of(s()), list(), list(), list()),
            (
                proptest::option::of(s()),
                proptest::option::of(s()),
                proptest::option::of(s()),
                s(),
            ),
            proptest::collection::vec(
                (
                    s(),
                    proptest::option::of(s()),
                    proptest::collection::vec(any::<u8>(), 0..64),
                ),
                0..2,
            ),
        )
            .prop_map(
                |(
                    (header_from, reply_to, to, cc, bcc),
                    (subject, text, html, message_id_domain),
                    attachments,
                )| Draft {
                    header_from,
                    reply_to,
                    to,
                    cc,
                    bcc,
                    subject,
                    text,
                    html,
                    attachments: attachments
                        .into_iter()
                        .map(|(filename, content_type, content)| Attachment {
                            filename,
                            content_type,
                            content,
                        })
                        .collect(),
                    message_id_domain,
                },
            )
    }

    proptest! {
        #[test]
        fn parse_and_rewrite_raw_never_panic(input in proptest::collection::vec(any::<u8>(), 0..512), from in any::<String>()) {
            if let Ok(raw) = parse_raw(&input) {
                let _ = rewrite_raw(&raw, Some(&from), Some(&from));
                let _ = rewrite_raw(&raw, None, None);
            }
        }

        #[test]
        fn parse_raw_never_panics_on_header_like_text(input in "([A-Za-z-]{0,6}:? ?[ -~\t]{0,30}(\r\n|\n|\r)?){0,8}") {
            if let Ok(raw) = parse_raw(input.as_bytes()) {
                let _ = rewrite_raw(&raw, Some("A <a@example.com>"), Some("b@example.com"));
            }
        }

        #[test]
        fn build_never_panics_on_printable_values(
            name in "\\PC{0,40}",
            subject in "\\PC{0,200}",
            filename in "\\PC{0,40}",
            content_type in proptest::option::of("[ -~]{0,20}"),
            domain in "\\PC{0,20}",
        ) {
            let d = Draft {
                header_from: format!("\"{name}\" <a@example.com>"),
                to: vec![format!("{name} <b@example.com>")],
                subject: Some(subject),
                attachments: vec![Attachment { filename, content_type, content: vec![0, 255] }],
                message_id_domain: domain,
                ..Draft::default()
            };
            if let Ok(built) = build(&d) {
                prop_assert!(!built.bytes.is_empty());
            }
        }

        #[test]
        fn build_never_panics(d in arbitrary_draft()) {
            let _ = build(&d);
        }

        #[test]
        fn build_never_panics_on_address_like_text(
            from in "[ -~]{0,40}",
            to in proptest::collection::vec("[\"<>(),:;@a-zé. \\\\]{0,20}", 1..3),
        ) {
            let d = Draft { header_from: from, to, message_id_domain: "example.com".into(), ..Draft::default() };
            if let Ok(built) = build(&d) {
                prop_assert!(!built.recipients.is_empty());
            }
        }
    }
}
