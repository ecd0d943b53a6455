//! Fælles Team meetings (seed 003, Bilag 1 and 3): who takes part, how the shared template of a
//! citizen case is laid out, how attendance and evaluations are scored, and how a delivery of
//! minutes is retried.

use crate::coded::coded;

coded!(
    /// What a participant represents on the team. The first six are the fixed participants of
    /// seed 003; the rest are drawn from the ad-hoc pool when a case needs them.
    TeamFunction, "team-function-" {
        SubstancePsychiatry => "substance_psychiatry",
        SubstanceTreatment => "substance_treatment",
        CaseAuthority => "case_authority",
        Employment => "employment",
        SocialPsychiatry => "social_psychiatry",
        CarePlaces => "care_places",
        Psychiatrist => "psychiatrist",
        Gp => "gp",
        DropIn => "drop_in",
        Network => "network",
        Other => "other",
    }
);

coded!(
    /// Whether someone took part in a meeting, and how.
    Attendance, "attendance-" {
        Invited => "invited",
        Present => "present",
        Virtual => "virtual",
        Absent => "absent",
    }
);

coded!(
    /// The shared template every citizen case is discussed with, in the order it is filled.
    /// Each actor's input has its own field per participant (see [`input_field`]); agreements
    /// (what, who, by when) are rows of their own.
    CaseField, "case-field-" {
        Status => "status",
        Wishes => "wishes",
        FollowUp => "follow_up",
    }
);

/// The template field holding one participant's input.
pub fn input_field(user: crate::UserId) -> String {
    format!("input-{}", user.0)
}

/// The participant whose input field `field` is, if it is one.
pub fn input_owner(field: &str) -> Option<crate::UserId> {
    field
        .strip_prefix("input-")
        .and_then(|id| id.parse::<i64>().ok())
        .filter(|n| *n > 0)
        .map(crate::UserId)
}

/// Whether `field` names a field of the template: a [`CaseField`] or a participant's input.
pub fn is_template_field(field: &str) -> bool {
    CaseField::parse(field).is_some() || input_owner(field).is_some()
}

/// The longest text one template field may hold.
pub const MAX_FIELD_CHARS: usize = 20_000;

/// An answer on the evaluation scale: 1 (not at all) to 5 (completely).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Score(u8);

impl Score {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 5;

    /// Every answer on the scale, lowest first (for forms and charts).
    pub fn values() -> Vec<u8> {
        (Self::MIN..=Self::MAX).collect()
    }

    pub fn parse(s: &str) -> Option<Score> {
        s.trim().parse::<u8>().ok().and_then(Score::new)
    }

    pub fn new(n: u8) -> Option<Score> {
        (Self::MIN..=Self::MAX).contains(&n).then_some(Score(n))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

coded!(
    /// How minutes reach the citizen.
    DeliveryChannel, "delivery-channel-" {
        Inbox => "inbox",
        Email => "email",
    }
);

coded!(
    /// Where a delivery stands. A failed one is tried again; none is ever dropped.
    DeliveryStatus, "delivery-status-" {
        Pending => "pending",
        Sent => "sent",
        Failed => "failed",
        NoAddress => "no_address",
    }
);

/// When to try a failed delivery again, after `attempts` tries: 1, 5, 15 and 60 minutes, then
/// every six hours. It never gives up: a failure stays visible to the team until it is sent.
pub fn retry_delay_ms(attempts: i64) -> i64 {
    const MINUTE: i64 = 60_000;
    match attempts {
        ..=1 => MINUTE,
        2 => 5 * MINUTE,
        3 => 15 * MINUTE,
        4 => 60 * MINUTE,
        _ => 6 * 60 * MINUTE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_fields_are_the_fixed_ones_or_a_participants_input() {
        assert!(is_template_field("status"));
        assert!(is_template_field("follow_up"));
        assert!(is_template_field(&input_field(crate::UserId(7))));
        assert!(!is_template_field("input-"));
        assert!(!is_template_field("input-0"));
        assert!(!is_template_field("input-x"));
        assert!(!is_template_field("approved"));
    }

    #[test]
    fn scores_run_from_one_to_five() {
        assert_eq!(Score::parse("1").map(Score::get), Some(1));
        assert_eq!(Score::parse(" 5 ").map(Score::get), Some(5));
        assert_eq!(Score::parse("0"), None);
        assert_eq!(Score::parse("6"), None);
        assert_eq!(Score::parse("x"), None);
    }

    #[test]
    fn retries_back_off_but_never_stop() {
        let delays: Vec<i64> = (1..=7).map(retry_delay_ms).collect();
        assert!(delays.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(delays[0], 60_000);
        assert_eq!(delays[6], 6 * 60 * 60_000);
    }
}
