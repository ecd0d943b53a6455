//! `bro audit verify`: walks every tenant's chain in pages, so memory stays flat.

use bro_audit::ChainVerifier;
use std::process::ExitCode;

const PAGE: i64 = 10_000;

pub async fn run(url: &str) -> ExitCode {
    match verify(url).await {
        Ok(Ok((tenants, records))) => {
            println!("audit chain intact: {tenants} tenant chains, {records} records verified");
            ExitCode::SUCCESS
        }
        Ok(Err(b)) => {
            println!(
                "audit chain BROKEN: tenant {}, sequence number {}: {}",
                b.tenant_id, b.seq, b.reason
            );
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("bro: {e}");
            ExitCode::FAILURE
        }
    }
}

type Outcome = Result<(usize, i64), bro_audit::ChainBreak>;

async fn verify(url: &str) -> Result<Outcome, String> {
    let store = crate::open::open(url).await?;
    let tenants = store.audit_tenants().await.map_err(|e| e.to_string())?;
    let mut total = 0;
    for &tenant in &tenants {
        let mut v = ChainVerifier::new(tenant);
        let mut after = 0;
        loop {
            let page = store
                .audit_records(tenant, after, PAGE)
                .await
                .map_err(|e| e.to_string())?;
            for r in &page {
                if let Err(b) = v.push(r) {
                    return Ok(Err(b));
                }
                after = r.seq;
            }
            if i64::try_from(page.len()).unwrap_or(0) < PAGE {
                break;
            }
        }
        let head = store.audit_head(tenant).await.map_err(|e| e.to_string())?;
        match v.finish(head) {
            Ok(n) => total += n,
            Err(b) => return Ok(Err(b)),
        }
    }
    Ok(Ok((tenants.len(), total)))
}
