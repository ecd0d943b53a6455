//! `bro export hsds --out DIR`: the directory of offers as Open Referral HSDS 3.0 files, the
//! same documents `/api/hsds/` serves: `services.json`, `organizations.json` (each with its
//! services), `taxonomies.json` and `taxonomy_terms.json`, each a JSON array. Services imported
//! from another directory (`bro import hsds`) come after Bro's own, as their source published
//! them.

use bro_domain::Language;
use bro_domain::offer::OfferCategory;
use bro_i18n::I18n;
use bro_store::OpenService;
use serde_json::Value;
use std::path::Path;

/// Offers read per query.
const PAGE: i64 = 1_000;

pub async fn hsds(database: &str, out: &Path) -> Result<(), String> {
    let store = crate::open::open(database).await?;
    let i18n = I18n::new().map_err(|e| e.to_string())?;
    let name = |key: &str| i18n.get(Language::Da, key);
    let stored = store
        .meta(bro_hsds::NAMESPACE_KEY)
        .await
        .map_err(|e| e.to_string())?;
    let ns = bro_hsds::namespace_from(stored.as_deref());
    let mut open = Vec::new();
    loop {
        let (page, _) = store
            .open_services(i64::MIN, open.len() as i64, PAGE)
            .await
            .map_err(|e| e.to_string())?;
        let done = page.len() < PAGE as usize;
        open.extend(page);
        if done {
            break;
        }
    }
    let services: Vec<Value> = open
        .iter()
        .map(|s| bro_hsds::open_service(ns, s, &name))
        .collect();
    let mut organizations = Vec::new();
    for org in store.organisations().await.map_err(|e| e.to_string())? {
        let theirs: Vec<Value> = open
            .iter()
            .filter_map(|s| match s {
                OpenService::Own(o) if o.org_id == org.id => {
                    Some(bro_hsds::service_of(ns, o, &name))
                }
                _ => None,
            })
            .collect();
        if !theirs.is_empty() {
            organizations.push(bro_hsds::organization(ns, org.id.0, &org.name, &theirs));
        }
    }
    // Other directories' organisations follow, as their sources published them.
    for (org, theirs) in store
        .external_organisations()
        .await
        .map_err(|e| e.to_string())?
    {
        organizations.push(bro_hsds::external_organization(&org.source, &theirs));
    }
    let terms: Vec<Value> = OfferCategory::ALL
        .iter()
        .map(|c| bro_hsds::term(*c, &name(c.label_key())))
        .collect();
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    for (file, docs) in [
        ("services.json", &services),
        ("organizations.json", &organizations),
        ("taxonomies.json", &vec![bro_hsds::taxonomy()]),
        ("taxonomy_terms.json", &terms),
    ] {
        let path = out.join(file);
        let text = serde_json::to_string_pretty(docs).map_err(|e| e.to_string())?;
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    println!(
        "exported {} services of {} organizations to {}",
        services.len(),
        organizations.len(),
        out.display()
    );
    Ok(())
}
