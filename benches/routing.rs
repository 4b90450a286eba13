//! In-process routing throughput: `cargo bench --bench routing`.
//!
//! Measures `decide()` alone and `decide()` plus JSON serialisation, for 10, 1,000 and 10,000
//! servers, on one thread. The end-to-end figures (process, stdin, stdout) come from
//! `bench/route.sh`. No harness dependency: a warm-up, then the best of five timed rounds.

#[path = "../bench/workload.rs"]
mod workload;

use std::hint::black_box;
use std::time::Instant;

use mailroute::address::FromFilter;
use mailroute::model::AliasDomain;
use mailroute::routing::{decide, Request, RouteServer, Snapshot};

const SENDERS: usize = 200_000;

fn snapshot(servers: usize) -> Snapshot {
    let domains = workload::domains()
        .into_iter()
        .enumerate()
        .map(|(i, d)| AliasDomain {
            id: i as i64 + 1,
            name: d.name,
            bounce: d.bounce,
            catchall: d.catchall,
            default_from: d.default_from,
            priority: d.priority,
        })
        .collect();
    let servers = (0..servers)
        .map(|i| RouteServer {
            name: format!("srv{i}"),
            priority: (i % 13) as i64,
            enabled: i % 17 != 5,
            from_filter: FromFilter::parse(&workload::server_filter(i)).unwrap(),
            unreachable: None,
        })
        .collect();
    Snapshot::new(domains, vec![], servers, &workload::settings()).unwrap()
}

fn best_of<F: FnMut() -> usize>(rounds: usize, mut f: F) -> f64 {
    f();
    (0..rounds)
        .map(|_| {
            let start = Instant::now();
            let n = f();
            n as f64 / start.elapsed().as_secs_f64()
        })
        .fold(0.0, f64::max)
}

fn main() {
    println!(
        "{:>8}  {:>16}  {:>16}",
        "servers", "decide/s", "decide+json/s (no detail)"
    );
    for servers in [10, 1_000, 10_000] {
        let snapshot = snapshot(servers);
        let mut rng = workload::Rng::new(42);
        let senders: Vec<String> = (0..SENDERS)
            .map(|_| workload::sender(&mut rng, servers))
            .collect();
        let decide_rate = best_of(5, || {
            for from in &senders {
                let request = Request {
                    from: Some(from),
                    ..Request::default()
                };
                black_box(decide(&snapshot, &request).unwrap());
            }
            senders.len()
        });
        let mut buffer = Vec::with_capacity(1 << 20);
        let mut scratch = String::new();
        let json_rate = best_of(5, || {
            for from in &senders {
                let request = Request {
                    from: Some(from),
                    ..Request::default()
                };
                let decision = decide(&snapshot, &request).unwrap();
                buffer.clear();
                mailroute::routing::write_decision(&decision, false, &mut buffer, &mut scratch);
                black_box(&buffer);
            }
            senders.len()
        });
        println!("{servers:>8}  {decide_rate:>16.0}  {json_rate:>16.0}");
    }
}
