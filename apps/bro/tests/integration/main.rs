//! The one integration-test binary: store contract tests on both backends, HTTP tests against
//! a real server, and CLI tests against the real `bro` binary.

/// Every scenario runs on SQLite and on PostgreSQL.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(bro_testkit::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(bro_testkit::Backend::Postgres).await;
                }
            )*
        }
    };
}

mod appointment_feed;
mod appointment_reminders;
mod appointments;
mod care_places;
mod cli;
mod contract;
mod escort;
mod hospital;
mod hospital_api;
mod hospital_batch;
mod hospital_by_hand;
mod hospital_follow_up;
mod hsds;
mod hsds_import;
mod http_access;
mod http_admin;
mod http_consents;
mod http_courses;
mod http_login;
mod http_plan;
mod http_shell;
mod meetings;
mod offer_mail;
mod offers;
mod outreach;
mod pdf;
mod referrals;
mod sharing_integrity;
mod sharing_matrix;
