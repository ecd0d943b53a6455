//! The tables the generated world's referrals are written to, and the id stride of their
//! history, apart from the writing so that the chunk writer and the referrals both read them.

use bro_store::TableRows;

/// At most this many history rows per referral: the id stride per chunk.
pub(super) const MAX_EVENTS: i64 = 2;

pub(super) fn referral_tables() -> [TableRows; 2] {
    [
        TableRows::new(
            "referrals",
            &[
                "id",
                "course_id",
                "citizen_id",
                "offer_id",
                "receiving_unit_id",
                "receiving_org_id",
                "referrer_user_id",
                "referrer_org_id",
                "referrer_kind",
                "status",
                "urgency",
                "reason",
                "tried",
                "wishes",
                "citizen_agreed",
                "created_ms",
                "requested_ms",
                "decided_ms",
                "decided_by_user_id",
                "decision_law",
                "decision_reason",
                "version",
            ],
        ),
        TableRows::new(
            "referral_events",
            &[
                "id",
                "referral_id",
                "at_ms",
                "user_id",
                "org_id",
                "action",
                "from_status",
                "to_status",
                "note",
            ],
        ),
    ]
}
