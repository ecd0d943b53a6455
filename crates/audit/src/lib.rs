//! The tamper-evident audit chain.
//!
//! Each organisation (tenant) has its own chain; tenant 0 is the platform chain for acts that
//! belong to no organisation (citizens, relatives, failed logins of unknown names, the CLI
//! before an organisation exists). Record `n` stores the hash of record `n-1`; the hash covers
//! every field in a canonical, length-prefixed encoding, so altering, removing or reordering a
//! record breaks the chain at that record. The store keeps the chain's head (last sequence number
//! and hash) so that removing the newest records is detected too.
//!
//! This crate is pure: the store appends and reads, this crate computes and verifies.

use bro_domain::{CitizenId, Timestamp};
use sha2::{Digest, Sha256};

pub mod action;
pub use action::{AuditAction, Outcome};

pub type Hash = [u8; 32];

/// The hash before the first record of every chain.
pub const GENESIS: Hash = [0u8; 32];

/// The platform chain's tenant id.
pub const PLATFORM_TENANT: i64 = 0;

/// What an audit record says. The store adds tenant, sequence number and hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFields {
    pub at_ms: Timestamp,
    /// The user who acted; `None` for the system or an unknown login name.
    pub actor_user_id: Option<i64>,
    pub actor_role: Option<String>,
    pub actor_unit_id: Option<i64>,
    pub action: String,
    pub outcome: Outcome,
    /// The citizen whose data was read or changed.
    pub subject_citizen_id: Option<CitizenId>,
    /// Why: e.g. "administration", "own-data", "care-team". Never free text with personal data.
    pub purpose: String,
    /// Opaque reference to the object acted on (e.g. "user:17"); never a name or CPR number.
    pub object: Option<String>,
}

/// A record as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub tenant_id: i64,
    pub seq: i64,
    pub fields: AuditFields,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

fn put(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(bytes);
}

fn put_opt_i64(h: &mut Sha256, v: Option<i64>) {
    match v {
        None => h.update([0u8]),
        Some(v) => {
            h.update([1u8]);
            h.update(v.to_be_bytes());
        }
    }
}

fn put_opt_str(h: &mut Sha256, v: Option<&str>) {
    match v {
        None => h.update([0u8]),
        Some(s) => {
            h.update([1u8]);
            put(h, s.as_bytes());
        }
    }
}

/// The hash of record `seq` in `tenant_id`'s chain, given the previous record's hash.
pub fn record_hash(tenant_id: i64, seq: i64, prev: &[u8], f: &AuditFields) -> Hash {
    let mut h = Sha256::new();
    h.update(b"bro-audit-v1");
    h.update(tenant_id.to_be_bytes());
    h.update(seq.to_be_bytes());
    put(&mut h, prev);
    h.update(f.at_ms.to_be_bytes());
    put_opt_i64(&mut h, f.actor_user_id);
    put_opt_str(&mut h, f.actor_role.as_deref());
    put_opt_i64(&mut h, f.actor_unit_id);
    put(&mut h, f.action.as_bytes());
    put(&mut h, f.outcome.as_str().as_bytes());
    put_opt_i64(&mut h, f.subject_citizen_id.map(|c| c.0));
    put(&mut h, f.purpose.as_bytes());
    put_opt_str(&mut h, f.object.as_deref());
    h.finalize().into()
}

/// Where and why a chain is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    pub tenant_id: i64,
    /// The sequence number of the first record that does not verify (or the expected one when
    /// it is missing).
    pub seq: i64,
    pub reason: BreakReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakReason {
    /// A sequence number is missing: a record was removed, or records were renumbered.
    Gap,
    /// The record does not point at its predecessor: reordered or a predecessor was changed.
    PrevMismatch,
    /// The record's content does not match its hash: altered.
    HashMismatch,
    /// The chain ends before its recorded head: the newest records were removed.
    Truncated,
}

impl std::fmt::Display for BreakReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BreakReason::Gap => "missing record (gap in sequence numbers)",
            BreakReason::PrevMismatch => {
                "does not link to the previous record (reordered or predecessor altered)"
            }
            BreakReason::HashMismatch => "content does not match its hash (altered)",
            BreakReason::Truncated => "chain ends before its recorded head (records removed)",
        })
    }
}

/// Verifies one tenant's chain incrementally. Feed records in ascending `seq`.
#[derive(Debug)]
pub struct ChainVerifier {
    tenant_id: i64,
    expected_seq: i64,
    prev: Vec<u8>,
}

