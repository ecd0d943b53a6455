//! Notices: what Bro tells a person in Bro itself, one list per person, shared by every
//! capability that has something to tell.

use crate::coded::coded;

coded!(
    /// What a notice tells its reader: `consent_recorded`, a consent recorded for the citizen
    /// (to the coordinator and the citizen); `consent_awaiting`, one that
    /// waits for their confirmation; `course_opened_elsewhere`, another organisation
    /// opened a new course for the citizen of a course the reader coordinated, with its reason;
    /// `offer_changed`, an offer the reader follows changed; `referral_changed`, a referral the
    /// reader made took a step; `referral_decided`, the citizen's referral was decided;
    /// `hospital_*`, the citizen of a course the reader is on was admitted, went on or came back
    /// from leave, was discharged, or was admitted again within 30 days of a discharge;
    /// `appointment_no_show`, the citizen did not come to an appointment;
    /// `appointment_reminder`, the citizen's reminder of tomorrow's appointment;
    /// `escort_requested`, escort was asked of the reader's escort service;
    /// `escort_answered`, the escort service answered the reader's request.
    NoticeKind, "notice-" {
        ConsentRecorded => "consent_recorded",
        ConsentAwaiting => "consent_awaiting",
        CourseOpenedElsewhere => "course_opened_elsewhere",
        OfferChanged => "offer_changed",
        ReferralChanged => "referral_changed",
        ReferralDecided => "referral_decided",
        HospitalAdmitted => "hospital_admitted",
        HospitalOnLeave => "hospital_on_leave",
        HospitalBack => "hospital_back",
        HospitalDischarged => "hospital_discharged",
        HospitalReadmitted => "hospital_readmitted",
        AppointmentNoShow => "appointment_no_show",
        AppointmentReminder => "appointment_reminder",
        EscortRequested => "escort_requested",
        EscortAnswered => "escort_answered",
    }
);

impl NoticeKind {
    /// The hospital's events: each links to the course's admissions and is also mailed.
    pub const HOSPITAL: [NoticeKind; 5] = [
        NoticeKind::HospitalAdmitted,
        NoticeKind::HospitalOnLeave,
        NoticeKind::HospitalBack,
        NoticeKind::HospitalDischarged,
        NoticeKind::HospitalReadmitted,
    ];

    pub fn is_hospital(self) -> bool {
        Self::HOSPITAL.contains(&self)
    }
}
