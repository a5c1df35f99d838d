//! 年度统计 over a large database: prints how long the year's figures take in-process (release build, warm cache;
//! target 200 ms over 100,000 applications). `cargo xtask bench` runs it on the 100,000-application database it
//! imports, once every result there is published; by hand:
//! `SKILLCERT_BENCH_DB=path/to.db cargo bench -p skillcert-core --bench statistics`.

use std::time::Instant;

use skillcert_core::Store;
use skillcert_core::ops::Session;
use skillcert_core::ops::statistics::year_statistics;

fn main() {
    let Some(path) = std::env::var_os("SKILLCERT_BENCH_DB") else {
        eprintln!(
            "statistics bench: set SKILLCERT_BENCH_DB to a database with many applications (cargo xtask bench does)"
        );
        return;
    };
    let keys = skillcert_core::encryption::Keys::system().expect("keys");
    let store = Store::open_existing(std::path::Path::new(&path), &keys).expect("open the bench database");
    let session = Session::new("bench");
    let mut times = Vec::new();
    let mut stats = None;
    for _ in 0..7 {
        let started = Instant::now();
        stats = Some(year_statistics(&store, &session, 2026).expect("statistics"));
        times.push(started.elapsed());
    }
    times.sort();
    let stats = stats.expect("seven runs");
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    println!(
        "statistics bench: {} applications ({} sat, {} passed, {} lines by occupation/level/month/source)  median {:.1} ms  max {:.1} ms (target 200 ms)",
        stats.total.applied,
        stats.total.sat,
        stats.total.passed,
        stats.by_occupation.len() + stats.by_level.len() + stats.by_month.len() + stats.by_source.len(),
        ms(times[times.len() / 2]),
        ms(*times.last().expect("seven runs"))
    );
}
