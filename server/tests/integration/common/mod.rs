//! Test support: a fresh database per test on either backend, and the app on port 0.
#![allow(dead_code)]

pub mod fixture;
pub mod hostile_issuer;
pub mod oidc;
pub mod process;
pub mod stripe;
pub mod third_party;

use app::store::{self, Db};

/// PostgreSQL server used by the tests (a database is created per test).
fn pg_admin_url() -> String {
    std::env::var("FC_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A migrated, empty database that is removed when dropped.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(tempfile::TempDir),
    Postgres(String),
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite:{}", dir.path().join("test.db").display());
        let db = store::connect(&url, 8).await.expect("open sqlite");
        store::migrate(&db).await.expect("migrate sqlite");
        TestDb { db, url, cleanup: Cleanup::File(dir) }
    }

    /// A fresh PostgreSQL database, or `None` (with a visible message) when no server is
    /// reachable outside CI. In CI an unreachable server fails the test.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = pg_admin_url();
        let admin = match store::connect(&admin_url, 1).await {
            Ok(db) => db,
            Err(e) => {
                if std::env::var("CI").is_ok() {
                    panic!("PostgreSQL is required in CI but unreachable at {admin_url}: {e}");
                }
                eprintln!("SKIPPED: PostgreSQL unreachable at {admin_url} ({e}); set FC_TEST_PG_URL to run these tests");
                return None;
            }
        };
        let name = format!("fc_test_{}_{:08x}", std::process::id(), rand::random::<u32>());
        let Db::Postgres(pool) = &admin else { panic!("FC_TEST_PG_URL must be a postgres URL") };
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(pool)
            .await
            .expect("create test database");
        admin.close().await;
        let base =
            admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin_url.clone());
        let url = format!("{base}/{name}");
        let db = store::connect(&url, 8).await.expect("open postgres");
        store::migrate(&db).await.expect("migrate postgres");
        Some(TestDb { db, url, cleanup: Cleanup::Postgres(name) })
    }
}

impl TestDb {
    /// Another fresh database on the same backend.
    pub async fn sibling(&self) -> TestDb {
        match self.cleanup {
            Cleanup::File(_) => TestDb::sqlite().await,
            Cleanup::Postgres(_) => TestDb::postgres().await.expect("the server is reachable"),
        }
    }

    /// The one integer `sql` selects.
    pub async fn scalar(&self, sql: &str) -> i64 {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        app::on_db!(&self.db, |p| sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await).unwrap()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres(name) = &self.cleanup {
            let name = name.clone();
            let admin_url = pg_admin_url();
            // Drop on a separate thread with its own runtime: Drop cannot await.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async move {
                    if let Ok(Db::Postgres(pool)) = store::connect(&admin_url, 1).await {
                        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                        let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await;
                    }
                });
            })
            .join();
        }
    }
}

/// Runs the same async test body against SQLite and PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let t = $crate::common::TestDb::sqlite().await;
                    super::$name(&t).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(t) = $crate::common::TestDb::postgres().await else { return };
                    super::$name(&t).await;
                }
            )+
        }
    };
}

/// Where the test application with single sign-on says it is: the provider sends the
/// browser back there, and the tests take the path on to the application's real address.
pub const SSO_PUBLIC_URL: &str = "http://console.test";

/// The client id the test application signs in with (the audience of its ID tokens).
pub const SSO_CLIENT_ID: &str = "console";

/// The bearer token the test application's provisioning endpoint (`/scim/v2`) asks for.
pub const SCIM_TOKEN: &str = "test-scim-token";

/// The bearer token the test application's `/metrics` asks for.
pub const METRICS_TOKEN: &str = "test-metrics-token";

/// Changes activity events behind the database's append-only guard, as someone with the
/// schema owner's rights could: drops the guard, runs `sql`, puts the guard back.
pub async fn tamper(db: &Db, sql: &str) {
    let mut tx = db.begin().await.unwrap();
    let lifted = app::audit::append_only::lift(&mut tx).await.unwrap();
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    app::on_tx!(&mut tx, |c| sqlx::query(sql).execute(c).await.map(|r| r.rows_affected())).unwrap();
    lifted.restore(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
}

/// The whole application served on an ephemeral port over `t`'s database.
pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub client: reqwest::Client,
    /// The key the app signs licenses with.
    pub key: app::state::LicenseKey,
}

impl TestApp {
    pub async fn spawn(t: &TestDb) -> TestApp {
        Self::spawn_with_site(t, "target/site").await
    }

    /// The application serving the built front end found at `site_root`.
    pub async fn spawn_with_site(t: &TestDb, site_root: &str) -> TestApp {
        Self::spawn_full(t, site_root, None, None).await
    }

    /// The application with single sign-on through `provider`, groups mapped by
    /// `role_map`. It tells the provider it is at [`SSO_PUBLIC_URL`].
    pub async fn spawn_with_sso(t: &TestDb, provider: &oidc::Provider, role_map: &str) -> TestApp {
        Self::spawn_with_sso_at(t, &provider.issuer, role_map).await
    }

    /// The application with single sign-on through the provider at `issuer` (read by
    /// discovery, keys included, as it starts), as client [`SSO_CLIENT_ID`].
    pub async fn spawn_with_sso_at(t: &TestDb, issuer: &str, role_map: &str) -> TestApp {
        let settings = app::identity::SsoSettings {
            issuer: issuer.into(),
            client_id: SSO_CLIENT_ID.into(),
            client_secret: "console-secret".into(),
            public_url: SSO_PUBLIC_URL.into(),
            role_map: app::domain::sso::RoleMap::parse(role_map).unwrap(),
            role_claim: "groups".into(),
            provider_name: "Corp ID".into(),
        };
        let sso = app::identity::Sso::discover(settings).await.expect("discovery");
        Self::spawn_full(t, "target/site", None, Some(std::sync::Arc::new(sso))).await
    }

