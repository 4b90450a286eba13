//! Email addresses as routing sees them (routing.md §2, §5): parsing From values, normalised
//! forms, from-filters and the envelope (MAIL FROM) form.
//!
//! This module owns the address grammar and nothing else. It does no I/O and knows nothing of
//! clap, SQLite, SMTP clients or the routing rules that use it. Parsing sits on the routing hot
//! path, so it borrows from its input and allocates only for lists of several addresses and for
//! display names that contain backslash escapes.

use std::borrow::Cow;
use std::fmt;

use thiserror::Error;

/// Characters an unquoted addr-spec may not contain besides whitespace and controls. Quoted
/// local parts and domain literals are not supported: nobody configures a sender like that and
/// refusing them keeps the "exactly one `@`" rule simple.
const FORBIDDEN_IN_ADDRESS: &str = "<>()[],;:\"\\";

/// Characters a domain filter part may not contain besides whitespace and controls.
const FORBIDDEN_IN_DOMAIN_FILTER: &str = "<>,;\"";

/// Why a From value (or any header holding addresses) was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AddressError {
    #[error(
        "the address is empty: give one such as \"Name <name@example.com>\" or name@example.com"
    )]
    Empty,
    #[error(
        "no email address in {element:?}: write it as \"{element} <name@example.com>\", or as a bare address name@example.com"
    )]
    NoAddress { element: String },
    #[error(
        "nothing between the angle brackets in {element:?}: put the address inside them, as Name <name@example.com>"
    )]
    EmptyAngleBrackets { element: String },
    #[error(
        "'<' is never closed in {element:?}: end the address with '>', as Name <name@example.com>"
    )]
    UnclosedAngleBracket { element: String },
    #[error(
        "unexpected text after '>' in {element:?}: the address in angle brackets must come last; separate several addresses with commas"
    )]
    TextAfterAddress { element: String },
    #[error(
        "a double quote is never closed in {element:?}: close the quoted display name, as \"Name\" <name@example.com>"
    )]
    UnclosedQuote { element: String },
    #[error("no '@' in {address:?}: an address is local@domain, as name@example.com")]
    MissingAt { address: String },
    #[error(
        "{address:?} has more than one '@': an address is local@domain; a display name containing '@' goes before the address, as \"a@b\" <name@example.com>"
    )]
    SeveralAt { address: String },
    #[error("{address:?} has nothing before the '@': write the local part, as name@example.com")]
    EmptyLocalPart { address: String },
    #[error("{address:?} has nothing after the '@': write the domain, as name@example.com")]
    EmptyDomain { address: String },
    #[error(
        "{address:?} contains {found} at position {position}: addresses cannot contain spaces, control characters or any of <>()[],;:\"\\ (a display name goes before the address, as Name <name@example.com>)"
    )]
    ForbiddenCharacter {
        address: String,
        found: String,
        position: usize,
    },
    #[error(
        "the display name in {element:?} contains a control character (such as a line break): remove it"
    )]
    ControlInDisplayName { element: String },
}

/// Why an address cannot be used as the envelope sender (MAIL FROM / Return-Path).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EnvelopeError {
    #[error(
        "the envelope sender has an empty local part: configure an address with a local part, as name@example.com"
    )]
    EmptyLocalPart,
    #[error(
        "the local part {local:?} is not ASCII, and an envelope sender must be (no SMTPUTF8 support): use an address whose local part is plain ASCII"
    )]
    NonAsciiLocalPart { local: String },
    #[error(
        "the {part} {text:?} contains {found}: an envelope sender cannot contain spaces, control characters or any of <>()[],;:\"\\"
    )]
    ForbiddenCharacter {
        part: &'static str,
        text: String,
        found: String,
    },
    #[error("the domain {domain:?} cannot be converted to IDNA (punycode): check its spelling")]
    Idna { domain: String },
}

