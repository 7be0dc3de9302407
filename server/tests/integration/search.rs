//! Search relevance and bad input on both backends, the backends' agreement, the
//! search API, and the customer page's data (including its integrity warnings).
use crate::common;

use app::customer::server::load;
use app::domain::HitKind;
use app::search::server::search;
use app::search::SearchHit;
use app::store::Db;
use app::{on_db, AppError};
use chrono::NaiveDate;
use common::{TestApp, TestDb};
use server::seed::{self, Plan};
use server::settings::{SeedArgs, Size};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

async fn seeded(t: &TestDb) {
    let args =
        SeedArgs { size: Size::Small, seed: 3, today: Some(today()), force: false, quiet: true };
    seed::run(&t.db, &args).await.unwrap();
}

async fn find(t: &TestDb, q: &str) -> Vec<SearchHit> {
    search(&t.db, q, Some(50), today())
        .await
        .unwrap_or_else(|e| panic!("search {q:?} failed: {e:?}"))
}

async fn text(t: &TestDb, sql: &'static str) -> String {
    on_db!(&t.db, |p| sqlx::query_scalar::<_, String>(sql).fetch_one(p).await.unwrap())
}

async fn exact_identifiers_rank_first(t: &TestDb) {
    seeded(t).await;
    let email = text(t, "SELECT email FROM customers WHERE id = 17").await;
    let hits = find(t, &email.to_uppercase()).await;
    assert_eq!((hits[0].kind, hits[0].id, hits[0].exact), (HitKind::Customer, 17, true));
    assert_eq!(hits[0].matched_field, "email");

    let number =
        text(t, "SELECT number FROM subscriptions WHERE customer_id = 42 ORDER BY id LIMIT 1")
            .await;
    let hits = find(t, &number.to_lowercase()).await;
    assert_eq!(
        (hits[0].kind, hits[0].customer_id, hits[0].exact),
        (HitKind::Subscription, 42, true)
    );

    let account =
        text(t, "SELECT number FROM billing_accounts WHERE customer_id = 9 ORDER BY id LIMIT 1")
            .await;
    assert_eq!(find(t, &account).await[0].kind, HitKind::BillingAccount);

    let path = text(t, "SELECT path FROM namespaces ORDER BY id LIMIT 1 OFFSET 30").await;
    let owner: i64 =
        on_db!(&t.db, |p| sqlx::query_scalar("SELECT customer_id FROM namespaces WHERE path = $1")
            .bind(&path)
            .fetch_one(p)
            .await
            .unwrap());
    let hits = find(t, &path).await;
    assert_eq!(
        (hits[0].kind, hits[0].customer_id, hits[0].matched_field.as_str()),
        (HitKind::Namespace, owner, "path")
    );

    let crm = text(
        t,
        "SELECT crm_account_id FROM customers WHERE crm_account_id IS NOT NULL ORDER BY id LIMIT 1",
    )
    .await;
    let hits = find(t, &crm).await;
    assert_eq!(
        (hits[0].kind, hits[0].matched_field.as_str()),
        (HitKind::Customer, "crm_account_id")
    );

    let hits = find(t, &crm[..8].to_lowercase()).await;
    assert!(
        hits.iter().all(|h| h.matched_field == "crm_account_id"),
        "a CRM id prefix finds CRM ids: {hits:?}"
    );
    assert!(!hits.is_empty());

    let hits = find(t, "33").await;
    assert_eq!(
        (hits[0].kind, hits[0].id, hits[0].matched_field.as_str()),
        (HitKind::Customer, 33, "id")
    );
}

async fn substrings_and_prefixes_match_case_insensitively(t: &TestDb) {
    seeded(t).await;
    let email = text(t, "SELECT email FROM customers WHERE id = 64").await;
    let part: String = email.split('@').next().unwrap().chars().skip(2).collect();
    let hits = find(t, &part.to_uppercase()).await;
    let hit = hits
        .iter()
        .find(|h| h.kind == HitKind::Customer && h.id == 64)
        .expect("customer found by part of email");
    assert!(hit.matched_text.to_lowercase().contains(&part));
    assert_eq!(hit.match_len as usize, part.chars().count());

    let key = text(t, "SELECT key FROM licenses ORDER BY id LIMIT 1").await;
    let fragment = &key[6..11];
    assert!(find(t, fragment)
        .await
        .iter()
        .any(|h| h.kind == HitKind::License && h.matched_text == key));

    let hits = find(t, "a-s0000").await;
    assert!(!hits.is_empty() && hits.iter().all(|h| h.kind == HitKind::Subscription), "{hits:?}");

    let company = text(t, "SELECT company FROM customers WHERE id = 5").await;
    let word = company.split(' ').next().unwrap().to_lowercase();
    let hits = find(t, &word).await;
    assert!(hits
        .iter()
        .any(|h| h.customer_id == 5 || h.matched_text.to_lowercase().contains(&word)));
    assert!(
        hits.iter().all(|h| h.matched_text.to_lowercase().contains(&word)),
        "every hit contains the query"
    );
}

