//! What the owner commands print: a sentence for people, JSON for scripts.

use eiam::Owner;
use serde_json::json;

pub fn owner(app_id: &str, app_user_id: &str, owner: &Owner, json: bool) {
    if json {
        println!(
            "{}",
            json!({
                "app_id": app_id,
                "app_user_id": app_user_id,
                "user_id": owner.user_id,
                "user_name": owner.user_name,
                "disabled": owner.disabled,
            })
        );
    } else {
        println!(
            "{app_id}/{app_user_id} is owned by {} (user id {}{})",
            owner.user_name,
            owner.user_id,
            if owner.disabled { ", disabled" } else { "" }
        );
    }
}

pub fn bound(app_id: &str, app_user_id: &str, user_name: &str, account_id: &str, json: bool) {
    if json {
        println!(
            "{}",
            json!({
                "app_id": app_id,
                "app_user_id": app_user_id,
                "user_name": user_name,
                "account_id": account_id,
            })
        );
    } else {
        println!("{user_name} now owns {app_id}/{app_user_id} (account id {account_id})");
    }
}
