use std::fmt;

/// What can go wrong in a store. Messages never carry personal data.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A rule was hit (a uniqueness rule, or a state the change needs); the payload names it.
    #[error("conflict on {0}")]
    Conflict(Conflict),
    /// The database cannot be reached right now; the request may be retried later.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Database(String),
    /// Stored data that does not parse, e.g. an unknown enum code.
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The rule a refused change ran into. Each has a stable code (see [`Conflict::code`]), which
/// is what the error's text shows; nothing stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// The case's minutes are approved (frozen) already.
    Approved,
    /// An attendance value that is not one of the known ones.
    Attendance,
    /// The meeting is cancelled.
    Cancelled,
    /// The course is closed.
    Closed,
    /// A collaboration of that name exists already.
    Collaboration,
    /// The change would leave the course without its coordinator: hand the role over first.
    Coordinator,
    /// A citizen with this CPR number exists already.
    Cpr,
    /// The legal basis was ended already.
    Ended,
    /// A submitted form could not be read.
    Form,
    /// The user is invited to the meeting already.
    Invited,
    /// The citizen is on the team's list already.
    Listed,
    /// The user is on the course's team already.
    Member,
    /// The citizen has an open course already.
    OpenCourse,
    /// The citizen's last course was held by another organisation: a new one needs a reason.
    HandoverReason,
    /// The meeting would overlap another meeting of the team.
    Overlap,
    /// The course is no longer in the phase the change started from.
    Phase,
    /// The plan was saved by someone else since the version the change started from.
    Plan,
    /// The offer was saved by someone else since the version the change started from.
    Offer,
    /// Someone else took a step on the referral since the version the step started from.
    Referral,
    /// The bed is booked or closed on one of the days asked for.
    BedTaken,
    /// Someone else changed the stay since the version the change started from.
    Stay,
    /// The emergency access was reviewed already.
    Reviewed,
    /// The user holds that role in that unit already.
    Role,
    /// The user has a second factor already.
    SecondFactor,
    /// The username is taken.
    Username,
    /// The consent was withdrawn already.
    Withdrawn,
    /// An organisation or a unit of that name exists already.
    Name,
    /// A recovery code of the user was there already.
    RecoveryCode,
    /// A session with that id exists already.
    Session,
    /// The user is linked to the citizen as a relative already.
    Relative,
    /// An organisation was named twice for one consent or legal basis.
    Organisation,
    /// A uniqueness rule on consents was hit.
    Consent,
    /// A uniqueness rule on legal bases was hit.
    LegalBasis,
    /// A uniqueness rule on emergency accesses was hit.
    Emergency,
    /// A team of that name exists already.
    Team,
    /// A uniqueness rule on meeting series was hit.
    Series,
    /// A uniqueness rule on meetings was hit (e.g. a series date twice).
    Meeting,
    /// A uniqueness rule on the team's list of citizens was hit.
    TeamCitizen,
    /// The course is on the meeting's agenda already.
    Case,
    /// The case has minutes already.
    Minutes,
    /// A uniqueness rule on meeting evaluations was hit.
    Evaluation,
    /// The citizen answered their case's evaluation themselves: a note of it by the meeting
    /// leader does not replace their own answers.
    CitizenEvaluated,
    /// A calendar feed with that token exists already.
    Feed,
    /// A uniqueness rule on team members was hit.
    TeamMember,
    /// A team was given two themes for one month.
    Theme,
    /// A bulk load names a table that bulk loading does not know.
    UnknownTable,
    /// A bulk load has a row whose width is not the number of columns (or no columns).
    RowWidth,
    /// A bulk load's rows broke a uniqueness rule.
    BulkInsert,
    /// A field's text is longer than allowed.
    TooLong,
    /// Someone else changed the appointment since the version the change started from.
    Appointment,
    /// What happened at the appointment is recorded already.
    Recorded,
    /// The appointment has not begun: what happened cannot be recorded yet.
    NotYet,
    /// The appointment has begun (or is cancelled): escort can no longer be asked for it.
    Begun,
    /// The escort request was answered already, or one is open or accepted already.
    Escort,
    /// A uniqueness rule that the statement did not expect to hit.
    Unknown,
}

impl Conflict {
    /// The conflict's stable code, e.g. `"username"`.
    pub fn code(&self) -> &'static str {
        match self {
            Conflict::Approved => "approved",
            Conflict::Attendance => "attendance",
            Conflict::Cancelled => "cancelled",
            Conflict::Closed => "closed",
            Conflict::Collaboration => "collaboration",
            Conflict::Coordinator => "coordinator",
            Conflict::Cpr => "cpr",
            Conflict::Ended => "ended",
            Conflict::Form => "form",
            Conflict::Invited => "invited",
            Conflict::Listed => "listed",
            Conflict::Member => "member",
            Conflict::OpenCourse => "open_course",
            Conflict::HandoverReason => "handover_reason",
            Conflict::Overlap => "overlap",
            Conflict::Phase => "phase",
            Conflict::Plan => "plan",
            Conflict::Offer => "offer",
            Conflict::Referral => "referral",
            Conflict::BedTaken => "bed_taken",
            Conflict::Stay => "stay",
            Conflict::Reviewed => "reviewed",
            Conflict::Role => "role",
            Conflict::SecondFactor => "second_factor",
            Conflict::Username => "username",
            Conflict::Withdrawn => "withdrawn",
            Conflict::Name => "name",
            Conflict::RecoveryCode => "recovery_code",
            Conflict::Session => "session",
            Conflict::Relative => "relative",
            Conflict::Organisation => "organisation",
            Conflict::Consent => "consent",
            Conflict::LegalBasis => "legal_basis",
            Conflict::Emergency => "emergency",
            Conflict::Team => "team",
            Conflict::Series => "series",
            Conflict::Meeting => "meeting",
            Conflict::TeamCitizen => "team citizen",
            Conflict::Case => "case",
            Conflict::Minutes => "minutes",
            Conflict::Evaluation => "evaluation",
            Conflict::CitizenEvaluated => "citizen_evaluated",
            Conflict::Feed => "feed",
            Conflict::TeamMember => "team member",
            Conflict::Theme => "theme",
            Conflict::UnknownTable => "unknown table",
            Conflict::RowWidth => "row width",
            Conflict::BulkInsert => "bulk insert",
            Conflict::TooLong => "too long",
            Conflict::Appointment => "appointment",
            Conflict::Recorded => "recorded",
            Conflict::NotYet => "not_yet",
            Conflict::Begun => "begun",
            Conflict::Escort => "escort",
            Conflict::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
