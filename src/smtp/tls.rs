//! TLS for SMTP: which certificates are trusted, and what the handshake showed.
//!
//! Certificates are verified against the system roots, plus a CA file a server record names.
//! Verification is off only when the record says `--insecure`; the caller warns about it.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use serde::Serialize;

use super::{FailureClass, SmtpError, Stage};

/// How to trust a server's certificate.
#[derive(Debug, Clone, Default)]
pub struct TlsSettings {
    pub ca_file: Option<String>,
    pub insecure: bool,
    /// A client certificate and its key (PEM files), presented when the server asks.
    pub client_cert: Option<(String, String)>,
}

/// What the TLS handshake negotiated and what the server's certificate says.
#[derive(Debug, Clone, Serialize)]
pub struct TlsInfo {
    pub protocol: String,
    pub cipher: String,
    pub subject: Option<String>,
    pub subject_alt_names: Vec<String>,
    pub issuer: Option<String>,
    pub expires_in_days: Option<i64>,
    pub verified: bool,
}

impl TlsSettings {
    /// The TLS settings a server record asks for.
    pub fn of(server: &crate::model::Server) -> TlsSettings {
        TlsSettings {
            ca_file: server.ca_file.clone(),
            insecure: server.insecure,
            client_cert: server.client_cert.clone().zip(server.client_key.clone()),
        }
    }
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The client configuration for these settings.
pub fn client_config(settings: &TlsSettings, stage: Stage) -> Result<Arc<ClientConfig>, SmtpError> {
    let builder = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| SmtpError::new(stage, FailureClass::Tls, format!("TLS set-up: {e}")))?;
    let builder = if settings.insecure {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnything(provider())))
    } else {
        let mut roots = RootCertStore::empty();
        // Unreadable system certificates are skipped: the ones that load still count.
        let native = rustls_native_certs::load_native_certs();
        roots.add_parsable_certificates(native.certs);
        if let Some(path) = &settings.ca_file {
            let certs = read_certificates(path, "CA file", stage)?;
            roots.add_parsable_certificates(certs);
        }
        builder.with_root_certificates(roots)
    };
    let config = match &settings.client_cert {
        None => builder.with_no_client_auth(),
        Some((cert, key)) => {
            let chain = read_certificates(cert, "client certificate", stage)?;
            let key = PrivateKeyDer::from_pem_file(key).map_err(|e| {
                SmtpError::new(
                    stage,
                    FailureClass::Config,
                    format!("cannot read the client key {key}: {e}; give its PEM file with --client-key"),
                )
            })?;
            builder.with_client_auth_cert(chain, key).map_err(|e| {
                SmtpError::new(
                    stage,
                    FailureClass::Config,
                    format!("the client certificate and key do not fit: {e}"),
                )
            })?
        }
    };
    Ok(Arc::new(config))
}

fn read_certificates(
    path: &str,
    what: &str,
    stage: Stage,
) -> Result<Vec<CertificateDer<'static>>, SmtpError> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
        .and_then(|iter| iter.collect::<Result<_, _>>())
        .map_err(|e| {
            SmtpError::new(
                stage,
                FailureClass::Config,
                format!("cannot read the {what} {path}: {e}"),
            )
        })?;
    if certs.is_empty() {
        return Err(SmtpError::new(
            stage,
            FailureClass::Config,
            format!("the {what} {path} holds no PEM certificate"),
        ));
    }
    Ok(certs)
}

pub fn server_name(host: &str, stage: Stage) -> Result<ServerName<'static>, SmtpError> {
    ServerName::try_from(host.to_string()).map_err(|_| {
        SmtpError::new(
            stage,
            FailureClass::Config,
            format!("'{host}' is not a valid TLS server name"),
        )
    })
}

