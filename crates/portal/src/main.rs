//! `skillcert-portal --db PATH|URL --listen ADDR [--demo]` serves the portal; `skillcert-portal --db PATH|URL agency
//! add NAME` prints a sync token for an agency's desktop (once: only its hash is kept). The database is an SQLite
//! file or a PostgreSQL server (`postgres://…`), which several portal processes may share.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use skillcert_portal::{AppState, router};

#[derive(Parser)]
#[command(name = "skillcert-portal", about = "SkillCert 考生报名门户")]
struct Cli {
    /// The portal's database: a file (created when missing) or a PostgreSQL server (postgres://user@host/db).
    #[arg(long, env = "SKILLCERT_PORTAL_DB")]
    db: PathBuf,
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Mark cookies Secure (when served over HTTPS, e.g. behind a TLS proxy).
    #[arg(long)]
    secure_cookies: bool,
    /// Seed the demo agency's plans, candidates and applications when the database has no plan yet.
    #[arg(long)]
    demo: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Agencies whose desktops may sync.
    #[command(subcommand)]
    Agency(AgencyCommand),
}

#[derive(Subcommand)]
enum AgencyCommand {
    /// Creates a sync token for NAME and prints it (shown only this once).
    Add { name: String },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let state = match AppState::open(&cli.db, cli.secure_cookies) {
        Ok(state) => state,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if let Some(Command::Agency(AgencyCommand::Add { name })) = cli.command {
        let token = tokio::runtime::Runtime::new().expect("tokio runtime").block_on(state.with_store(move |store| {
            skillcert_core::ops::portal::add_agency_token(store, &skillcert_core::ops::Session::new("门户管理"), &name)
        }));
        return match token {
            Ok((_, token)) => {
                println!("{token}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        };
    }
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    if cli.demo {
        let seeded = runtime.block_on(state.with_store(|store| -> skillcert_core::Result<bool> {
            if skillcert_core::ops::portal::has_plans(store)? {
                return Ok(false);
            }
            skillcert_fixtures::seed_demo(store, &skillcert_core::ops::Session::new("演示数据"))?;
            Ok(true)
        }));
        match seeded {
            Ok(true) => println!("已写入演示数据：默认账号为证件号码，默认密码为其后六位"),
            Ok(false) => println!("数据库已有计划，未写入演示数据"),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        }
    }
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(cli.listen).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("无法监听 {}：{e}", cli.listen);
                return ExitCode::from(2);
            }
        };
        println!("SkillCert 门户：http://{}", cli.listen);
        let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
        match axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
        {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        }
    })
}
