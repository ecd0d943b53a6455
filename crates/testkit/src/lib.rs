//! Test support: fresh stores on both backends and a real Bro server on a random port.
//!
//! PostgreSQL tests use `BRO_TEST_POSTGRES_URL`; each gets its own schema. Without the variable
//! they announce themselves as skipped, by name, on standard error.

mod app;
mod outage;
mod pdf;
mod python;
mod store;

pub use app::{Browser, FIXTURE_PASSWORD, Fixture, TestApp, fixture, location};
pub use outage::OutageProxy;
pub use pdf::pdf_text;
pub use python::{SmtpSink, hsds_validate, ical_parse, mailing_to, test_python};
pub use store::{Backend, TestStore, postgres_address, postgres_url};
