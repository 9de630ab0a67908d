//! Public-account owners: bind a person as a public account's owner
//! ("responsible person") and query who it is.

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::path::{self, AccountsPath, Param};
use crate::transport::Method;

/// The owner of a public account.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub struct Owner {
    /// The owner's user id.
    pub user_id: String,
    /// The owner's user name.
    pub user_name: String,
    /// Whether the owner's user is disabled.
    pub disabled: bool,
}

#[derive(Deserialize)]
struct BindResponse {
    account_id: String,
}

#[derive(Serialize)]
struct BindRequest<'a> {
    user_name: &'a str,
}

/// The service's code for "this public account has no owner".
const NO_OWNER: &str = "APP.ACCOUNT.0037";

fn owner_path(app_id: &str, app_user_id: &str) -> Result<String> {
    Ok(AccountsPath::new(app_id)?
        .then("/public-account")
        .id(Param::AppUserId, app_user_id)?
        .then("/owner")
        .into_string())
}

impl Client {
    /// Makes `user_name` the owner of public account `app_user_id` of
    /// application `app_id`, replacing any previous owner, and returns the
    /// public account's account id. Binding the same owner again is harmless,
    /// so the call is retried like a read.
    ///
    /// Errors:
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) for an
    /// empty `app_id` (`APP.0006`) or `app_user_id` (`APP.ACCOUNT.0047`),
    /// before anything is sent; [`ErrorKind::Api`](crate::ErrorKind::Api) with
    /// `APP.0001` (no such application) or `APP.ACCOUNT.0038` (no such public
    /// account).
    ///
    /// # Examples
    ///
    /// ```
    /// # let mock = eiam_mock::MockServer::start()?;
    /// # let config = eiam::Config::builder(mock.base_url())
    /// #     .client_credentials(mock.client_id(), mock.client_secret())
    /// #     .build()?;
    /// # let client = eiam::Client::new(config)?;
    /// let account_id = client.bind_public_account_owner("demo-app", "pub-2", "zhangsan")?;
    /// assert_eq!(account_id, "pub-2");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bind_public_account_owner(
        &self,
        app_id: &str,
        app_user_id: &str,
        user_name: &str,
    ) -> Result<String> {
        let path = owner_path(app_id, app_user_id)?;
        path::check(Param::UserName, user_name)?;
        let body = serde_json::to_vec(&BindRequest { user_name })
            .map_err(|e| Error::internal(format!("encoding the request failed: {e}")))?;
        let answer: BindResponse = self.call(Method::Post, &path, Some(&body))?;
        if answer.account_id.trim().is_empty() {
            return Err(Error::new(
                ErrorKind::Protocol,
                "the service answered with an empty account_id",
            ));
        }
        Ok(answer.account_id)
    }

    /// Returns the owner of public account `app_user_id` of application
    /// `app_id`: the user's id and name and whether the user is disabled.
    ///
    /// Errors:
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) for an
    /// empty `app_id` (`APP.0006`) or `app_user_id` (`APP.ACCOUNT.0047`),
    /// before anything is sent; [`ErrorKind::Api`](crate::ErrorKind::Api) with
    /// `APP.ACCOUNT.0038` (no such public account) or `APP.ACCOUNT.0037` (the
    /// account has no owner).
    ///
    /// # Examples
    ///
    /// ```
    /// # let mock = eiam_mock::MockServer::start()?;
    /// # let config = eiam::Config::builder(mock.base_url())
    /// #     .client_credentials(mock.client_id(), mock.client_secret())
    /// #     .build()?;
    /// # let client = eiam::Client::new(config)?;
    /// let owner = client.get_public_account_owner("demo-app", "pub-1")?;
    /// assert_eq!(owner.user_name, "zhangsan");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_public_account_owner(&self, app_id: &str, app_user_id: &str) -> Result<Owner> {
        let path = owner_path(app_id, app_user_id)?;
        self.call(Method::Get, &path, None)
    }

    /// Returns the owner of public account `app_user_id` of application
    /// `app_id`, or `None` when it has none (the service's
    /// `APP.ACCOUNT.0037`, an error for
    /// [`get_public_account_owner`](Self::get_public_account_owner)).
    pub fn find_public_account_owner(
        &self,
        app_id: &str,
        app_user_id: &str,
    ) -> Result<Option<Owner>> {
        match self.get_public_account_owner(app_id, app_user_id) {
            Ok(owner) => Ok(Some(owner)),
            Err(e) if e.code() == Some(NO_OWNER) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
