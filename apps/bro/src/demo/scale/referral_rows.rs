//! The tables the generated world's referrals and stays are written to, and the id strides of
//! their histories, apart from the writing so that the chunk writer and the referrals both
//! read them.

use bro_store::TableRows;

/// At most this many history rows per referral (requested, accepted, started, completed):
/// the id stride per chunk.
pub(super) const MAX_EVENTS: i64 = 4;
/// At most this many history rows per stay (booked, arrived, ended).
pub(super) const MAX_STAY_EVENTS: i64 = 3;

/// `referrals`, `referral_events`, `care_stays`, `care_stay_events`, `care_agreements`.
pub(super) fn referral_tables() -> [TableRows; 5] {
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
        TableRows::new(
            "care_stays",
            &[
                "id",
                "referral_id",
                "unit_id",
                "bed_id",
                "start_day",
                "end_day",
                "arrived_ms",
                "ended",
                "next_step",
                "version",
                "created_ms",
            ],
        ),
        TableRows::new(
            "care_stay_events",
            &["id", "stay_id", "at_ms", "user_id", "action", "note"],
        ),
        TableRows::new(
            "care_agreements",
            &[
                "stay_id",
                "version",
                "goals",
                "parties",
                "medication",
                "ward_contact",
                "discharge",
                "participants",
                "review_day",
                "principles",
                "principles_note",
                "written_by_user_id",
                "written_ms",
            ],
        ),
    ]
}
