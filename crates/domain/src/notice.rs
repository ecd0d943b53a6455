//! Notices: what Bro tells a person in Bro itself, one list per person, shared by every
//! capability that has something to tell.

use crate::coded::coded;

coded!(
    /// What a notice tells its reader: `consent_recorded`, a consent recorded for the citizen
    /// (to the coordinator and the citizen); `consent_awaiting`, one that
    /// waits for their confirmation; `course_opened_elsewhere`, another organisation
    /// opened a new course for the citizen of a course the reader coordinated, with its reason;
    /// `offer_changed`, an offer the reader follows changed; `referral_changed`, a referral the
    /// reader made took a step; `referral_decided`, the citizen's referral was decided.
    NoticeKind, "notice-" {
        ConsentRecorded => "consent_recorded",
        ConsentAwaiting => "consent_awaiting",
        CourseOpenedElsewhere => "course_opened_elsewhere",
        OfferChanged => "offer_changed",
        ReferralChanged => "referral_changed",
        ReferralDecided => "referral_decided",
    }
);
