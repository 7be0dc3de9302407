//! An OpenID provider of the tests' own, for the tests that the console refuses crafted
//! ID tokens: `oidc-provider-mock` only signs good ones. It serves discovery, its key set
//! and a token endpoint on a free port inside the test process, and its token endpoint
//! answers with whichever ID token the test last gave [`HostileIssuer::answer`], made
//! with [`HostileIssuer::signed`], [`HostileIssuer::signed_with_another_key`] or
//! [`HostileIssuer::unsigned`] from [`Claims`] the test may have changed. Its userinfo
//! endpoint answers with what the test last gave [`HostileIssuer::userinfo`].
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use openidconnect::core::{
    CoreGenderClaim, CoreJsonWebKeySet, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreRsaPrivateSigningKey,
};
use openidconnect::{
    AdditionalClaims, Audience, EndUserEmail, EndUserName, IdToken, IdTokenClaims, IssuerUrl,
    JsonWebKeyId, LocalizedClaim, Nonce, PrivateSigningKey, StandardClaims, SubjectIdentifier,
};

/// The key the issuer publishes, and another one, never published, that signs under the
/// same key id. Both are 2048-bit RSA keys made with `openssl genrsa` for these tests
/// only; they protect nothing.
const KEY: &str = include_str!("../fixtures/hostile-issuer-key.pem");
const ANOTHER_KEY: &str = include_str!("../fixtures/hostile-issuer-other-key.pem");
const KID: &str = "fc-test-1";

/// The claims of an ID token to mint. [`HostileIssuer::claims`] makes correct ones;
/// a test changes the one it attacks.
#[derive(Debug, Clone)]
pub struct Claims {
    pub issuer: String,
    pub audience: String,
    pub subject: String,
    pub nonce: String,
    pub issued: DateTime<Utc>,
    pub expires: DateTime<Utc>,
    pub email: String,
    /// `None`: the token has no groups claim (the console then asks userinfo).
    pub groups: Option<Vec<String>>,
}

/// The groups claim the console maps to roles (`FC_OIDC_ROLE_CLAIM` unset).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Groups {
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<Vec<String>>,
}

impl AdditionalClaims for Groups {}

type GroupsIdToken =
    IdToken<Groups, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>;

/// The ID token the token endpoint answers with next, and the userinfo answer.
#[derive(Default)]
struct Answers {
    id_token: Mutex<String>,
    userinfo: Mutex<serde_json::Value>,
}

type Answer = Arc<Answers>;

pub struct HostileIssuer {
    /// Its issuer: the address it is reached at.
    pub issuer: String,
    answer: Answer,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for HostileIssuer {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl HostileIssuer {
    /// A fresh issuer on a free port, already serving.
    pub async fn start() -> HostileIssuer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        let answer = Answer::default();
        let keys = CoreJsonWebKeySet::new(vec![key(KEY).as_verification_key()]);
        let configuration = serde_json::json!({
            "issuer": issuer,
            "authorization_endpoint": format!("{issuer}/authorize"),
            "token_endpoint": format!("{issuer}/token"),
            "userinfo_endpoint": format!("{issuer}/userinfo"),
            "jwks_uri": format!("{issuer}/jwks"),
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nonce", "email", "name", "groups"],
        });
        let router = Router::new()
            .route("/.well-known/openid-configuration", get(move || async { Json(configuration) }))
            .route("/jwks", get(move || async { Json(keys) }))
            .route("/token", post(token))
            .route("/userinfo", get(userinfo))
            .with_state(answer.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        HostileIssuer { issuer, answer, server }
    }

    /// Correct claims for the flow that sent `nonce`: this issuer, the console as the
    /// audience, valid for five minutes, a person in `fc-support`.
    pub fn claims(&self, nonce: &str) -> Claims {
        let now = Utc::now();
        Claims {
            issuer: self.issuer.clone(),
            audience: super::SSO_CLIENT_ID.into(),
            subject: "sam".into(),
            nonce: nonce.into(),
            issued: now,
            expires: now + Duration::minutes(5),
            email: "sam@corp.example".into(),
            groups: Some(vec!["fc-support".into()]),
        }
    }

    /// The ID token the token endpoint answers with from now on.
    pub fn answer(&self, id_token: String) {
        *self.answer.id_token.lock().unwrap() = id_token;
    }

    /// What the userinfo endpoint answers from now on.
    pub fn userinfo(&self, claims: serde_json::Value) {
        *self.answer.userinfo.lock().unwrap() = claims;
    }

    /// `claims` signed (RS256) with the key the issuer publishes.
    pub fn signed(&self, claims: &Claims) -> String {
        sign(claims, &key(KEY))
    }

    /// `claims` signed (RS256) with a key the issuer does not publish, under the key id
    /// of the one it does.
    pub fn signed_with_another_key(&self, claims: &Claims) -> String {
        sign(claims, &key(ANOTHER_KEY))
    }

    /// `claims` with no signature: the header says `alg: none`, the signature is empty.
    pub fn unsigned(&self, claims: &Claims) -> String {
        let signed = self.signed(claims);
        let payload = signed.split('.').nth(1).unwrap();
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        format!("{header}.{payload}.")
    }
}

fn key(pem: &str) -> CoreRsaPrivateSigningKey {
    CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new(KID.into()))).unwrap()
}

fn sign(c: &Claims, key: &CoreRsaPrivateSigningKey) -> String {
    let standard =
        StandardClaims::<CoreGenderClaim>::new(SubjectIdentifier::new(c.subject.clone()))
            .set_email(Some(EndUserEmail::new(c.email.clone())))
            .set_name(Some(LocalizedClaim::from(EndUserName::new(c.subject.clone()))));
    let claims = IdTokenClaims::new(
        IssuerUrl::new(c.issuer.clone()).unwrap(),
        vec![Audience::new(c.audience.clone())],
        c.expires,
        c.issued,
        standard,
        Groups { groups: c.groups.clone() },
    )
    .set_nonce(Some(Nonce::new(c.nonce.clone())));
    GroupsIdToken::new(claims, key, CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256, None, None)
        .unwrap()
        .to_string()
}

/// `POST /token`: any code, any client, the ID token set for this moment.
async fn token(State(answer): State<Answer>) -> Json<serde_json::Value> {
    let id_token = answer.id_token.lock().unwrap().clone();
    Json(serde_json::json!({
        "access_token": "hostile-access-token",
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token,
    }))
}

/// `GET /userinfo`: the claims set for this moment, whoever asks.
async fn userinfo(State(answer): State<Answer>) -> Json<serde_json::Value> {
    Json(answer.userinfo.lock().unwrap().clone())
}