impl ChainVerifier {
    pub fn new(tenant_id: i64) -> Self {
        Self {
            tenant_id,
            expected_seq: 1,
            prev: GENESIS.to_vec(),
        }
    }

    pub fn push(&mut self, r: &AuditRecord) -> Result<(), ChainBreak> {
        let brk = |seq, reason| ChainBreak {
            tenant_id: self.tenant_id,
            seq,
            reason,
        };
        if r.seq != self.expected_seq {
            return Err(brk(self.expected_seq, BreakReason::Gap));
        }
        if r.prev_hash != self.prev {
            return Err(brk(r.seq, BreakReason::PrevMismatch));
        }
        let computed = record_hash(r.tenant_id, r.seq, &r.prev_hash, &r.fields);
        if computed.as_slice() != r.hash.as_slice() {
            return Err(brk(r.seq, BreakReason::HashMismatch));
        }
        self.prev = r.hash.clone();
        self.expected_seq += 1;
        Ok(())
    }

    /// Ends the walk; `head` is the (seq, hash) the store recorded as the chain's end.
    pub fn finish(self, head: Option<(i64, Vec<u8>)>) -> Result<i64, ChainBreak> {
        let verified = self.expected_seq - 1;
        if let Some((head_seq, head_hash)) = head {
            if head_seq > verified {
                return Err(ChainBreak {
                    tenant_id: self.tenant_id,
                    seq: verified + 1,
                    reason: BreakReason::Truncated,
                });
            }
            if head_seq == verified && head_hash != self.prev {
                return Err(ChainBreak {
                    tenant_id: self.tenant_id,
                    seq: verified,
                    reason: BreakReason::HashMismatch,
                });
            }
        }
        Ok(verified)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(i: i64) -> AuditFields {
        AuditFields {
            at_ms: 1_700_000_000_000 + i,
            actor_user_id: Some(7),
            actor_role: Some("admin".into()),
            actor_unit_id: Some(3),
            action: "user.create".into(),
            outcome: Outcome::Allowed,
            subject_citizen_id: None,
            purpose: "administration".into(),
            object: Some(format!("user:{i}")),
        }
    }

    fn chain(n: i64) -> Vec<AuditRecord> {
        let mut prev = GENESIS.to_vec();
        (1..=n)
            .map(|seq| {
                let f = fields(seq);
                let hash = record_hash(5, seq, &prev, &f).to_vec();
                let r = AuditRecord {
                    tenant_id: 5,
                    seq,
                    fields: f,
                    prev_hash: prev.clone(),
                    hash,
                };
                prev = r.hash.clone();
                r
            })
            .collect()
    }

    fn verify(records: &[AuditRecord], head: Option<(i64, Vec<u8>)>) -> Result<i64, ChainBreak> {
        let mut v = ChainVerifier::new(5);
        for r in records {
            v.push(r)?;
        }
        v.finish(head)
    }

    fn head(records: &[AuditRecord]) -> Option<(i64, Vec<u8>)> {
        records.last().map(|r| (r.seq, r.hash.clone()))
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify(&c, head(&c)), Ok(5));
        assert_eq!(verify(&[], None), Ok(0));
    }

    #[test]
    fn altered_record_is_found() {
        let mut c = chain(5);
        let h = head(&c);
        c[2].fields.action = "user.delete".into();
        let e = verify(&c, h).expect_err("altered");
        assert_eq!((e.seq, e.reason), (3, BreakReason::HashMismatch));
    }

    #[test]
    fn removed_record_is_found() {
        let mut c = chain(5);
        let h = head(&c);
        c.remove(1);
        let e = verify(&c, h).expect_err("removed");
        assert_eq!((e.seq, e.reason), (2, BreakReason::Gap));
    }

    #[test]
    fn reordered_records_are_found() {
        let mut c = chain(5);
        let h = head(&c);
        // Swap contents of 2 and 3 but keep the sequence numbers in order.
        let (a, b) = (c[1].clone(), c[2].clone());
        c[1] = AuditRecord { seq: 2, ..b };
        c[2] = AuditRecord { seq: 3, ..a };
        let e = verify(&c, h).expect_err("reordered");
        assert_eq!(e.seq, 2);
        assert_eq!(e.reason, BreakReason::PrevMismatch);
    }

    #[test]
    fn removed_tail_is_found_through_the_head() {
        let mut c = chain(5);
        let h = head(&c);
        c.truncate(3);
        let e = verify(&c, h).expect_err("truncated");
        assert_eq!((e.seq, e.reason), (4, BreakReason::Truncated));
    }
}