/// Why a from-filter was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FilterError {
    #[error(
        "the from-filter part {part:?} contains '*': wildcards are not supported, parts are compared exactly; list each domain or address, separated by commas"
    )]
    Wildcard { part: String },
    #[error("the from-filter part {part:?} is not a valid address: {source}")]
    InvalidAddress {
        part: String,
        #[source]
        source: AddressError,
    },
    #[error(
        "the from-filter part {part:?} holds several addresses: separate filter parts with commas, one address or domain each"
    )]
    SeveralAddresses { part: String },
    #[error(
        "the from-filter part {part:?} is not a domain name: {problem}; write a domain (example.com) or an address (name@example.com)"
    )]
    InvalidDomain { part: String, problem: String },
}

/// One address of a From value, borrowed from the text it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox<'a> {
    /// `None` when the value had no display name or an empty one. Owned only when the quoted
    /// name contained backslash escapes.
    pub display_name: Option<Cow<'a, str>>,
    pub local: &'a str,
    pub domain: &'a str,
    /// `local@domain` as one slice of the input.
    pub addr_spec: &'a str,
}

impl<'a> Mailbox<'a> {
    /// The normalised form, borrowed from the input when it is already normalised (the common
    /// case in bulk routing, where an allocation per sender would show).
    pub fn normalized_cow(&self) -> Cow<'a, str> {
        if self.domain.is_ascii() && !self.addr_spec.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Borrowed(self.addr_spec)
        } else {
            Cow::Owned(self.normalized())
        }
    }

    /// `local@domain` exactly as given.
    pub fn bare(&self) -> String {
        let mut bare = String::with_capacity(self.local.len() + 1 + self.domain.len());
        bare.push_str(self.local);
        bare.push('@');
        bare.push_str(self.domain);
        bare
    }

    /// The form addresses are compared in. A non-ASCII local part keeps its case because
    /// lower-casing it could turn one mailbox into another on servers that are case-sensitive
    /// there; the domain is case-insensitive everywhere. No IDNA: filters are typed in the same
    /// Unicode form as senders.
    pub fn normalized(&self) -> String {
        let mut normalized = String::with_capacity(self.local.len() + 1 + self.domain.len());
        if self.local.is_ascii() {
            normalized.extend(self.local.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            normalized.push_str(self.local);
        }
        normalized.push('@');
        if self.domain.is_ascii() {
            normalized.extend(self.domain.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            normalized.push_str(&self.domain.to_lowercase());
        }
        normalized
    }

    /// The name shown when the From header is rewritten to another address (routing.md §5). A
    /// name of only spaces would show as nothing, so it counts as empty.
    pub fn name_for_rewrite(&self) -> &str {
        match self.display_name.as_deref() {
            Some(name) if !name.trim().is_empty() => name,
            _ => self.local,
        }
    }
}

/// A From value that holds at least one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParsedFrom<'a> {
    Single(Mailbox<'a>),
    /// Two or more addresses; such a value has no normalised form.
    Several(Vec<Mailbox<'a>>),
}

impl<'a> ParsedFrom<'a> {
    pub fn mailboxes(&self) -> &[Mailbox<'a>] {
        match self {
            ParsedFrom::Single(mailbox) => std::slice::from_ref(mailbox),
            ParsedFrom::Several(mailboxes) => mailboxes,
        }
    }
}

/// Parses a From value: `"Name" <local@domain>`, `Name <local@domain>`, `local@domain`, or a
/// comma-separated list of these.
///
/// Every non-empty list element must hold a valid address: a header with garbage in it is bad
/// input, and guessing which part was meant would route mail on a guess. Empty elements (a
/// trailing comma) are skipped, as RFC 5322 allows them.
pub fn parse_from(input: &str) -> Result<ParsedFrom<'_>, AddressError> {
    let mut first = None;
    let mut others = Vec::new();
    for element in TopLevelElements::new(input) {
        let element = element.trim();
        if element.is_empty() {
            continue;
        }
        let mailbox = parse_mailbox(element)?;
        if first.is_none() {
            first = Some(mailbox);
        } else {
            others.push(mailbox);
        }
    }
    match first {
        None => Err(AddressError::Empty),
        Some(mailbox) if others.is_empty() => Ok(ParsedFrom::Single(mailbox)),
        Some(mailbox) => {
            others.insert(0, mailbox);
            Ok(ParsedFrom::Several(others))
        }
    }
}

/// The normalised form of a value holding exactly one address; `None` for anything else,
/// including values that hold several addresses.
pub fn normalize(input: &str) -> Option<String> {
    match parse_from(input).ok()? {
        ParsedFrom::Single(mailbox) => Some(mailbox.normalized()),
        ParsedFrom::Several(_) => None,
    }
}

/// A display name as an RFC 5322 quoted-string. Control characters become spaces: a quoted
/// string cannot hold them, and a line break would let a name inject header lines.
pub fn quote_display_name(name: &str) -> String {
    let mut quoted = String::with_capacity(name.len() + 2);
    quoted.push('"');
    for c in name.chars() {
        match c {
            '\\' | '"' => {
                quoted.push('\\');
                quoted.push(c);
            }
            c if c.is_control() => quoted.push(' '),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// A host name made only of ASCII letters, digits, '-', '_' and single dots, with no
/// punycode label: its IDNA form is itself, lower-cased.
fn is_plain_ascii_domain(domain: &str) -> bool {
    !domain.is_empty()
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !domain
            .as_bytes()
            .windows(4)
            .any(|w| w.eq_ignore_ascii_case(b"xn--"))
}

/// [`envelope_address`] for an address parsed from `addr_spec` (`local@domain` as one slice),
/// borrowing it when it already is its envelope form, as most senders are.
pub fn envelope_address_of<'a>(
    local: &str,
    domain: &str,
    addr_spec: &'a str,
) -> Result<Cow<'a, str>, EnvelopeError> {
    let plain = addr_spec.len() == local.len() + 1 + domain.len()
        && local
            .bytes()
            .all(|b| b.is_ascii() && !is_forbidden_in_address(b as char) && b != b'@')
        && is_plain_ascii_domain(domain)
        && !domain.bytes().any(|b| b.is_ascii_uppercase());
    if plain {
        Ok(Cow::Borrowed(addr_spec))
    } else {
        envelope_address(local, domain).map(Cow::Owned)
    }
}

/// The address as given to MAIL FROM: local part untouched (mail servers may treat it
/// case-sensitively), domain in IDNA ASCII form so that servers without SMTPUTF8 accept it.
pub fn envelope_address(local: &str, domain: &str) -> Result<String, EnvelopeError> {
    if local.is_empty() {
        return Err(EnvelopeError::EmptyLocalPart);
    }
    if !local.is_ascii() {
        return Err(EnvelopeError::NonAsciiLocalPart {
            local: local.to_string(),
        });
    }
    // The idna crate lets spaces and the like through, and MAIL FROM must not carry them.
    for (part, text) in [("local part", local), ("domain", domain)] {
        if let Some(c) = text
            .chars()
            .find(|&c| is_forbidden_in_address(c) || c == '@')
        {
            return Err(EnvelopeError::ForbiddenCharacter {
                part,
                text: text.to_string(),
                found: describe_char(c),
            });
        }
    }
    // Plain ASCII host names need no IDNA processing beyond lower-casing, and skipping the
    // UTS 46 machinery for them keeps bulk routing fast.
    if is_plain_ascii_domain(domain) {
        let mut envelope = String::with_capacity(local.len() + 1 + domain.len());
        envelope.push_str(local);
        envelope.push('@');
        envelope.extend(domain.bytes().map(|b| b.to_ascii_lowercase() as char));
        return Ok(envelope);
    }
    let ascii_domain = match idna::domain_to_ascii(domain) {
        Ok(ascii) if !ascii.is_empty() => ascii,
        _ => {
            return Err(EnvelopeError::Idna {
                domain: domain.to_string(),
            });
        }
    };
    Ok(format!("{local}@{ascii_domain}"))
}

/// The part after the last `@` of a normalised address (all of it is the domain, since a
/// normalised address has exactly one `@`); empty when there is no `@`.
pub fn domain_of(normalized: &str) -> &str {
    normalized.rsplit_once('@').map_or("", |(_, domain)| domain)
}

/// One part of a from-filter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FilterPart {
    /// A normalised address, compared with the normalised sender.
    Address(String),
    /// A lower-cased domain, compared exactly with the sender's domain.
    Domain(String),
}

impl FilterPart {
    fn as_str(&self) -> &str {
        match self {
            FilterPart::Address(text) | FilterPart::Domain(text) => text,
        }
    }
}

/// The senders an outgoing server accepts (routing.md §2). Empty means every sender.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FromFilter {
    parts: Vec<FilterPart>,
    /// The canonical text, kept so that showing a filter on the hot path does not allocate.
    canonical: String,
}

