/// What can go wrong in a store. Messages never carry personal data.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was hit; the payload names the field ("username", "cpr", ...).
    #[error("conflict on {0}")]
    Conflict(&'static str),
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
