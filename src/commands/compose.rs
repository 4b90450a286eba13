//! From what a user wants to send to a message ready for SMTP: routed, built, with its envelope
//! recipients. Shared by `send` (which delivers it at once) and the outbox (which stores it).

use std::path::{Path, PathBuf};

use crate::address;
use crate::error::{Error, Result};
use crate::message::{self, Attachment, Draft, Raw};
use crate::routing::Decision;

/// The parts of a message that do not come from routing.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub bcc: Vec<String>,
    pub subject: Option<String>,
    pub text: Option<String>,
    pub html: Option<String>,
    pub attachments: Vec<Attachment>,
}

/// A message as it goes to the server.
#[derive(Debug, Clone)]
pub struct Composed {
    pub bytes: Vec<u8>,
    pub message_id: Option<String>,
    pub recipients: Vec<String>,
}

pub fn read_file(path: &Path, what: &str) -> Result<Vec<u8>> {
    std::fs::read(path)
        .map_err(|e| Error::bad_input(format!("cannot read the {what} {}: {e}", path.display())))
}

pub fn text_file(path: &Path, what: &str) -> Result<String> {
    String::from_utf8(read_file(path, what)?)
        .map_err(|_| Error::bad_input(format!("the {what} {} is not UTF-8 text", path.display())))
}

pub fn attachments(paths: &[PathBuf]) -> Result<Vec<Attachment>> {
    paths
        .iter()
        .map(|path| {
            Ok(Attachment {
                filename: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "attachment".into()),
                content_type: None,
                content: read_file(path, "attachment")?,
            })
        })
        .collect()
}

/// Recipient arguments as RCPT addresses: bare, with IDNA domains, without duplicates.
pub fn envelope_recipients(list: &[String]) -> Result<Vec<String>> {
    let mut recipients = Vec::new();
    for text in list {
        let parsed =
            address::parse_from(text).map_err(|e| Error::bad_input(format!("recipient: {e}")))?;
        for mailbox in parsed.mailboxes() {
            let bare = address::envelope_address(mailbox.local, mailbox.domain)
                .map_err(|e| Error::bad_input(format!("recipient {}: {e}", mailbox.addr_spec)))?;
            if !recipients.contains(&bare) {
                recipients.push(bare);
            }
        }
    }
    Ok(recipients)
}

/// Builds a new message with the decision's From and Reply-To, its Message-ID on the sending
/// domain.
pub fn compose(decision: &Decision<'_>, content: Content) -> Result<Composed> {
    for recipient in content.to.iter().chain(&content.cc).chain(&content.bcc) {
        address::parse_from(recipient).map_err(|e| Error::bad_input(format!("recipient: {e}")))?;
    }
    let domain = decision
        .envelope_from
        .rsplit('@')
        .next()
        .unwrap_or("localhost")
        .to_string();
    let draft = Draft {
        header_from: decision.header_from.to_string(),
        reply_to: Some(decision.reply_to.to_string()),
        to: content.to,
        cc: content.cc,
        bcc: content.bcc,
        subject: content.subject,
        text: content.text,
        html: content.html,
        attachments: content.attachments,
        message_id_domain: domain,
    };
    let built = message::build(&draft).map_err(|e| Error::bad_input(e.to_string()))?;
    Ok(Composed {
        bytes: built.bytes,
        message_id: Some(built.message_id),
        recipients: built.recipients,
    })
}

/// A complete message given as is: its From rewritten when routing rewrites it, Bcc removed,
/// recipients from its headers unless `to` names them.
pub fn compose_raw(decision: &Decision<'_>, raw: &Raw, to: &[String]) -> Result<Composed> {
    let recipients = if to.is_empty() {
        raw.recipients.clone()
    } else {
        envelope_recipients(to)?
    };
    if recipients.is_empty() {
        return Err(Error::bad_input(
            "no recipient: the message has no To, Cc or Bcc, and no --to was given",
        ));
    }
    let (new_from, reply_to) = if decision.rewritten {
        (
            Some(decision.header_from.as_ref()),
            Some(decision.reply_to.as_ref()),
        )
    } else {
        (None, None)
    };
    let bytes = message::rewrite_raw(raw, new_from, reply_to)
        .map_err(|e| Error::bad_input(e.to_string()))?;
    Ok(Composed {
        bytes,
        message_id: raw.message_id.clone(),
        recipients,
    })
}
