//! Test certificates, made fresh with rcgen into a temporary directory:
//!
//! | file | what |
//! | --- | --- |
//! | `ca.pem` (+ `ca-key.pem`) | a test CA ("mailroute test CA") |
//! | `server.pem`, `server-key.pem` | for `localhost` and IP 127.0.0.1, signed by the CA |
//! | `self-signed.pem`, `self-signed-key.pem` | for `localhost` and 127.0.0.1, self-signed (no CA) |
//! | `wrong-host.pem`, `wrong-host-key.pem` | for `wrong.example` only, signed by the CA |
//!
//! All are valid from yesterday to 30 days ahead. Keys are ECDSA P-256 (rcgen's default), PEM
//! PKCS#8. The files live as long as the `Certs` value; a server that loaded them at start-up
//! (like `tests/smtp_server.py`) does not need them afterwards.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};

/// A certificate file and its private key file, as a server loads them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerCert {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// The generated files; see the module doc.
pub struct Certs {
    dir: tempfile::TempDir,
}

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

impl Certs {
    /// Generates all the certificates into a new temporary directory. Panics on failure.
    pub fn generate() -> Certs {
        let dir = tempfile::Builder::new()
            .prefix("mailroute-certs-")
            .tempdir()
            .expect("create a temporary directory for test certificates");
        let write = |name: &str, text: &str| {
            std::fs::write(dir.path().join(name), text)
                .unwrap_or_else(|e| panic!("write test certificate {name}: {e}"))
        };

        // rcgen hands out time's OffsetDateTime; build "now" from std without naming `time`.
        let since_epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock after 1970");
        let now = date_time_ymd(1970, 1, 1) + Duration::from_secs(since_epoch.as_secs());
        let (not_before, not_after) = (now - DAY, now + 30 * DAY);

        // The CA.
        let ca_key = KeyPair::generate().expect("generate CA key");
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "mailroute test CA");
        ca_params
            .distinguished_name
            .push(DnType::OrganizationName, "mailroute tests");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        ca_params.not_before = not_before;
        ca_params.not_after = not_after;
        let ca_cert = ca_params
            .self_signed(&ca_key)
            .expect("self-sign the test CA");
        write("ca.pem", &ca_cert.pem());
        write("ca-key.pem", &ca_key.serialize_pem());
        let issuer = Issuer::new(ca_params, ca_key);

        let leaf_params = |names: &[&str], common_name: &str| {
            let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
            let mut params = CertificateParams::new(names).expect("leaf params");
            params
                .distinguished_name
                .push(DnType::CommonName, common_name);
            params.is_ca = IsCa::ExplicitNoCa;
            params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
            params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
            params.use_authority_key_identifier_extension = true;
            params.not_before = not_before;
            params.not_after = not_after;
            params
        };

        let key = KeyPair::generate().expect("generate server key");
        let cert = leaf_params(&["localhost", "127.0.0.1"], "localhost")
            .signed_by(&key, &issuer)
            .expect("sign server certificate");
        write("server.pem", &cert.pem());
        write("server-key.pem", &key.serialize_pem());

        let key = KeyPair::generate().expect("generate self-signed key");
        let mut params = leaf_params(&["localhost", "127.0.0.1"], "localhost");
        params.use_authority_key_identifier_extension = false;
        let cert = params.self_signed(&key).expect("self-sign certificate");
        write("self-signed.pem", &cert.pem());
        write("self-signed-key.pem", &key.serialize_pem());

        let key = KeyPair::generate().expect("generate wrong-host key");
        let cert = leaf_params(&["wrong.example"], "wrong.example")
            .signed_by(&key, &issuer)
            .expect("sign wrong-host certificate");
        write("wrong-host.pem", &cert.pem());
        write("wrong-host-key.pem", &key.serialize_pem());

        // A client certificate, for servers that authenticate clients by certificate.
        let key = KeyPair::generate().expect("generate client key");
        let mut params = leaf_params(&["client.example"], "mailroute test client");
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let cert = params
            .signed_by(&key, &issuer)
            .expect("sign client certificate");
        write("client.pem", &cert.pem());
        write("client-key.pem", &key.serialize_pem());

        Certs { dir }
    }

    /// A CA-signed client certificate (extended key usage: client authentication).
    pub fn client(&self) -> ServerCert {
        ServerCert {
            cert: self.dir.path().join("client.pem"),
            key: self.dir.path().join("client-key.pem"),
        }
    }

    /// The directory holding all the files.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The test CA's certificate (PEM): what a client should trust.
    pub fn ca_pem(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// The test CA's private key (PEM), should a test need to sign more.
    pub fn ca_key_pem(&self) -> PathBuf {
        self.dir.path().join("ca-key.pem")
    }

    /// CA-signed, for `localhost` and 127.0.0.1: the certificate that verifies.
    pub fn server(&self) -> ServerCert {
        self.pair("server")
    }

    /// Self-signed, for `localhost` and 127.0.0.1: fails verification against the CA.
    pub fn self_signed(&self) -> ServerCert {
        self.pair("self-signed")
    }

    /// CA-signed but for `wrong.example` only: fails host name verification.
    pub fn wrong_host(&self) -> ServerCert {
        self.pair("wrong-host")
    }

    fn pair(&self, stem: &str) -> ServerCert {
        ServerCert {
            cert: self.dir.path().join(format!("{stem}.pem")),
            key: self.dir.path().join(format!("{stem}-key.pem")),
        }
    }
}