impl FromFilter {
    /// Parts are split on every comma, as Odoo does: a filter names addresses and domains, never
    /// display names, so there is no quoting to respect.
    pub fn parse(text: &str) -> Result<FromFilter, FilterError> {
        let mut parts = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            parts.push(parse_filter_part(part)?);
        }
        let canonical = parts
            .iter()
            .map(FilterPart::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        Ok(FromFilter { parts, canonical })
    }

    pub fn empty() -> FromFilter {
        FromFilter::default()
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    pub fn parts(&self) -> &[FilterPart] {
        &self.parts
    }

    /// `normalized_sender` must already be normalised. `None` (no single sender) passes only an
    /// empty filter, which accepts everything.
    pub fn matches(&self, normalized_sender: Option<&str>) -> bool {
        if self.parts.is_empty() {
            return true;
        }
        let Some(sender) = normalized_sender else {
            return false;
        };
        let sender_domain = domain_of(sender);
        self.parts.iter().any(|part| match part {
            FilterPart::Address(address) => address == sender,
            FilterPart::Domain(domain) => domain == sender_domain,
        })
    }

    /// The parts joined with `", "`, in normalised / lower-cased form.
    pub fn as_str(&self) -> &str {
        &self.canonical
    }
}

impl fmt::Display for FromFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical)
    }
}

