//! The console as an OpenID Connect relying party: the provider's configuration from
//! discovery, and the two halves of the authorization-code flow (with PKCE, `state` and
//! `nonce`): the address to send a person to, and the checked identity they come back
//! with.
use std::collections::BTreeMap;

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType,
    CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreRevocableToken, CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, Client, ClientId, ClientSecret, CsrfToken,
    EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl,
    Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, ProviderMetadataWithLogout,
    RedirectUrl, Scope, StandardErrorResponse, StandardTokenResponse, SubjectIdentifier,
    TokenResponse, UserInfoClaims,
};

use crate::domain::sso::RoleMap;
use crate::AppError;

/// Every claim besides the standard ones, by name: the groups claim is a setting.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct OtherClaims {
    #[serde(flatten)]
    claims: BTreeMap<String, serde_json::Value>,
}

impl AdditionalClaims for OtherClaims {}

impl OtherClaims {
    /// Whether claim `name` is present at all.
    pub fn has(&self, name: &str) -> bool {
        self.claims.contains_key(name)
    }

    /// The values of claim `name`: a list of strings, or one string.
    pub fn strings(&self, name: &str) -> Vec<String> {
        match self.claims.get(name) {
            Some(serde_json::Value::Array(items)) => {
                items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()
            }
            Some(serde_json::Value::String(one)) => vec![one.clone()],
            _ => Vec::new(),
        }
    }
}

type IdFields = IdTokenFields<
    OtherClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type Tokens = StandardTokenResponse<IdFields, CoreTokenType>;
type OidcClient = Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// What the operator configures (`FC_OIDC_*`, `FC_PUBLIC_URL`).
#[derive(Debug, Clone)]
pub struct SsoSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// The console's address as people's browsers reach it, e.g. `https://console.example.com`.
    pub public_url: String,
    pub role_map: RoleMap,
    /// The claim that lists a person's groups (`groups` unless set).
    pub role_claim: String,
    /// How the sign-in page names the provider ("Sign in with …").
    pub provider_name: String,
}

/// The provider, as discovery described it, and how to use it.
pub struct Sso {
    pub settings: SsoSettings,
    client: OidcClient,
    /// Where the provider ends its own session (RP-initiated logout), if it offers it.
    end_session: Option<openidconnect::url::Url>,
    http: reqwest::Client,
}

impl std::fmt::Debug for Sso {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sso")
            .field("issuer", &self.settings.issuer)
            .field("client_id", &self.settings.client_id)
            .finish_non_exhaustive()
    }
}

/// The half of a flow the console keeps until the person comes back (`state` names it).
pub struct Pending {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// Who came back, as the provider vouches for them.
#[derive(Debug, Clone)]
pub struct Identity {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub groups: Vec<String>,
    /// The ID token as received: sign-out hands it back to the provider.
    pub id_token: String,
}

/// A sign-in refused at check `what`: the same refusal to the person whatever failed;
/// the log says which.
fn refused(what: &str, e: &dyn std::fmt::Display) -> AppError {
    tracing::warn!(error = %e, "single sign-on refused: {what}");
    AppError::Unauthorized
}

/// The path the provider sends people back to.
pub const CALLBACK_PATH: &str = "/auth/oidc/callback";

impl Sso {
    /// Reads the provider's configuration (discovery, then its keys).
    pub async fn discover(settings: SsoSettings) -> Result<Sso, AppError> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(AppError::internal)?;
        let issuer = IssuerUrl::new(settings.issuer.clone()).map_err(AppError::internal)?;
        let metadata =
            ProviderMetadataWithLogout::discover_async(issuer, &http).await.map_err(|e| {
                AppError::internal(format!("OpenID discovery at {}: {e}", settings.issuer))
            })?;
        let end_session =
            metadata.additional_metadata().end_session_endpoint.as_ref().map(|u| u.url().clone());
        let callback = format!("{}{CALLBACK_PATH}", settings.public_url.trim_end_matches('/'));
        let client = OidcClient::from_provider_metadata(
            metadata,
            ClientId::new(settings.client_id.clone()),
            Some(ClientSecret::new(settings.client_secret.clone())),
        )
        .set_redirect_uri(RedirectUrl::new(callback).map_err(AppError::internal)?);
        Ok(Sso { settings, client, end_session, http })
    }

    /// The provider's sign-in address for a new flow, and what to keep of it.
    pub fn start(&self) -> (String, Pending) {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = self
            .client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        let pending = Pending {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        };
        (url.to_string(), pending)
    }

    /// Trades `code` for tokens and checks the ID token (signature, issuer, audience,
    /// expiry, the flow's nonce). Any failure is the same refusal to the person; the
    /// log says which check failed.
    pub async fn finish(&self, code: String, pending: &Pending) -> Result<Identity, AppError> {
        let tokens = self
            .client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| refused("no token endpoint", &e))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| refused("code exchange", &e))?;
        let id_token = tokens.id_token().ok_or_else(|| refused("no ID token", &"absent"))?;
        let verifier = self.client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, &Nonce::new(pending.nonce.clone()))
            .map_err(|e| refused("ID token", &e))?;
        let mut who = Identity {
            issuer: claims.issuer().to_string(),
            subject: claims.subject().to_string(),
            email: claims.email().map(|e| e.to_string()),
            name: claims.name().and_then(|n| n.get(None)).map(|n| n.to_string()),
            groups: claims.additional_claims().strings(&self.settings.role_claim),
            id_token: id_token.to_string(),
        };
        let lacks_groups = !claims.additional_claims().has(&self.settings.role_claim);
        if lacks_groups || who.email.is_none() {
            self.complete_from_userinfo(&mut who, tokens.access_token().clone(), lacks_groups)
                .await?;
        }
        Ok(who)
    }

    /// Fills in what the ID token left out (many providers put groups, or the email, only
    /// in userinfo) from the userinfo endpoint, which must speak of the same subject.
    async fn complete_from_userinfo(
        &self,
        who: &mut Identity,
        access_token: openidconnect::AccessToken,
        groups: bool,
    ) -> Result<(), AppError> {
        let Some(request) = self
            .client
            .user_info(access_token, Some(SubjectIdentifier::new(who.subject.clone())))
            .ok()
        else {
            return Ok(());
        };
        let info: UserInfoClaims<OtherClaims, CoreGenderClaim> =
            request.request_async(&self.http).await.map_err(|e| refused("userinfo", &e))?;
        if groups {
            who.groups = info.additional_claims().strings(&self.settings.role_claim);
        }
        if who.email.is_none() {
            who.email = info.email().map(|e| e.to_string());
        }
        if who.name.is_none() {
            who.name = info.name().and_then(|n| n.get(None)).map(|n| n.to_string());
        }
        Ok(())
    }

    /// The origin of the provider's end-session endpoint, if it has one (the page's
    /// policy lets a sign-out form lead there).
    pub fn end_session_origin(&self) -> Option<String> {
        self.end_session.as_ref().map(|u| u.origin().ascii_serialization())
    }

    /// Where to send the browser at sign-out so the provider ends its session too (then
    /// back to the console's sign-in page), when it offers an end-session endpoint.
    pub fn end_session_url(&self, id_token: &str) -> Option<String> {
        let mut url = self.end_session.clone()?;
        let back = format!("{}/login", self.settings.public_url.trim_end_matches('/'));
        url.query_pairs_mut()
            .append_pair("id_token_hint", id_token)
            .append_pair("client_id", &self.settings.client_id)
            .append_pair("post_logout_redirect_uri", &back);
        Some(url.to_string())
    }
}
