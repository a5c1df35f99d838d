//! The application table's queries over a large database: prints how long each takes (release build, warm cache).
//! `cargo xtask bench` runs it on the 100,000-application database it imports; by hand:
//! `SKILLCERT_BENCH_DB=path/to.db cargo bench -p skillcert-core --bench search`.

use std::time::{Duration, Instant};

use skillcert_core::Store;
use skillcert_core::domain::status::ApplicationStatus;
use skillcert_core::ops::applications::search_applications;
use skillcert_core::rows::{ApplicationQuery, SortKey};

fn main() {
    let Some(path) = std::env::var_os("SKILLCERT_BENCH_DB") else {
        eprintln!("search bench: set SKILLCERT_BENCH_DB to a database with many applications (cargo xtask bench does)");
        return;
    };
    let store =
        Store::open_existing(std::path::Path::new(&path), &skillcert_core::encryption::Keys::system().expect("keys"))
            .expect("open the bench database");
    let total = search_applications(&store, &ApplicationQuery::default()).expect("count").total;
    let some_row = search_applications(&store, &ApplicationQuery { page: 777, ..Default::default() }).expect("page");
    let sample = &some_row.rows[0].application;
    let name_part: String = sample.name.chars().skip(1).collect();
    let id_part = sample.id_number[6..14].to_string();
    let cases: Vec<(&str, ApplicationQuery)> = vec![
        ("first page, submission order", ApplicationQuery::default()),
        ("page 1000 (offset 49,950)", ApplicationQuery { page: 1000, ..Default::default() }),
        (
            "sorted by name, descending",
            ApplicationQuery { sort: SortKey::Name, descending: true, ..Default::default() },
        ),
        (
            "filtered by status 待处理",
            ApplicationQuery { status: Some(ApplicationStatus::Pending), ..Default::default() },
        ),
        ("search by part of a name", ApplicationQuery { search: Some(name_part.clone()), ..Default::default() }),
        ("search by 8 digits of an ID", ApplicationQuery { search: Some(id_part.clone()), ..Default::default() }),
        (
            "search by name, sorted by ID",
            ApplicationQuery { search: Some(name_part), sort: SortKey::IdNumber, ..Default::default() },
        ),
        ("without photo", ApplicationQuery { without_photo: true, ..Default::default() }),
    ];
    println!("search bench: {total} applications");
    for (what, query) in cases {
        let mut times = Vec::new();
        let mut found = 0;
        for _ in 0..7 {
            let started = Instant::now();
            found = search_applications(&store, &query).expect("search").total;
            times.push(started.elapsed());
        }
        times.sort();
        println!(
            "search bench: {what:<32} {found:>7} rows  median {:>6.1} ms  max {:>6.1} ms (target 100 ms)",
            ms(times[times.len() / 2]),
            ms(*times.last().unwrap())
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