/// Reads what a finished handshake negotiated.
pub fn info(connection: &rustls::ClientConnection, verified: bool) -> TlsInfo {
    let protocol = connection
        .protocol_version()
        .map(|v| format!("{v:?}").replace('_', "."))
        .unwrap_or_default();
    let cipher = connection
        .negotiated_cipher_suite()
        .map(|c| format!("{:?}", c.suite()))
        .unwrap_or_default();
    let mut info = TlsInfo {
        protocol,
        cipher,
        subject: None,
        subject_alt_names: Vec::new(),
        issuer: None,
        expires_in_days: None,
        verified,
    };
    if let Some(cert) = connection.peer_certificates().and_then(|c| c.first()) {
        if let Ok((_, parsed)) = x509_parser::parse_x509_certificate(cert.as_ref()) {
            info.subject = Some(parsed.subject().to_string());
            info.issuer = Some(parsed.issuer().to_string());
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0);
            info.expires_in_days = Some((parsed.validity().not_after.timestamp() - now) / 86_400);
            if let Ok(Some(san)) = parsed.subject_alternative_name() {
                info.subject_alt_names = san
                    .value
                    .general_names
                    .iter()
                    .map(|name| match name {
                        x509_parser::extensions::GeneralName::DNSName(d) => format!("DNS:{d}"),
                        x509_parser::extensions::GeneralName::IPAddress(ip) => match ip.len() {
                            4 => format!(
                                "IP:{}",
                                std::net::Ipv4Addr::new(ip[0], ip[1], ip[2], ip[3])
                            ),
                            16 => {
                                let mut octets = [0u8; 16];
                                octets.copy_from_slice(ip);
                                format!("IP:{}", std::net::Ipv6Addr::from(octets))
                            }
                            _ => "IP:?".to_string(),
                        },
                        other => other.to_string(),
                    })
                    .collect();
            }
        }
    }
    info
}

/// Turns a rustls failure into a message that says what to try.
pub fn handshake_error(error: &std::io::Error, host: &str, port: u16, stage: Stage) -> SmtpError {
    let inner = error
        .get_ref()
        .and_then(|e| e.downcast_ref::<rustls::Error>());
    let message = match inner {
        Some(rustls::Error::InvalidCertificate(cert)) => {
            use rustls::CertificateError as C;
            match cert {
                C::UnknownIssuer | C::BadSignature => format!(
                    "the certificate of {host} is not trusted (unknown issuer or self-signed): if the server uses a private CA, trust it with `--ca-file CA.pem`"
                ),
                C::NotValidForName | C::NotValidForNameContext { .. } => format!(
                    "the certificate is not valid for the host name {host}: connect with the name on the certificate"
                ),
                C::Expired | C::ExpiredContext { .. } => {
                    format!("the certificate of {host} has expired")
                }
                // Any other failure to build a path to a trusted root (an unusable signature
                // on the way, a revoked or malformed certificate) also means: not trusted.
                other => format!(
                    "the certificate of {host} is not trusted ({other:?}): if the server uses a private CA, trust it with `--ca-file CA.pem`"
                ),
            }
        }
        Some(rustls::Error::InvalidMessage(_)) | Some(rustls::Error::InappropriateMessage { .. }) => {
            format!(
                "{host}:{port} did not answer TLS: it may expect plain SMTP (use --security starttls, or none)"
            )
        }
        Some(other) => format!("TLS handshake with {host}:{port} failed: {other}"),
        None if error.kind() == std::io::ErrorKind::UnexpectedEof => format!(
            "{host}:{port} closed the connection during the TLS handshake: it may expect plain SMTP (use --security starttls, or none)"
        ),
        None if matches!(error.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
            return SmtpError::new(
                stage,
                FailureClass::Timeout,
                format!("no TLS answer from {host}:{port} in time: it may expect plain SMTP (use --security starttls, or none)"),
            )
        }
        None => format!("TLS handshake with {host}:{port} failed: {error}"),
    };
    SmtpError::new(stage, FailureClass::Tls, message)
}

/// The verifier behind `--insecure`: accepts any certificate, still checks signatures of the
/// handshake itself so that the connection works.
#[derive(Debug)]
struct AcceptAnything(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for AcceptAnything {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