    /// The application connected to the billing provider `billing`.
    pub async fn spawn_with_billing(
        t: &TestDb,
        billing: app::billing::server::Connection,
    ) -> TestApp {
        Self::spawn_full(t, "target/site", Some(billing), None).await
    }

    async fn spawn_full(
        t: &TestDb,
        site_root: &str,
        billing: Option<app::billing::server::Connection>,
        sso: Option<std::sync::Arc<app::identity::Sso>>,
    ) -> TestApp {
        let args = server::settings::ServeArgs {
            listen: "127.0.0.1:0".parse().unwrap(),
            site_root: site_root.into(),
            demo_seed: false,
            demo_size: server::settings::Size::Small,
            session_ttl_hours: 1,
            session_idle_minutes: 60,
            secure_cookies: false,
            shutdown_grace_secs: 1,
            integrity_scan_secs: 0,
            audit_checkpoint_secs: 0,
            metrics_token: Some(METRICS_TOKEN.into()),
            max_connections: 256,
            header_timeout_secs: 2,
            client_ip_header: None,
            billing_sweep_secs: 0,
            billing,
            sso: server::settings::SsoArgs {
                scim_token: Some(SCIM_TOKEN.into()),
                ..Default::default()
            },
            sso_provider: sso,
        };
        let key = app::state::LicenseKey::generate();
        let app = server::serve::Application::build(t.db.clone(), &args, key.clone(), None)
            .await
            .expect("build app");
        let base = format!("http://{}", app.addr);
        tokio::spawn(app.run_until(std::future::pending(), std::time::Duration::from_secs(1)));
        // A response that never finishes fails its test instead of hanging the run.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .unwrap();
        TestApp { base, db: t.db.clone(), client, key }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Calls the JSON API with a bearer token; the status and the JSON body (or null).
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req =
            self.client.request(method, self.url(&format!("/api/v1{path}"))).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let response = req.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
    }

    /// Creates a staff user with a known password; returns its id.
    pub async fn staff(&self, email: &str, role: app::domain::Role, password: &str) -> i64 {
        let hash = app::auth::server::password::hash(password.to_string()).await.unwrap();
        let mut tx = self.db.begin().await.unwrap();
        let id = app::auth::server::staff::insert_staff(&mut tx, email, "Test Person", role, &hash)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    }

    /// A new 90-day API token for the active staff member `email`, made as the command
    /// line makes one (with its `token.create` event).
    pub async fn token(&self, email: &str) -> String {
        let by = app::auth::server::staff::AccountActor::command_line();
        app::auth::server::token::create(&self.db, email, "test", 90, &by).await.unwrap().0
    }

    /// Signs in through the login server function; returns the session's cookies.
    pub async fn login(&self, email: &str, password: &str) -> Session {
        let response = self
            .client
            .post(self.url("/api/login"))
            .form(&[("email", email), ("password", password), ("next", "/")])
            .send()
            .await
            .unwrap();
        let cookies: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        let find = |name: &str| {
            cookies
                .iter()
                .find(|c| c.starts_with(&format!("{name}=")))
                .map(|c| c.split(';').next().unwrap()[name.len() + 1..].to_string())
                .unwrap_or_else(|| panic!("no {name} cookie in {cookies:?}"))
        };
        Session { token: find("fc_session"), csrf: find("fc_csrf"), set_cookie: cookies }
    }
}

/// A session of staff member `id` lasting `ttl`, started as a password sign-in starts one.
pub async fn new_session(
    db: &Db,
    id: i64,
    ttl: chrono::Duration,
) -> Result<app::auth::server::session::NewSession, app::AppError> {
    let mut tx = db.begin().await?;
    let s = app::auth::server::session::create(&mut tx, id, ttl, None).await?;
    tx.commit().await?;
    Ok(s)
}

/// A server function's arguments as its input encoding takes them.
pub enum FnBody {
    /// `input = Json` functions.
    Json(serde_json::Value),
    /// The default URL-encoded form.
    Form(String),
}

impl TestApp {
    /// A fresh session of staff member `id`, as if they had just signed in.
    pub async fn session_of(&self, id: i64) -> Session {
        let s = new_session(&self.db, id, chrono::Duration::hours(1)).await.unwrap();
        Session { token: s.token, csrf: s.csrf_token, set_cookie: Vec::new() }
    }

    /// Calls the server function at `path` (signed out without a session; with one, its
    /// cookie and CSRF token), asking for JSON; the status and the body's text.
    pub async fn server_fn(
        &self,
        session: Option<&Session>,
        path: &str,
        body: &FnBody,
    ) -> (u16, String) {
        let mut req = self.client.post(self.url(path)).header("accept", "application/json");
        if let Some(s) = session {
            req = req.header("cookie", s.cookie()).header("x-csrf-token", &s.csrf);
        }
        req = match body {
            FnBody::Json(v) => req.json(v),
            FnBody::Form(f) => {
                req.header("content-type", "application/x-www-form-urlencoded").body(f.clone())
            }
        };
        let response = req.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    /// [`TestApp::server_fn`] with a session, its answer read as JSON (null if it is not).
    pub async fn server_fn_json(
        &self,
        session: &Session,
        path: &str,
        body: &FnBody,
    ) -> (u16, serde_json::Value) {
        let (status, text) = self.server_fn(Some(session), path, body).await;
        (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
    }
}

/// A signed-in browser session, as cookie values.
pub struct Session {
    pub token: String,
    pub csrf: String,
    pub set_cookie: Vec<String>,
}

impl Session {
    pub fn cookie(&self) -> String {
        format!("fc_session={}; fc_csrf={}", self.token, self.csrf)
    }
}