fn parse_filter_part(part: &str) -> Result<FilterPart, FilterError> {
    if part.contains('*') {
        return Err(FilterError::Wildcard {
            part: part.to_string(),
        });
    }
    if part.contains('@') {
        return match parse_from(part) {
            Ok(ParsedFrom::Single(mailbox)) => Ok(FilterPart::Address(mailbox.normalized())),
            Ok(ParsedFrom::Several(_)) => Err(FilterError::SeveralAddresses {
                part: part.to_string(),
            }),
            Err(source) => Err(FilterError::InvalidAddress {
                part: part.to_string(),
                source,
            }),
        };
    }
    let invalid = |problem: String| FilterError::InvalidDomain {
        part: part.to_string(),
        problem,
    };
    if let Some(c) = part
        .chars()
        .find(|&c| c.is_whitespace() || c.is_control() || FORBIDDEN_IN_DOMAIN_FILTER.contains(c))
    {
        return Err(invalid(format!("it contains {}", describe_char(c))));
    }
    if part.starts_with('.') || part.ends_with('.') {
        return Err(invalid("it starts or ends with a dot".to_string()));
    }
    if part.contains("..") {
        return Err(invalid("it has two dots in a row".to_string()));
    }
    Ok(FilterPart::Domain(part.to_lowercase()))
}

/// Splits a header value on the commas that separate addresses, that is the commas outside
/// double quotes and outside angle brackets. Works on bytes: every delimiter is ASCII, and
/// UTF-8 continuation bytes never look like one.
struct TopLevelElements<'a> {
    rest: Option<&'a str>,
}

impl<'a> TopLevelElements<'a> {
    fn new(input: &'a str) -> Self {
        TopLevelElements { rest: Some(input) }
    }
}

impl<'a> Iterator for TopLevelElements<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        let mut in_quotes = false;
        let mut escaped = false;
        let mut in_angle = false;
        for (i, byte) in rest.bytes().enumerate() {
            if escaped {
                escaped = false;
                continue;
            }
            match byte {
                b'\\' if in_quotes => escaped = true,
                b'"' if !in_angle => in_quotes = !in_quotes,
                b'<' if !in_quotes => in_angle = true,
                b'>' if !in_quotes => in_angle = false,
                b',' if !in_quotes && !in_angle => {
                    self.rest = Some(&rest[i + 1..]);
                    return Some(&rest[..i]);
                }
                _ => {}
            }
        }
        self.rest = None;
        Some(rest)
    }
}

