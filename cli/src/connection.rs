//! Connection settings from flags and the environment.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use eiam::{Client, Config, MAX_TIMEOUT};

use crate::exit::Failure;
use crate::output;

#[derive(Args)]
pub struct Connection {
    /// The tenant's base URL, e.g. https://acme.idaas.example.com.
    // The comment is also `--help`'s text, where a bare URL reads best.
    #[allow(rustdoc::bare_urls)]
    #[arg(long, env = "EIAM_BASE_URL", global = true)]
    base_url: Option<String>,
    /// Client id of the application used to call the API.
    #[arg(long, env = "EIAM_CLIENT_ID", global = true)]
    client_id: Option<String>,
    /// Client secret (prefer the EIAM_CLIENT_SECRET variable).
    #[arg(
        long,
        env = "EIAM_CLIENT_SECRET",
        hide_env_values = true,
        global = true
    )]
    client_secret: Option<String>,
    /// A ready access token instead of client credentials (prefer the
    /// EIAM_ACCESS_TOKEN variable).
    #[arg(long, env = "EIAM_ACCESS_TOKEN", hide_env_values = true, global = true)]
    access_token: Option<String>,
    /// A PEM file of CA certificates to trust besides the system's.
    #[arg(long, env = "EIAM_CA_FILE", global = true)]
    ca_file: Option<PathBuf>,
    /// An HTTP proxy URL (HTTPS_PROXY and NO_PROXY apply without it).
    #[arg(long, global = true)]
    proxy: Option<String>,
    /// Overall deadline of each call, in seconds.
    #[arg(
        long,
        default_value_t = eiam::DEFAULT_TIMEOUT.as_secs_f64(),
        help = format!(
            "Overall deadline of each call, in seconds (more than 0, at most {})",
            MAX_TIMEOUT.as_secs()
        ),
        global = true
    )]
    timeout: f64,
    /// Retries after transport failures and 429/502/503/504.
    #[arg(long, default_value_t = eiam::DEFAULT_MAX_RETRIES, global = true)]
    max_retries: u32,
    /// Allow http:// to hosts other than loopback (sends secrets in clear text).
    #[arg(long, global = true)]
    allow_insecure_http: bool,
}

impl Connection {
    pub fn client(&self) -> Result<Client, Failure> {
        let base_url = self
            .base_url
            .as_deref()
            .ok_or_else(|| Failure::Input("set --base-url or EIAM_BASE_URL".into()))?;
        let mut builder = Config::builder(base_url)
            .max_retries(self.max_retries)
            .allow_insecure_http(self.allow_insecure_http)
            .user_agent(concat!("eiam-cli/", env!("CARGO_PKG_VERSION")));
        let timeout = Duration::try_from_secs_f64(self.timeout)
            .ok()
            .filter(|t| !t.is_zero() && *t <= MAX_TIMEOUT)
            .ok_or_else(|| {
                Failure::Input(format!(
                    "--timeout must be a number of seconds, more than 0 and at most {}",
                    MAX_TIMEOUT.as_secs()
                ))
            })?;
        builder = builder.timeout(timeout);
        warn_if_given_as_flag(
            "--client-secret",
            "EIAM_CLIENT_SECRET",
            self.client_secret.as_deref(),
        );
        warn_if_given_as_flag(
            "--access-token",
            "EIAM_ACCESS_TOKEN",
            self.access_token.as_deref(),
        );
        match (&self.access_token, &self.client_id, &self.client_secret) {
            (Some(token), None, None) => builder = builder.access_token(token.as_str()),
            (None, Some(id), Some(secret)) => {
                builder = builder.client_credentials(id.as_str(), secret.as_str())
            }
            (Some(_), _, _) => {
                return Err(Failure::Input(
                    "give either an access token or client credentials, not both".into(),
                ))
            }
            _ => {
                return Err(Failure::Input(
                    "set EIAM_CLIENT_ID and EIAM_CLIENT_SECRET (or EIAM_ACCESS_TOKEN)".into(),
                ))
            }
        }
        if let Some(ca) = &self.ca_file {
            builder = builder.ca_file(ca);
        }
        if let Some(proxy) = &self.proxy {
            builder = builder.proxy(proxy.as_str());
        }
        Ok(Client::new(builder.build()?)?)
    }
}

/// clap fills the field from the flag or the variable; only the flag is
/// visible to other users (`ps`), so only the flag earns a warning.
fn warn_if_given_as_flag(flag: &str, variable: &str, value: Option<&str>) {
    let from_env = std::env::var(variable).ok();
    if value.is_some() && value != from_env.as_deref() {
        output::note(format_args!(
            "eiam: warning: {flag} on the command line is visible to other users; set {variable} instead"
        ));
    }
}
