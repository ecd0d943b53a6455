//! The closed set of audited acts. Each has a stable code stored in the log.

/// Whether the act was carried out or refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Allowed,
    Denied,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Denied => "denied",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "allowed" => Some(Outcome::Allowed),
            "denied" => Some(Outcome::Denied),
            _ => None,
        }
    }
}

macro_rules! actions {
    ($($variant:ident => $code:literal),* $(,)?) => {
        /// What was done. Adding a variant is how a new kind of event enters the log.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum AuditAction { $($variant),* }

        impl AuditAction {
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$variant),*];

            pub fn code(self) -> &'static str {
                match self { $(AuditAction::$variant => $code),* }
            }

            /// The Fluent key of the act's plain name (`course.read` -> `act-course-read`).
            pub fn label_key(self) -> String {
                format!("act-{}", self.code().replace(['.', '_'], "-"))
            }

            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|a| a.code() == code)
            }

            /// Whether the act only looked (read, listed, searched) rather than changed.
            pub fn is_read(self) -> bool {
                [".read", ".list", ".search", "_read"].iter().any(|end| self.code().ends_with(end))
            }
        }
    };
}

actions! {
    LoginSucceeded => "session.login",
    LoginFailed => "session.login_failed",
    LoginRateLimited => "session.login_rate_limited",
    SecondFactorFailed => "session.second_factor_failed",
    Logout => "session.logout",
    LogoutEverywhere => "session.logout_everywhere",
    SecondFactorEnrolled => "account.second_factor_enrolled",
    RecoveryCodesRenewed => "account.recovery_codes_renewed",
    RecoveryCodeUsed => "account.recovery_code_used",
    EmailChanged => "account.email_change",
    OrganisationCreated => "org.create",
    OrganisationSettingsChanged => "org.settings_change",
    CollaborationCreated => "collaboration.create",
    CollaborationPhasesChanged => "collaboration.phases_change",
    UnitCreated => "unit.create",
    UserCreated => "user.create",
    UserRead => "user.read",
    UserListed => "user.list",
    RoleGranted => "user.role_grant",
    RoleRevoked => "user.role_revoke",
    PasswordReset => "user.password_reset",
    UserDeactivated => "user.deactivate",
    CitizenCreated => "citizen.create",
    CitizenRead => "citizen.read",
    RelativeLinked => "citizen.relative_link",
    CitizenSearched => "citizen.search",
    SearchRateLimited => "citizen.search_rate_limited",
    CourseOpened => "course.open",
    CourseRead => "course.read",
    CourseListed => "course.list",
    CoursePhaseChanged => "course.phase_change",
    CourseClosed => "course.close",
    CourseFrameChanged => "course.frame_change",
    NetworkMemberAdded => "course.network_add",
    NetworkMemberRemoved => "course.network_remove",
    NetworkShareChanged => "course.network_share_change",
    TeamMemberAdded => "course.member_add",
    TeamMemberRemoved => "course.member_remove",
    CoordinatorChanged => "course.coordinator_change",
    PlanRead => "plan.read",
    PlanSaved => "plan.save",
    PlanAgreed => "plan.agree",
    PlanCommented => "plan.comment",
    ConsentRecorded => "consent.record",
    ConsentConfirmed => "consent.confirm",
    ConsentRead => "consent.read",
    ConsentWithdrawn => "consent.withdraw",
    ConsentDocumentRead => "consent.document_read",
    ConsentRequested => "consent.request",
    LegalBasisRecorded => "legal_basis.record",
    LegalBasisRead => "legal_basis.read",
    LegalBasisEnded => "legal_basis.end",
    EmergencyAccessStarted => "emergency.start",
    EmergencyAccessRead => "emergency.read",
    EmergencyReviewsRead => "emergency.review_list",
    EmergencyAccessReviewed => "emergency.review",
    EmergencyAccessApproved => "emergency.approve",
    TeamCreated => "team.create",
    TeamChanged => "team.change",
    TeamCitizenAdded => "team.citizen_add",
    TeamCitizenRemoved => "team.citizen_remove",
    TeamCitizensRead => "team.citizen_list",
    MeetingSeriesCreated => "meeting.series_create",
    MeetingChanged => "meeting.change",
    MeetingAttendance => "meeting.attendance",
    CaseAdded => "case.add",
    CasesRead => "case.list",
    CaseRead => "case.read",
    CaseWritten => "case.write",
    CaseApproved => "case.approve",
    MinutesRead => "minutes.read",
    DeliveryRetried => "delivery.retry",
    EvaluationRecorded => "evaluation.record",
    CalendarFeedCreated => "calendar.create",
    CalendarFeedRevoked => "calendar.revoke",
    OfferChanged => "offer.change",
    OfferConfirmed => "offer.confirm",
    OffersImported => "offer.import",
    OfferEditorChanged => "offer.editor_change",
    OfferFollowChanged => "offer.follow_change",
    ReferralCreated => "referral.create",
    ReferralStepped => "referral.step",
    ReferralRead => "referral.read",
    ReferralsListed => "referral.list",
    ReferralAttachmentAdded => "referral.attachment_add",
    ReferralAttachmentRead => "referral.attachment_read",
    BedChanged => "care.bed_change",
    StayChanged => "care.stay_change",
    StaysListed => "care.stay_list",
    OutreachRecorded => "outreach.record",
    OutreachRead => "outreach.read",
    OutreachTimeChanged => "outreach.time_change",
    HospitalMessageReceived => "hospital.message_receive",
    HospitalEpisodesRead => "hospital.episode_read",
    HospitalClientCreated => "hospital.client_create",
    HospitalClientRevoked => "hospital.client_revoke",
    HospitalClientRefused => "hospital.client_refuse",
    HospitalFollowUpBooked => "hospital.follow_up_book",
    HospitalEpisodeMatched => "hospital.episode_match",
    AppointmentBooked => "appointment.book",
    AppointmentMoved => "appointment.move",
    AppointmentCancelled => "appointment.cancel",
    AppointmentsRead => "appointment.read",
    AppointmentsListed => "appointment.list",
    AttendanceRecorded => "appointment.attendance",
    NoShowFollowedUp => "appointment.follow_up",
    AppointmentReminded => "appointment.remind",
    EscortRequested => "escort.request",
    EscortAnswered => "escort.answer",
    EscortTimeRecorded => "escort.time",
    EscortsListed => "escort.list",
    NoticesListed => "notice.list",
    NoticesMarkedRead => "notice.mark_read",
    AccessDenied => "access.denied",
    AccessLogRead => "citizen.access_log_read",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique() {
        let mut codes: Vec<_> = AuditAction::ALL.iter().map(|a| a.code()).collect();
        codes.sort_unstable();
        let n = codes.len();
        codes.dedup();
        assert_eq!(n, codes.len());
    }
}