async fn names_are_found_by_their_start(t: &TestDb) {
    seeded(t).await;
    let name = text(t, "SELECT name FROM customers WHERE id = 64").await;
    let start: String =
        name.chars().take(name.find(' ').unwrap() + 2).collect::<String>().to_uppercase();
    let hits = find(t, &start).await;
    let hit = hits
        .iter()
        .find(|h| h.kind == HitKind::Customer && h.id == 64)
        .expect("customer found by the start of the name");
    assert_eq!((hit.matched_field.as_str(), hit.match_start), ("name", 0));
    let lower = start.to_lowercase();
    assert!(hits.iter().all(|h| h.matched_text.to_lowercase().contains(&lower)), "{hits:?}");
    let names: Vec<&SearchHit> = hits.iter().filter(|h| h.matched_field == "name").collect();
    assert!(
        names.iter().all(|h| h.matched_text.to_lowercase().starts_with(&lower)),
        "name prefixes rank first: {hits:?}"
    );

    // Two letters: names (and identifiers) starting with them fill a short page.
    let two: String = lower.chars().take(2).collect();
    let page = search(&t.db, &two, Some(3), today()).await.unwrap();
    assert_eq!(page.len(), 3, "{page:?}");
    assert!(page.iter().all(|h| h.matched_text.to_lowercase().starts_with(&two)), "{page:?}");

    // And emails and paths, by their first two characters.
    for (sql, field) in [
        ("SELECT email FROM customers WHERE id = 71", "email"),
        ("SELECT path FROM namespaces ORDER BY id LIMIT 1 OFFSET 12", "path"),
    ] {
        let value = text(t, sql).await;
        let two: String = value.chars().take(2).collect();
        let hits = find(t, &two).await;
        assert!(hits.iter().any(|h| h.matched_field == field), "{two}: {hits:?}");
        assert!(hits.iter().all(|h| h.matched_text.to_lowercase().starts_with(&two)), "{hits:?}");
    }
}

/// A ticket's sender is often not the account's own email: a contact's email finds the
/// customer, an owner's username or email the namespace, exact matches first; a part of
/// either finds them by substring, saying which field matched.
async fn contacts_and_namespace_owners_are_found(t: &TestDb) {
    seeded(t).await;
    let billing =
        text(t, "SELECT email FROM contacts WHERE customer_id = 23 AND role = 'billing'").await;
    let hits = find(t, &billing).await;
    assert_eq!(
        (hits[0].kind, hits[0].id, hits[0].matched_field.as_str(), hits[0].exact),
        (HitKind::Customer, 23, "contact_email", true)
    );
    let (ns, username, email): (i64, String, String) = on_db!(&t.db, |p| {
        sqlx::query_as(
        "SELECT o.namespace_id, o.username, o.email FROM namespace_owners o
         WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.email = o.email) ORDER BY o.id LIMIT 1 OFFSET 5"
    )
    .fetch_one(p)
    .await
    .unwrap()
    });
    let hits = find(t, &email).await;
    assert_eq!(
        (hits[0].kind, hits[0].id, hits[0].matched_field.as_str(), hits[0].exact),
        (HitKind::Namespace, ns, "namespace_owner", true)
    );
    let hits = find(t, &username).await;
    assert!(
        hits.iter().any(|h| h.kind == HitKind::Namespace && h.id == ns && h.exact),
        "{username} finds namespace {ns}: {hits:?}"
    );
    // The end of the billing contact's local part (name and number): the trigram index.
    let local: Vec<char> = billing.split('@').next().unwrap().chars().collect();
    let part: String = local[local.len().saturating_sub(7)..].iter().collect();
    let hits = find(t, &part).await;
    assert!(
        hits.iter().any(|h| h.id == 23
            && h.kind == HitKind::Customer
            && h.matched_field == "contact_email"
            && h.matched_text.contains(&part)),
        "{part:?} finds customer 23 by its billing contact: {hits:?}"
    );
}

