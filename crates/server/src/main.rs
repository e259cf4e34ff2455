//! The `frontdesk` command: `serve`, `migrate`, `backup`, and the operator's `admin` commands.

use clap::{Parser, Subcommand};
use frontdesk_core::{Role, WorkspaceId};
use frontdesk_platform::audit::Actor;
use frontdesk_platform::{operator, workspaces, SystemClock};
use frontdesk_server::{build_app, init_logging, Config};
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(name = "frontdesk", version, about = "Frontdesk: the front office for small service businesses")]
struct Cli {
    /// TOML configuration file (default: ./frontdesk.toml when present).
    #[arg(long, global = true, env = "FRONTDESK_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (HTTP, job workers, scheduler).
    Serve {
        /// Create a demo workspace (web chat and a few conversations) and print how to sign in.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Write a consistent copy of the SQLite database (PostgreSQL: use pg_dump).
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
    /// Operator commands.
    #[command(subcommand)]
    Admin(Admin),
    /// Print the effective configuration (secrets redacted).
    PrintConfig,
}

#[derive(Subcommand)]
enum Admin {
    /// Create a verified account; the password is read from standard input.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        password_stdin: bool,
        /// Make the account a platform operator.
        #[arg(long)]
        operator: bool,
    },
    /// Grant (or with --revoke withdraw) the platform-operator role.
    SetOperator {
        #[arg(long)]
        email: String,
        #[arg(long)]
        revoke: bool,
    },
    /// Create a workspace owned by an existing account; prints its id.
    CreateWorkspace {
        #[arg(long)]
        owner: String,
        #[arg(long)]
        name: String,
    },
    /// Create a workspace API token; prints the token (shown once).
    CreateApiToken {
        #[arg(long)]
        workspace: String,
        #[arg(long)]
        name: String,
        /// admin, agent or viewer.
        #[arg(long, default_value = "admin")]
        role: String,
    },
    /// Check every audit hash chain; exits non-zero at the first broken entry.
    VerifyAudit,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let cfg = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("frontdesk: {e}");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("frontdesk: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli.command, cfg)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("frontdesk: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, cfg: Config) -> anyhow::Result<ExitCode> {
    if let Command::Serve { demo } = command {
        init_logging(&cfg);
        let clock: Option<std::sync::Arc<dyn frontdesk_platform::Clock>> =
            std::env::var_os("FRONTDESK_TEST_CLOCK_FILE").map(|f| {
                tracing::warn!("the clock is moved by {f:?} (a test setting)");
                std::sync::Arc::new(frontdesk_platform::clock::FileClock::watch(f.into())) as _
            });
        let running = frontdesk_server::start(&cfg, clock).await?;
        if demo {
            let d = frontdesk_inbox::demo::seed(&running.app)
                .await
                .map_err(|e| anyhow::anyhow!("demo: {} ({})", e.message, e.code))?;
            frontdesk_bookings::demo::seed(&running.bookings, d.email, &d.workspace_id)
                .await
                .map_err(|e| anyhow::anyhow!("demo bookings: {} ({})", e.message, e.code))?;
            frontdesk_billing::demo::seed(&running.billing, d.email, &d.workspace_id)
                .await
                .map_err(|e| anyhow::anyhow!("demo payments: {} ({})", e.message, e.code))?;
            frontdesk_phones::demo::seed(&running.phones, &d.workspace_id)
                .await
                .map_err(|e| anyhow::anyhow!("demo phones: {} ({})", e.message, e.code))?;
            frontdesk_privacy::demo::seed(&running.privacy, &d.workspace_id)
                .await
                .map_err(|e| anyhow::anyhow!("demo privacy: {} ({})", e.message, e.code))?;
            frontdesk_invoices::demo::seed(&running.invoices, &d.workspace_id)
                .await
                .map_err(|e| anyhow::anyhow!("demo invoices: {} ({})", e.message, e.code))?;
            let base = cfg.server.base_url.trim_end_matches('/');
            eprintln!(
                "\nDemo {}: open {base}/login and sign in as {} with the password {}\n(the password is new at every --demo start). The inbox: {base}/w/{}/inbox\n",
                if d.created { "ready" } else { "kept" },
                d.email,
                d.password,
                d.workspace_id
            );
        }
        shutdown_signal().await;
        tracing::info!("shutting down");
        running.stop().await;
        return Ok(ExitCode::SUCCESS);
    }
    if let Command::PrintConfig = command {
        println!("{cfg:#?}");
        return Ok(ExitCode::SUCCESS);
    }
    let app = build_app(&cfg, Arc::new(SystemClock)).await?;
    let fail = |e: frontdesk_platform::AppError| anyhow::anyhow!("{} ({})", e.message, e.code);
    match command {
        Command::Serve { .. } | Command::PrintConfig => unreachable!("handled above"),
        Command::Migrate => println!("migrations applied"),
        Command::Backup { to } => {
            if to.exists() {
                anyhow::bail!("{} already exists; choose a new file", to.display());
            }
            app.db.backup_to(&to.to_string_lossy()).await?;
            println!("backup written to {}", to.display());
        }
        Command::Admin(Admin::CreateUser { email, name, password_stdin, operator: op }) => {
            if !password_stdin {
                anyhow::bail!("pass --password-stdin and the password on standard input");
            }
            let mut pw = String::new();
            std::io::stdin().read_to_string(&mut pw)?;
            let pw = pw.trim_end_matches(['\r', '\n']);
            let id = operator::create_user(&app, &email, name.as_deref(), pw, op).await.map_err(fail)?;
            println!("{id}");
        }
        Command::Admin(Admin::SetOperator { email, revoke }) => {
            operator::set_operator(&app, &email, !revoke).await.map_err(fail)?;
            println!("{email}: operator {}", if revoke { "withdrawn" } else { "granted" });
        }
        Command::Admin(Admin::CreateWorkspace { owner, name }) => {
            let u = operator::user_by_email(&app, &owner).await.map_err(fail)?;
            let w = workspaces::create(&app, &u.id, &name, &Actor::cli()).await.map_err(fail)?;
            println!("{}", w.id);
        }
        Command::Admin(Admin::CreateApiToken { workspace, name, role }) => {
            let ws =
                WorkspaceId::parse(&workspace).ok_or_else(|| anyhow::anyhow!("{workspace:?} is not a workspace id"))?;
            let role = Role::parse(&role)
                .filter(|r| r.allowed_for_token())
                .ok_or_else(|| anyhow::anyhow!("--role must be admin, agent or viewer"))?;
            if workspaces::workspace_name(&app, &ws).await.map_err(fail)?.is_empty() {
                anyhow::bail!("no workspace with id {ws}");
            }
            let name = frontdesk_core::values::parse_label("name", &name).map_err(|e| anyhow::anyhow!(e.message))?;
            let t = workspaces::create_token_unchecked(&app, &ws, &name, role, &Actor::cli()).await.map_err(fail)?;
            println!("{}", t.secret);
        }
        Command::Admin(Admin::VerifyAudit) => match frontdesk_platform::audit::verify_all(&app).await.map_err(fail)? {
            Ok(chains) => {
                let total: usize = chains.iter().map(|(_, n)| n).sum();
                println!("ok: {} chains, {total} entries verified", chains.len());
            }
            Err(b) => {
                println!("BROKEN: chain {} at entry {}: {}", b.chain, b.seq, b.reason);
                app.db.close().await;
                return Ok(ExitCode::from(1));
            }
        },
    }
    app.db.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = ctrl_c.await;
                return;
            }
        };
        tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
