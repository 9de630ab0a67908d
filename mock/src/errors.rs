//! The service's business errors: HTTP 400 with `{"error_code",
//! "error_msg"}`, the code and the Chinese message exactly as the service
//! sends them (leading space, and the odd inner one, included).

use serde::Serialize;

use crate::http::Response;

/// An EIAM error: `(error_code, error_msg)` exactly as the service sends
/// them.
pub(crate) type Code = (&'static str, &'static str);

pub(crate) const APP_ID_EMPTY: Code = (" APP.0006", "应用ID不能为空");
pub(crate) const APP_NOT_FOUND: Code = (" APP.0001", "应用不存在");
pub(crate) const ORG_NOT_FOUND: Code = (" APP.ORG.0024", "应用机构不存在");
pub(crate) const USER_NOT_FOUND: Code = (" USER.0001", "用户不存在");
pub(crate) const ACCOUNT_NAME_EMPTY: Code = (" APP.ACCOUNT.0001", "账号名不能为空");
pub(crate) const ACCOUNT_NOT_FOUND: Code = (" APP.ACCOUNT.0028", "应用账号不存在");
/// Get-account's variant of [`ACCOUNT_NOT_FOUND`]: the documented example
/// has an inner space too.
pub(crate) const ACCOUNT_NOT_FOUND_ON_GET: Code = (" APP.ACCOUNT. 0028", "应用账号不存在");
pub(crate) const OWNER_NOT_FOUND: Code = (" APP.ACCOUNT.0037", "责任人不存在");
pub(crate) const PUBLIC_ACCOUNT_NOT_FOUND: Code = (" APP.ACCOUNT.0038", "公共账号不存在");
pub(crate) const ACCOUNT_TYPE_BAD: Code = (" APP.ACCOUNT.0045", "账号的账号类型错误");
pub(crate) const ACCOUNT_ID_EMPTY: Code = (" APP.ACCOUNT.0047", "账号的ID不能为空");
pub(crate) const USER_NAME_EMPTY: Code = (" APP.ACCOUNT.0048", "用户名不能为空");
pub(crate) const PAGE_LIMIT_BAD: Code = (" OAP.PAGE.0002", "分页参数超过限制");
pub(crate) const PAGE_OFFSET_BAD: Code = (" OAP.PAGE.0003", "分页页码不符合校验规则");
pub(crate) const BAD_BODY: Code = (" SYS.0001", "请求体格式错误");

#[derive(Serialize)]
struct EiamError {
    error_code: &'static str,
    error_msg: &'static str,
}

/// HTTP 400 with an EIAM error body.
pub(crate) fn eiam_error((error_code, error_msg): Code) -> Response {
    Response::json(
        400,
        &EiamError {
            error_code,
            error_msg,
        },
    )
}