/// Parses one trimmed, non-empty list element.
fn parse_mailbox(element: &str) -> Result<Mailbox<'_>, AddressError> {
    let Some(open) = find_unquoted_angle(element)? else {
        if !element.contains('@') {
            return Err(AddressError::NoAddress {
                element: element.to_string(),
            });
        }
        let (local, domain) = parse_addr_spec(element)?;
        return Ok(Mailbox {
            display_name: None,
            local,
            domain,
            addr_spec: element,
        });
    };
    let after_open = &element[open + 1..];
    let Some(close) = after_open.find('>') else {
        return Err(AddressError::UnclosedAngleBracket {
            element: element.to_string(),
        });
    };
    if !after_open[close + 1..].trim().is_empty() {
        return Err(AddressError::TextAfterAddress {
            element: element.to_string(),
        });
    }
    let address = after_open[..close].trim();
    if address.is_empty() {
        return Err(AddressError::EmptyAngleBrackets {
            element: element.to_string(),
        });
    }
    let (local, domain) = parse_addr_spec(address)?;
    let display_name = parse_display_name(element[..open].trim()).ok_or_else(|| {
        AddressError::ControlInDisplayName {
            element: element.to_string(),
        }
    })?;
    Ok(Mailbox {
        display_name,
        local,
        domain,
        addr_spec: address,
    })
}

/// The byte offset of the first `<` outside double quotes.
fn find_unquoted_angle(element: &str) -> Result<Option<usize>, AddressError> {
    let mut in_quotes = false;
    let mut escaped = false;
    for (i, byte) in element.bytes().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        match byte {
            b'\\' if in_quotes => escaped = true,
            b'"' => in_quotes = !in_quotes,
            b'<' if !in_quotes => return Ok(Some(i)),
            _ => {}
        }
    }
    if in_quotes {
        return Err(AddressError::UnclosedQuote {
            element: element.to_string(),
        });
    }
    Ok(None)
}

/// The display name before `<`: a quoted string is unquoted and unescaped; anything else is
/// taken as typed, since senders write `John Doe <...>` and even `john@x.com <...>`. Returns
/// `None` when the name holds a control character, which could smuggle in header lines.
fn parse_display_name(text: &str) -> Option<Option<Cow<'_, str>>> {
    if text.chars().any(char::is_control) {
        return None;
    }
    let name = match quoted_string_content(text) {
        Some(content) => unescape_quoted(content),
        None => Cow::Borrowed(text),
    };
    Some(if name.is_empty() { None } else { Some(name) })
}

/// The inside of `text` when `text` is exactly one quoted string.
fn quoted_string_content(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('"')?;
    let mut escaped = false;
    for (i, byte) in inner.bytes().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        match byte {
            b'\\' => escaped = true,
            b'"' => return (i + 1 == inner.len()).then(|| &inner[..i]),
            _ => {}
        }
    }
    None
}

fn unescape_quoted(content: &str) -> Cow<'_, str> {
    if !content.contains('\\') {
        return Cow::Borrowed(content);
    }
    let mut unescaped = String::with_capacity(content.len());
    let mut chars = content.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => unescaped.extend(chars.next()),
            c => unescaped.push(c),
        }
    }
    Cow::Owned(unescaped)
}

/// Splits and checks `local@domain`.
fn parse_addr_spec(address: &str) -> Result<(&str, &str), AddressError> {
    let owned = || address.to_string();
    let Some((local, domain)) = address.split_once('@') else {
        return Err(AddressError::MissingAt { address: owned() });
    };
    if domain.contains('@') {
        return Err(AddressError::SeveralAt { address: owned() });
    }
    if let Some((index, c)) = address
        .chars()
        .enumerate()
        .find(|&(_, c)| is_forbidden_in_address(c))
    {
        return Err(AddressError::ForbiddenCharacter {
            address: owned(),
            found: describe_char(c),
            position: index + 1,
        });
    }
    if local.is_empty() {
        return Err(AddressError::EmptyLocalPart { address: owned() });
    }
    if domain.is_empty() {
        return Err(AddressError::EmptyDomain { address: owned() });
    }
    Ok((local, domain))
}

