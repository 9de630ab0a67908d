//! Helpers shared by the integration tests.
#![allow(dead_code, unused_imports)]

pub mod fault_table;

use std::net::TcpListener;
use std::time::Duration;

use eiam::{Client, Config, ConfigBuilder};
pub use eiam_mock::{Fault, FaultTarget, MockServer, Stats};

/// A mock with the demo data and a builder pointing at it.
pub fn mock() -> MockServer {
    MockServer::start().expect("the mock server starts")
}

pub fn config_for(mock: &MockServer) -> ConfigBuilder {
    Config::builder(mock.base_url())
        .client_credentials(mock.client_id(), mock.client_secret())
        .timeout(Duration::from_secs(10))
}

pub fn client(builder: ConfigBuilder) -> Client {
    Client::new(builder.build().expect("valid config")).expect("client")
}

pub fn client_for(mock: &MockServer) -> Client {
    client(config_for(mock))
}

/// A listener that accepts connections into its backlog and never answers.
pub fn silent_server() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().unwrap());
    (listener, url)
}