async fn documents(t: &TestDb) -> Vec<(i64, String)> {
    on_db!(&t.db, |p| sqlx::query_as("SELECT doc_id, text FROM search_documents ORDER BY doc_id")
        .fetch_all(p)
        .await
        .unwrap())
}

/// Search documents hold one field per line, and a substring hit names its field from
/// them. Documents written before, space-separated, get their fields from the migration
/// that rewrites them, exactly as the generator writes them now.
async fn documents_written_before_get_their_fields_from_the_migration(t: &TestDb) {
    seeded(t).await;
    let written = documents(t).await;
    assert!(written.iter().filter(|(_, text)| text.matches('\n').count() >= 3).count() > 100);
    let (flatten, migration) = match &t.db {
        Db::Sqlite(_) => (
            "UPDATE search_documents SET text = replace(text, char(10), ' ')",
            include_str!("../../../migrations/sqlite/0011_document_fields.sql"),
        ),
        Db::Postgres(_) => (
            "UPDATE search_documents SET text = replace(text, chr(10), ' ')",
            include_str!("../../../migrations/postgres/0011_document_fields.sql"),
        ),
    };
    t.db.execute(flatten).await.unwrap();
    assert!(documents(t).await.iter().all(|(_, text)| !text.contains('\n')));
    on_db!(&t.db, |p| sqlx::raw_sql(sqlx::AssertSqlSafe(migration))
        .execute(p)
        .await
        .map(|_| ())
        .unwrap());
    assert_eq!(documents(t).await, written);
    let company = text(t, "SELECT company FROM customers WHERE id = 23").await;
    let hits = find(t, &company).await;
    assert!(
        hits.iter().any(|h| h.id == 23 && h.matched_field == "company" && h.exact),
        "{company:?} finds customer 23 by its company: {hits:?}"
    );
}

async fn expired_and_cancelled_records_are_found_with_badges(t: &TestDb) {
    seeded(t).await;
    let number =
        text(t, "SELECT number FROM subscriptions WHERE status = 'expired' ORDER BY id LIMIT 1")
            .await;
    let hits = find(t, &number).await;
    assert_eq!(hits[0].badges.first().map(String::as_str), Some("expired"));
    let number =
        text(t, "SELECT number FROM subscriptions WHERE status = 'cancelled' ORDER BY id LIMIT 1")
            .await;
    assert!(find(t, &number).await[0].badges.contains(&"cancelled".to_string()));
}

async fn bad_input_never_errors(t: &TestDb) {
    seeded(t).await;
    let long = "x".repeat(10_000);
    let inputs = [
        "",
        "   ",
        "\t\n",
        &long,
        "'",
        "\"",
        "''; DROP TABLE customers; --",
        "%",
        "_",
        "%%__",
        "*",
        "a*",
        "\\",
        "\\\\%",
        "\u{0}",
        "a\u{0}b",
        "😀",
        "ñandú 😀",
        "שלום",
        "مرحبا",
        "NEAR(a b)",
        "a OR b",
        "\"unterminated",
        "^abc",
        "col:val",
        "-1",
        "0",
        "99999999999999999999",
        "A-S",
        "@",
        ".",
        "a",
        "ab",
    ];
    for q in inputs {
        let hits = find(t, q).await;
        assert!(hits.len() <= 50, "{q:?}");
    }
    assert_eq!(
        on_db!(&t.db, |p| sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM customers")
            .fetch_one(p)
            .await
            .unwrap()),
        200
    );
}

async fn the_customer_page_has_everything_and_flags_each_anomaly(t: &TestDb) {
    seeded(t).await;
    let plan = Plan::for_size(Size::Small);
    for c in 1..=plan.customers {
        let view = load(&t.db, c as i64, today()).await.unwrap();
        let rules: Vec<&str> = view.findings.iter().map(|f| f.rule.as_str()).collect();
        match plan.anomaly_of(c) {
            Some(rule) => assert_eq!(rules, [rule], "customer {c}"),
            None => assert!(rules.is_empty(), "clean customer {c} flagged {rules:?}"),
        }
        assert!(!view.billing_accounts.is_empty() && !view.subscriptions.is_empty());
    }
    let view = load(&t.db, 7, today()).await.unwrap();
    let invoices: i64 = on_db!(&t.db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM invoices WHERE customer_id = 7"
    )
    .fetch_one(p)
    .await
    .unwrap());
    assert_eq!(view.invoices.len() as i64, invoices);
    assert!(matches!(load(&t.db, 999_999, today()).await, Err(AppError::NotFound(_))));
}

