//! The benchmark workload, shared by `benches/routing.rs` (in-process) and the `bench-store`
//! example (a real store for `bench/route.sh`): N servers with mixed address and domain filters,
//! 1,000 alias domains, and a deterministic stream of senders that hits every routing rule.

#![allow(dead_code)]

use mailroute::model::Settings;
use mailroute::store::NewDomain;

pub const DOMAINS: usize = 1_000;

/// A small deterministic generator (xorshift), so runs are comparable.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

pub fn domains() -> Vec<NewDomain> {
    (0..DOMAINS)
        .map(|i| NewDomain {
            name: format!("d{i}.example"),
            bounce: Some("bounce".into()),
            catchall: Some("catchall".into()),
            default_from: Some("notifications".into()),
            priority: (i % 7) as i64,
        })
        .collect()
}

/// Server `i`: even ones filter on a domain, odd ones on one address; every tenth has two parts.
pub fn server_filter(i: usize) -> String {
    let domain = format!("s{}.example", i / 2);
    let mut filter = if i.is_multiple_of(2) {
        domain
    } else {
        format!("user{i}@{domain}")
    };
    if i % 10 == 3 {
        filter.push_str(&format!(", d{}.example", i % DOMAINS));
    }
    filter
}

/// One sender: a mix of address hits, domain hits, unknown senders and display names.
pub fn sender(rng: &mut Rng, servers: usize) -> String {
    let i = rng.below(servers.max(1));
    match rng.below(5) {
        0 => format!("user{}@s{}.example", i | 1, i / 2),
        1 => format!("\"Person {i}\" <someone{i}@s{}.example>", i / 2),
        2 => format!("Name <x{i}@unknown{}.test>", rng.below(1000)),
        3 => format!("nobody{i}@elsewhere.test"),
        _ => format!("user{i}@d{}.example", rng.below(DOMAINS)),
    }
}

pub fn settings() -> Settings {
    Settings {
        email_from: Some("robot@example.com".into()),
        ..Settings::default()
    }
}
