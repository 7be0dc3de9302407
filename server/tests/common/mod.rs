//! Test support: a fresh database per test on either backend, and the app on port 0.
#![allow(dead_code)]

use app::store::{self, Db};

/// PostgreSQL server used by the tests (a database is created per test).
fn pg_admin_url() -> String {
    std::env::var("FC_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
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
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(pool).await.expect("create test database");
        admin.close().await;
        let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin_url.clone());
        let url = format!("{base}/{name}");
        let db = store::connect(&url, 8).await.expect("open postgres");
        store::migrate(&db).await.expect("migrate postgres");
        Some(TestDb { db, url, cleanup: Cleanup::Postgres(name) })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres(name) = &self.cleanup {
            let name = name.clone();
            let admin_url = pg_admin_url();
            // Drop on a separate thread with its own runtime: Drop cannot await.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
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