async fn the_api_searches_and_describes_customers(t: &TestDb) {
    seeded(t).await;
    let app = TestApp::spawn(t).await;
    let token = app.token("support@example.com").await;
    let get = |path: String| app.client.get(app.url(&path)).bearer_auth(&token).send();
    let email = text(t, "SELECT email FROM customers WHERE id = 11").await;
    let body: serde_json::Value =
        get(format!("/api/v1/search?q={email}&limit=5")).await.unwrap().json().await.unwrap();
    assert_eq!(body["results"][0]["kind"], "customer");
    assert_eq!(body["results"][0]["customer_id"], 11);
    assert_eq!(body["results"][0]["matched_field"], "email");
    let bad = get("/api/v1/search?q=a&limit=lots".into()).await.unwrap();
    assert_eq!(bad.status(), 422);
    let body: serde_json::Value = bad.json().await.unwrap();
    assert!(body["error"]["fields"]["limit"].is_string());
    let empty: serde_json::Value =
        get("/api/v1/search".into()).await.unwrap().json().await.unwrap();
    assert_eq!(empty["results"].as_array().unwrap().len(), 0);

    let customer: serde_json::Value =
        get("/api/v1/customers/11".into()).await.unwrap().json().await.unwrap();
    assert_eq!(customer["id"], 11);
    assert_eq!(customer["email"], email);
    for key in [
        "billing_accounts",
        "subscriptions",
        "namespaces",
        "licenses",
        "invoices",
        "findings",
        "activity",
    ] {
        assert!(customer[key].is_array(), "{key}");
    }
    assert!(customer["subscriptions"].as_array().unwrap().iter().all(|s| s["customer_id"] == 11));
    let contacts = customer["contacts"].as_array().unwrap();
    let roles: Vec<&str> = contacts.iter().filter_map(|c| c["role"].as_str()).collect();
    for role in ["owner", "billing", "technical"] {
        assert!(roles.contains(&role), "customer 11 has a {role} contact: {roles:?}");
    }
    assert!(contacts.iter().all(|c| c["id"].is_i64() && c["name"].is_string()));
    assert_eq!(contacts[0]["email"], email, "the account's email is its owner contact");
    for n in customer["namespaces"].as_array().unwrap() {
        let owners = n["owners"].as_array().unwrap();
        assert!(!owners.is_empty(), "namespace {} has owners", n["path"]);
        assert!(owners.iter().all(|o| o["username"].is_string() && o["email"].is_string()));
    }
    let missing = get("/api/v1/customers/999999".into()).await.unwrap();
    assert_eq!(missing.status(), 404);
    let junk = get("/api/v1/customers/abc".into()).await.unwrap();
    assert_eq!(junk.status(), 400);
    let page = app
        .client
        .get(app.url("/customers/999999"))
        .header("cookie", app.login("support@example.com", "demo-password").await.cookie())
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
}

on_both_backends!(
    exact_identifiers_rank_first,
    substrings_and_prefixes_match_case_insensitively,
    names_are_found_by_their_start,
    contacts_and_namespace_owners_are_found,
    documents_written_before_get_their_fields_from_the_migration,
    expired_and_cancelled_records_are_found_with_badges,
    bad_input_never_errors,
    the_customer_page_has_everything_and_flags_each_anomaly,
    the_api_searches_and_describes_customers,
);

/// Both backends return the same hits in the same order for the same data.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_backends_agree_on_results_and_ranking() {
    let Some(pg) = TestDb::postgres().await else { return };
    let lite = TestDb::sqlite().await;
    seeded(&pg).await;
    seeded(&lite).await;
    let queries = [
        "acme",
        "ada",
        "a-s000001",
        "a0000000",
        "example.io",
        "labs",
        "001a",
        "12",
        "lopez",
        "-1",
        "cloud 1",
        "zz",
    ];
    let name = text(&lite, "SELECT name FROM customers WHERE id = 64").await;
    let name_start: String = name.chars().take(6).collect();
    for q in queries.into_iter().chain([name_start.as_str()]) {
        let a: Vec<(HitKind, i64, String)> =
            find(&lite, q).await.into_iter().map(|h| (h.kind, h.id, h.matched_field)).collect();
        let b: Vec<(HitKind, i64, String)> =
            find(&pg, q).await.into_iter().map(|h| (h.kind, h.id, h.matched_field)).collect();
        assert_eq!(a, b, "results for {q:?}");
    }
}
