//! Sign-ins under load against the real portal binary on loopback (`cargo xtask bench`; figures printed, never
//! asserted): 200 candidates with chosen passwords sign in one at a time, then all at once, while the home page is
//! loaded over and over; prints both rates, their ratio, the home page's p50/p95 during the burst and any failure.
//! The same on an SQLite file, on a PostgreSQL database (a throwaway cluster), and with two portal processes on one
//! PostgreSQL database taking the requests in turn.

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

const PEOPLE: usize = 200;
const PASSWORD: &str = "Bench2026pw";

struct Portal(Child);

impl Drop for Portal {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().max_redirects(0).http_status_as_error(false).build().into()
}

/// The form cookie and CSRF token of a form page.
fn form(agent: &ureq::Agent, url: &str) -> (String, String) {
    let mut page = agent.get(url).call().expect("form page");
    let cookie = page.headers().get("set-cookie").expect("form cookie").to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_string();
    let body = page.body_mut().read_to_string().unwrap();
    let start = body.find("name=\"csrf\" value=\"").expect("csrf field") + 19;
    (cookie, body[start..start + 64].to_string())
}

/// One sign-in as a browser does it (the form, then the post); true when it ends signed in.
fn sign_in(base: &str, id_number: &str) -> bool {
    sign_in_with(base, id_number, PASSWORD).0
}

/// A sign-in with this password: whether it ended signed in, and how long the post took.
fn sign_in_with(base: &str, id_number: &str, password: &str) -> (bool, Duration) {
    let agent = agent();
    let (cookie, csrf) = form(&agent, &format!("{base}/login"));
    let started = Instant::now();
    let response = agent
        .post(&format!("{base}/login"))
        .header("Cookie", &cookie)
        .send_form([("csrf", csrf.as_str()), ("id_number", id_number), ("password", password)])
        .expect("login post");
    let ok = response.status() == 303 && response.headers().get("location").is_some_and(|l| l == "/my/applications");
    (ok, started.elapsed())
}

fn register(base: &str, name: &str, id_number: &str) {
    let agent = agent();
    let (cookie, csrf) = form(&agent, &format!("{base}/register"));
    let response = agent
        .post(&format!("{base}/register"))
        .header("Cookie", &cookie)
        .send_form([
            ("csrf", csrf.as_str()),
            ("id_type", "居民身份证"),
            ("id_number", id_number),
            ("name", name),
            ("phone", "13812345678"),
            ("password", PASSWORD),
            ("password_again", PASSWORD),
        ])
        .expect("register post");
    let status = response.status();
    if status != 303 {
        let body = response.into_body().read_to_string().unwrap_or_default();
        let problem = body.find("class=\"error\"").map(|i| &body[i..(i + 300).min(body.len())]).unwrap_or(&body);
        panic!("registering {id_number}: {status} {problem}");
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("portal.db").display().to_string();
    scenario("an SQLite file, one portal process", &file, 1);
    let server = skillcert_core::throwaway_postgres::fresh_database("signin");
    scenario("PostgreSQL, one portal process", &server, 1);
    let shared = skillcert_core::throwaway_postgres::fresh_database("signin_two");
    scenario("PostgreSQL, two portal processes on one database", &shared, 2);
}

/// Starts a portal on `db` (the demo's plans with `demo`) and waits until it listens; its address.
fn start_portal(db: &str, demo: bool) -> (Portal, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_skillcert-portal"));
    cmd.args(["--db", db, "--listen", &format!("127.0.0.1:{port}")]);
    if demo {
        cmd.arg("--demo");
    }
    let portal = Portal(cmd.stdout(Stdio::null()).spawn().expect("start the portal"));
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the portal did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    (portal, format!("http://127.0.0.1:{port}"))
}

fn scenario(label: &str, db: &str, processes: usize) {
    let mut portals = Vec::new();
    let mut bases = Vec::new();
    for n in 0..processes {
        let (portal, base) = start_portal(db, n == 0);
        portals.push(portal);
        bases.push(base);
    }
    let base = bases[0].clone();
    // Request i goes to process i mod n, as a load balancer would spread them.
    let base_of = |i: usize| bases[i % bases.len()].clone();
    let people: Vec<(String, String)> =
        skillcert_fixtures::candidates(4242, PEOPLE).into_iter().map(|c| (c.name, c.id_number)).collect();
    for (name, id) in &people {
        register(&base, name, id);
    }

    let started = Instant::now();
    let sequential_failures = people.iter().enumerate().filter(|(i, (_, id))| !sign_in(&base_of(*i), id)).count();
    let sequential = PEOPLE as f64 / started.elapsed().as_secs_f64();

    // The burst: every candidate at once, and the home page loaded meanwhile.
    let stop = Arc::new(AtomicBool::new(false));
    let home = {
        let (stop, base) = (Arc::clone(&stop), base.clone());
        std::thread::spawn(move || {
            let agent = agent();
            let mut latencies = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                let mut r = agent.get(&format!("{base}/")).call().expect("home page");
                let _ = r.body_mut().read_to_vec();
                assert_eq!(r.status(), 200);
                latencies.push(t.elapsed());
                // A visitor's pace rather than a flood: the client's own work would take the cores being measured.
                std::thread::sleep(Duration::from_millis(10));
            }
            latencies
        })
    };
    let gate = Arc::new(Barrier::new(PEOPLE + 1));
    let threads: Vec<_> = people
        .iter()
        .enumerate()
        .map(|(i, (_, id))| {
            let (gate, base, id) = (Arc::clone(&gate), base_of(i), id.clone());
            std::thread::spawn(move || {
                gate.wait();
                sign_in(&base, &id)
            })
        })
        .collect();
    gate.wait();
    let started = Instant::now();
    let burst_failures = threads.into_iter().map(|t| t.join().unwrap()).filter(|ok| !ok).count();
    let burst = PEOPLE as f64 / started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let mut latencies = home.join().unwrap();
    latencies.sort();

    let build = if cfg!(debug_assertions) { "debug build (figures mean little)" } else { "release build" };
    println!("portal sign-ins on {label}, {PEOPLE} candidates with chosen passwords, {build}, loopback:");
    println!("  one at a time: {sequential:.1} sign-ins/s ({sequential_failures} failed)");
    println!(
        "  all at once:   {burst:.1} sign-ins/s ({burst_failures} failed), {:.2}× the one-at-a-time rate",
        burst / sequential
    );
    // A wrong password for an account that exists and for one that does not: the answer should take as long. (Nine
    // of each: twenty failures from one address block it.)
    let median = |id: &str| {
        let mut times: Vec<Duration> = (0..9).map(|_| sign_in_with(&base, id, "Wrong2026pw").1).collect();
        times.sort();
        times[4].as_secs_f64() * 1e3
    };
    let (existing, missing) = (median(&people[0].1), median("110105194912310020"));
    println!(
        "  home page during the burst: {} requests, p50 {:.1} ms, p95 {:.1} ms",
        latencies.len(),
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.95).as_secs_f64() * 1e3
    );
    println!(
        "  a wrong password, median of 9: {existing:.1} ms for an account that exists, {missing:.1} ms for one that does not"
    );
    drop(portals);
}
