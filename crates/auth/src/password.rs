//! argon2id password hashes, computed off the async runtime so they never stall the server.

use crate::AuthError;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::rngs::OsRng;
use std::sync::OnceLock;

/// OWASP's argon2id settings: 19 MiB, 2 iterations, 1 lane.
fn params() -> Params {
    Params::new(19 * 1024, 2, 1, Some(32)).unwrap_or_default()
}

thread_local! {
    /// The 19 MiB work area, kept by each hashing thread and reused. Allocating and freeing it
    /// per login made the allocator hold on to every copy (measured: +19 MiB resident per login).
    static BLOCKS: std::cell::RefCell<Vec<Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The raw argon2id output for `password` and `salt` with `params`, into `out`.
fn raw_hash(
    params: &Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), AuthError> {
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    BLOCKS
        .with(|cell| {
            let mut blocks = cell.borrow_mut();
            if blocks.len() != params.block_count() {
                *blocks = vec![Block::default(); params.block_count()];
            }
            argon.hash_password_into_with_memory(password, salt, out, &mut blocks[..])
        })
        .map_err(|e| AuthError::Hash(e.to_string()))
}

pub fn hash_password_blocking(password: &str) -> Result<String, AuthError> {
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_buf = [0u8; 64];
    let salt_bytes = salt
        .decode_b64(&mut salt_buf)
        .map_err(|e| AuthError::Hash(e.to_string()))?;
    let params = params();
    let mut out = [0u8; 32];
    raw_hash(&params, password.as_bytes(), salt_bytes, &mut out)?;
    let phc = PasswordHash {
        algorithm: argon2::ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| AuthError::Hash(e.to_string()))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| AuthError::Hash(e.to_string()))?),
    };
    Ok(phc.to_string())
}

/// Hashing runs on two long-lived threads of its own, never on the async workers. Each hash
/// takes 19 MiB and a core for a moment: two threads bound both the CPU a burst of logins can
/// take and the memory the allocator keeps afterwards (freed memory stays with the thread that
/// used it, so many short-lived blocking threads would each keep 19 MiB).
const HASH_THREADS: usize = 2;

type Job = Box<dyn FnOnce() + Send>;

fn hash_pool() -> &'static std::sync::Mutex<std::sync::mpsc::Sender<Job>> {
    static POOL: OnceLock<std::sync::Mutex<std::sync::mpsc::Sender<Job>>> = OnceLock::new();
    POOL.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        for n in 0..HASH_THREADS {
            let rx = rx.clone();
            let _ = std::thread::Builder::new()
                .name(format!("bro-hash-{n}"))
                .spawn(move || {
                    loop {
                        let job = match rx.lock() {
                            Ok(guard) => guard.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
        }
        std::sync::Mutex::new(tx)
    })
}

/// Runs `work` on the hashing threads and waits for its result without blocking the runtime.
async fn on_hash_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AuthError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = tx.send(work());
    });
    hash_pool()
        .lock()
        .map_err(|e| AuthError::Hash(e.to_string()))?
        .send(job)
        .map_err(|e| AuthError::Hash(e.to_string()))?;
    rx.await.map_err(|e| AuthError::Hash(e.to_string()))
}

pub async fn hash_password(password: String) -> Result<String, AuthError> {
    on_hash_thread(move || hash_password_blocking(&password)).await?
}

/// A hash of a random password, verified against when the login name is unknown, so that an
/// unknown name costs the same time as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password_blocking("decoy-password-never-matches").unwrap_or_default())
}

fn verify_blocking(password: &str, hash: Option<&str>) -> bool {
    let (hash, real) = match hash {
        Some(h) => (h, true),
        None => (decoy_hash(), false),
    };
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    if parsed.algorithm != argon2::ARGON2ID_IDENT {
        return false;
    }
    let mut salt_buf = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    if raw_hash(&params, password.as_bytes(), salt_bytes, &mut out).is_err() {
        return false;
    }
    // Output compares in constant time.
    let ok = Output::new(&out).is_ok_and(|computed| computed == expected);
    ok && real
}

/// Verifies `password` against `hash`; with no hash (unknown user) does the same work and
/// answers false.
pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    on_hash_thread(move || verify_blocking(&password, hash.as_deref()))
        .await
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_agree_with_the_reference_implementation() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let reference = Argon2::new(Algorithm::Argon2id, Version::V0x13, params());
        let salt = SaltString::generate(&mut OsRng);
        let theirs = reference
            .hash_password(b"delt hemmelighed", &salt)
            .expect("reference hash")
            .to_string();
        assert!(
            verify_blocking("delt hemmelighed", Some(&theirs)),
            "ours verifies theirs"
        );
        assert!(!verify_blocking("forkert", Some(&theirs)));
        let ours = hash_password_blocking("delt hemmelighed").expect("hash");
        let parsed = PasswordHash::new(&ours).expect("PHC string");
        assert!(
            reference
                .verify_password(b"delt hemmelighed", &parsed)
                .is_ok(),
            "theirs verifies ours"
        );
    }

    #[tokio::test]
    async fn hash_then_verify() {
        let h = hash_password("correct horse battery".into())
            .await
            .expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery".into(), Some(h.clone())).await);
        assert!(!verify_password("wrong horse battery".into(), Some(h)).await);
        assert!(!verify_password("decoy-password-never-matches".into(), None).await);
    }
}
