//! The one integration-test binary: store contract tests on both backends, HTTP tests against
//! a real server, and CLI tests against the real `bro` binary.

mod cli;
mod contract;
mod http_access;
mod http_admin;
mod http_consents;
mod http_courses;
mod http_login;
mod http_plan;
mod http_shell;
mod meetings;
mod pdf;