fn is_forbidden_in_address(c: char) -> bool {
    if c.is_ascii() {
        // The hot path of bulk routing: a byte test instead of a search in a string.
        let b = c as u8;
        return b <= b' '
            || b == 0x7f
            || matches!(
                b,
                b'<' | b'>' | b'(' | b')' | b'[' | b']' | b',' | b';' | b':' | b'"' | b'\\'
            );
    }
    c.is_whitespace() || c.is_control() || FORBIDDEN_IN_ADDRESS.contains(c)
}

/// A character named so that invisible ones are still visible in an error message.
fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        c if c.is_whitespace() || c.is_control() => {
            format!("the character U+{:04X}", u32::from(c))
        }
        c => format!("'{c}'"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn single(input: &str) -> Mailbox<'_> {
        match parse_from(input) {
            Ok(ParsedFrom::Single(mailbox)) => mailbox,
            other => panic!("{input:?}: expected one address, got {other:?}"),
        }
    }

    #[test]
    fn parses_the_accepted_forms() {
        // (input, display name, local, domain)
        let cases: &[(&str, Option<&str>, &str, &str)] = &[
            (
                "\"Name\" <NaMe@DoMaIn.CoM>",
                Some("Name"),
                "NaMe",
                "DoMaIn.CoM",
            ),
            ("Name <a@b.com>", Some("Name"), "a", "b.com"),
            (
                "John Doe <john@example.com>",
                Some("John Doe"),
                "john",
                "example.com",
            ),
            ("  bare@example.com  ", None, "bare", "example.com"),
            ("<angle@example.com>", None, "angle", "example.com"),
            ("\"\" <empty@example.com>", None, "empty", "example.com"),
            ("\"a@b.com\" <c@d.com>", Some("a@b.com"), "c", "d.com"),
            ("a@b.com <c@d.com>", Some("a@b.com"), "c", "d.com"),
            ("\"Doe, John\" <j@x.org>", Some("Doe, John"), "j", "x.org"),
            (
                "\"Say \\\"hi\\\" \\\\\" <s@x.org>",
                Some("Say \"hi\" \\"),
                "s",
                "x.org",
            ),
            ("\"<tricky>\" <t@x.org>", Some("<tricky>"), "t", "x.org"),
            ("jösé@éxample.com", None, "jösé", "éxample.com"),
            ("test@mail.éxample.com", None, "test", "mail.éxample.com"),
            ("Élodie < e@x.org >", Some("Élodie"), "e", "x.org"),
        ];
        for &(input, name, local, domain) in cases {
            let mailbox = single(input);
            assert_eq!(mailbox.display_name.as_deref(), name, "{input:?}");
            assert_eq!(
                (mailbox.local, mailbox.domain),
                (local, domain),
                "{input:?}"
            );
        }
    }

    #[test]
    fn borrows_display_names_without_escapes() {
        let mailbox = single("\"Name\" <a@b.com>");
        assert!(matches!(mailbox.display_name, Some(Cow::Borrowed("Name"))));
    }

    #[test]
    fn refuses_values_without_a_valid_address() {
        let cases = [
            "",
            "   ",
            ",",
            "John",
            "<>",
            "a@",
            "@b",
            "John Doe",
            "\"a@b.com\"",
            "a@b@c.com",
            "John Doe john@example.com",
            "Name <a@b.com",
            "Name <a@b.com> x",
            "\"Open <a@b.com>",
            "<a b@c.com>",
            "a@b.com, John",
            "Name\r\nBcc: x@y.com <a@b.com>",
            "a@[1.2.3.4]",
            "a\u{0}b@c.com",
        ];
        for input in cases {
            assert!(parse_from(input).is_err(), "{input:?} should be refused");
        }
    }

    #[test]
    fn error_messages_name_the_problem_and_the_fix() {
        let message = parse_from("John Doe").unwrap_err().to_string();
        assert!(
            message.contains("no email address in \"John Doe\""),
            "{message}"
        );
        assert!(message.contains("John Doe <name@example.com>"), "{message}");
        let message = parse_from("a@").unwrap_err().to_string();
        assert!(message.contains("nothing after the '@'"), "{message}");
        let message = parse_from("a b@c.com").unwrap_err().to_string();
        assert!(message.contains("a space at position 2"), "{message}");
    }

    #[test]
    fn lists_give_several_and_commas_in_quotes_or_brackets_do_not_split() {
        match parse_from("\"Doe, John\" <j@x.org>, b@y.org,") {
            Ok(ParsedFrom::Several(list)) => {
                let bare: Vec<_> = list.iter().map(Mailbox::bare).collect();
                assert_eq!(bare, ["j@x.org", "b@y.org"]);
            }
            other => panic!("expected two addresses, got {other:?}"),
        }
        assert!(parse_from("<a,b@c.com>").is_err());
    }

    #[test]
    fn normalizes() {
        let cases = [
            ("\"Name\" <NaMe@DoMaIn.CoM>", Some("name@domain.com")),
            ("ÉLodie@Example.COM", Some("ÉLodie@example.com")),
            ("Test@MAIL.ÉXAMPLE.COM", Some("test@mail.éxample.com")),
            ("\"a@b.com\" <C@D.com>", Some("c@d.com")),
            ("a@b.com, c@d.com", None),
            ("John", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize(input).as_deref(), expected, "{input:?}");
        }
    }

    #[test]
    fn bare_keeps_the_address_as_given() {
        assert_eq!(single("\"N\" <NaMe@DoMaIn.CoM>").bare(), "NaMe@DoMaIn.CoM");
    }

    #[test]
    fn name_for_rewrite_falls_back_to_the_local_part() {
        let cases = [
            ("\"Name\" <test@x.org>", "Name"),
            ("test@x.org", "test"),
            ("\"\" <test@x.org>", "test"),
            ("\"  \" <test@x.org>", "test"),
        ];
        for (input, expected) in cases {
            assert_eq!(single(input).name_for_rewrite(), expected, "{input:?}");
        }
    }

    #[test]
    fn quotes_display_names() {
        let cases = [
            ("Name", "\"Name\""),
            ("", "\"\""),
            ("Say \"hi\"", "\"Say \\\"hi\\\"\""),
            ("back\\slash", "\"back\\\\slash\""),
            ("line\r\nbreak", "\"line  break\""),
        ];
        for (name, expected) in cases {
            assert_eq!(quote_display_name(name), expected, "{name:?}");
        }
    }

    #[test]
    fn envelope_addresses() {
        assert_eq!(
            envelope_address("Bounce", "Example.com").as_deref(),
            Ok("Bounce@example.com")
        );
        assert_eq!(
            envelope_address("test", "mail.éxample.com").as_deref(),
            Ok("test@mail.xn--xample-9ua.com")
        );
        assert!(matches!(
            envelope_address("jösé", "example.com"),
            Err(EnvelopeError::NonAsciiLocalPart { .. })
        ));
        assert!(envelope_address("", "example.com").is_err());
        assert!(envelope_address("a b", "example.com").is_err());
        assert!(envelope_address("a", "").is_err());
        assert!(matches!(
            envelope_address("a", "exa mple.com"),
            Err(EnvelopeError::ForbiddenCharacter { part: "domain", .. })
        ));
        assert!(matches!(
            envelope_address("a", "xn--a.com"),
            Err(EnvelopeError::Idna { .. })
        ));
    }

    #[test]
    fn domain_of_takes_the_text_after_the_last_at() {
        assert_eq!(domain_of("a@b.com"), "b.com");
        assert_eq!(domain_of("a@b@c"), "c");
        assert_eq!(domain_of("nothing"), "");
    }

    #[test]
    fn filter_matching_follows_the_rules() {
        let sender = Some("admin@mail.example.com");
        let cases = [
            ("mail.EXAMPLE.com", true),
            ("mmail.example.com", false),
            ("mail.éxample.com", false),
            ("example.com", false),
            ("test@mail.example.com", false),
            ("Admin@Mail.Example.COM", true),
            ("other.org, mail.example.com", true),
            ("\"Admin\" <ADMIN@mail.example.com>", true),
            ("", true),
            (" , ,", true),
        ];
        for (filter, expected) in cases {
            let parsed = FromFilter::parse(filter).unwrap();
            assert_eq!(parsed.matches(sender), expected, "{filter:?}");
        }
    }

    #[test]
    fn only_the_empty_filter_matches_no_sender() {
        assert!(FromFilter::empty().matches(None));
        assert!(FromFilter::parse("").unwrap().is_empty());
        assert!(!FromFilter::parse("example.com").unwrap().matches(None));
    }

    #[test]
    fn filters_keep_parts_in_order_in_canonical_form() {
        let filter = FromFilter::parse(" Example.COM ,, \"N\" <Me@Example.com>,Élan.FR ").unwrap();
        assert_eq!(
            filter.parts(),
            [
                FilterPart::Domain("example.com".into()),
                FilterPart::Address("me@example.com".into()),
                FilterPart::Domain("élan.fr".into()),
            ]
        );
        assert_eq!(filter.as_str(), "example.com, me@example.com, élan.fr");
        assert_eq!(filter.to_string(), filter.as_str());
    }

    #[test]
    fn refuses_bad_filter_parts() {
        let cases = [
            ("*.example.com", "wildcards are not supported"),
            ("example.com, *@x.org", "wildcards are not supported"),
            ("john@", "not a valid address"),
            ("a@b.com c@d.com", "not a valid address"),
            ("exa mple.com", "a space"),
            (".example.com", "dot"),
            ("example.com.", "dot"),
            ("example..com", "two dots"),
            ("<example.com>", "'<'"),
        ];
        for (text, expected) in cases {
            let message = FromFilter::parse(text).unwrap_err().to_string();
            assert!(message.contains(expected), "{text:?}: {message}");
        }
    }

    proptest! {
        #[test]
        fn parse_from_never_panics(input in any::<String>()) {
            let _ = parse_from(&input);
            let _ = normalize(&input);
        }

        #[test]
        fn parse_from_never_panics_on_delimiter_soup(input in "[a-zA-Z @<>\",\\\\.é\u{1F600}\r\n]{0,40}") {
            if let Ok(parsed) = parse_from(&input) {
                for mailbox in parsed.mailboxes() {
                    prop_assert!(!mailbox.local.is_empty() && !mailbox.domain.is_empty());
                }
            }
        }

        #[test]
        fn filter_and_envelope_never_panic(input in any::<String>(), other in any::<String>()) {
            let _ = FromFilter::parse(&input);
            let _ = envelope_address(&input, &other);
        }

        #[test]
        fn quoted_names_round_trip(
            name in "[^\\p{Cc}]{0,20}",
            local in "[a-zA-Z0-9._+é-]{1,12}",
            domain in "[a-zA-Z0-9.é-]{1,12}",
        ) {
            let header = format!("{} <{local}@{domain}>", quote_display_name(&name));
            let mailbox = single(&header);
            let expected = (!name.is_empty()).then_some(name.as_str());
            prop_assert_eq!(mailbox.display_name.as_deref(), expected);
            prop_assert_eq!(mailbox.local, local.as_str());
            prop_assert_eq!(mailbox.domain, domain.as_str());
        }

        #[test]
        fn normalizing_is_idempotent(input in "[a-zA-ZÉé\" <>@.]{0,30}") {
            if let Some(normalized) = normalize(&input) {
                prop_assert_eq!(normalize(&normalized), Some(normalized.clone()));
            }
        }

        #[test]
        fn canonical_filter_text_parses_to_the_same_filter(input in "[a-zA-ZÉ@., ]{0,30}") {
            if let Ok(filter) = FromFilter::parse(&input) {
                prop_assert_eq!(FromFilter::parse(filter.as_str()), Ok(filter));
            }
        }
    }
}
