//! Start-up failures are loud and say what to fix.
use crate::common;

use server::settings::Global;

fn global(url: String, dir: &std::path::Path) -> Global {
    Global {
        database_url: Some(url),
        data_dir: dir.to_path_buf(),
        license_key_file: None,
        audit_checkpoint_file: None,
        db_max_connections: 1,
        log_format: "text".into(),
        billing: server::settings::BillingMode::None,
        stripe_api_base: String::new(),
        stripe_api_key: None,
        stripe_webhook_secret: None,
    }
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_named_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.db");
    std::fs::write(&path, vec![b'x'; 8192]).unwrap();
    let err = server::startup::open(&global(format!("sqlite:{}", path.display()), dir.path()))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("garbage.db")
            && (err.contains("cannot open database") || err.contains("migrating database")),
        "{err}"
    );
}

#[tokio::test]
async fn a_modified_migration_stops_start_up_with_a_clear_message() {
    let t = common::TestDb::sqlite().await;
    t.db.execute("UPDATE _sqlx_migrations SET checksum = X'00'").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let err =
        server::startup::open(&global(t.url.clone(), dir.path())).await.unwrap_err().to_string();
    assert!(err.starts_with("migrating database sqlite:"), "{err}");
    assert!(err.contains("modified"), "{err}");
}

#[tokio::test]
async fn an_unknown_database_url_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = server::startup::open(&global("mysql://root@localhost/x".into(), dir.path()))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("must start with sqlite: or postgres://"), "{err}");
}

#[test]
fn single_sign_on_settings_name_what_is_missing_or_wrong() {
    let sso = |map: Option<&str>, secret: Option<&str>| server::settings::SsoArgs {
        oidc_issuer: Some("https://id.example.com".into()),
        oidc_client_id: Some("console".into()),
        oidc_client_secret: secret.map(str::to_string),
        public_url: Some("https://console.example.com".into()),
        oidc_role_map: map.map(str::to_string),
        oidc_role_claim: "groups".into(),
        oidc_provider_name: "Corp ID".into(),
        scim_token: None,
    };
    assert!(
        server::settings::SsoArgs::default().settings().unwrap().is_none(),
        "off unless an issuer is set"
    );
    let err = sso(None, Some("s")).settings().unwrap_err();
    assert!(err.contains("FC_OIDC_ROLE_MAP is required"), "{err}");
    let err = sso(Some("fc-admins=admin"), None).settings().unwrap_err();
    assert!(err.contains("FC_OIDC_CLIENT_SECRET is required"), "{err}");
    let err = sso(Some("fc-admins=owner"), Some("s")).settings().unwrap_err();
    assert!(err.contains("FC_OIDC_ROLE_MAP") && err.contains("`owner` is not a role"), "{err}");
    let ok = sso(Some("fc-admins=admin"), Some("s")).settings().unwrap().unwrap();
    assert_eq!(ok.role_map.role_for(["fc-admins"]), Some(app::domain::Role::Admin));
}
