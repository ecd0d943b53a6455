//! Finding citizens by CPR number or by the beginnings of the words of their names.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::{CitizenId, CourseId, Cpr, Timestamp, UserId};
use bro_store::{AuditCtx, AuditEvent, CitizenHit, CitizenQuery, CitizenSearchStore, StoreResult};
use sqlx::Row;

use super::{corrupt, err};
use crate::Backend;

/// Name search sorts at most this many candidates (four pages).
const NAME_CANDIDATES: i64 = 200;
/// Words of a name search beyond this many are not used.
const MAX_NAME_WORDS: usize = 4;

#[async_trait]
impl CitizenSearchStore for Backend {
    async fn count_search(&self, user: UserId, now: Timestamp, window_ms: i64) -> StoreResult<i64> {
        // One row per user: a new window starts when the last one is over.
        sqlx::query_scalar(
            "INSERT INTO search_counts (user_id, window_start_ms, searches) VALUES ($1, $2, 1) \
             ON CONFLICT (user_id) DO UPDATE SET \
               searches = CASE WHEN search_counts.window_start_ms <= $3 THEN 1 ELSE search_counts.searches + 1 END, \
               window_start_ms = CASE WHEN search_counts.window_start_ms <= $3 THEN $2 ELSE search_counts.window_start_ms END \
             RETURNING searches",
        )
        .bind(user.0)
        .bind(now)
        .bind(now - window_ms)
        .fetch_one(&self.pool)
        .await
        .map_err(err)
    }

    async fn search_citizens(
        &self,
        audit: &AuditCtx,
        query: &CitizenQuery,
        user: UserId,
        limit: i64,
    ) -> StoreResult<Vec<CitizenHit>> {
        let mut tx = self.begin_read().await?;
        // The page's citizens first, then each one's open course and the viewer's place on its team.
        let page_of = |citizens: &str| {
            format!(
                "SELECT z.id, z.cpr, z.given_name, z.family_name, c.id AS course_id, m.id AS member_id FROM ({citizens}) z \
                 LEFT JOIN courses c ON c.citizen_id = z.id AND c.closed_ms IS NULL \
                 LEFT JOIN care_team_members m ON m.course_id = c.id AND m.user_id = $1 AND m.removed_ms IS NULL \
                 ORDER BY z.family_name, z.given_name, z.id"
            )
        };
        let rows = match query {
            CitizenQuery::Cpr(cpr) => {
                let sql = page_of("SELECT id, cpr, given_name, family_name FROM citizens WHERE cpr = $2 LIMIT $3");
                sqlx::query(&sql).bind(user.0).bind(cpr.compact()).bind(limit).fetch_all(&mut *tx).await
            }
            // Every word of the text must begin a word of the name (or be one, for a full
            // name). The longest leads: a range of the word index (migration 17), read in word
            // and page order and stopped after NAME_CANDIDATES, so a common name costs no more
            // than a rare one (with a full page, the page asks for more letters). The other
            // words are checked on those rows. No name holds LIKE's wildcards, so a text with
            // one matches nobody; a birth date is six digits.
            CitizenQuery::OwnByName(name) | CitizenQuery::FullNameBorn { name, .. }
                if name.contains(['%', '_', '\\']) || bro_store::name_words(name).is_empty() =>
            {
                Ok(Vec::new())
            }
            CitizenQuery::FullNameBorn { born, .. } if born.len() != 6 || !born.bytes().all(|b| b.is_ascii_digit()) => Ok(Vec::new()),
            CitizenQuery::OwnByName(name) | CitizenQuery::FullNameBorn { name, .. } => {
                let whole = matches!(query, CitizenQuery::FullNameBorn { .. });
                let mut words = bro_store::name_words(name);
                words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
                words.truncate(MAX_NAME_WORDS);
                let (lead, others) = words.split_first().map_or(("", &[][..]), |(l, o)| (l.as_str(), o));
                let others_match: String = (0..others.len())
                    .map(|k| format!(" AND (' ' || REPLACE(c.search_name, '-', ' ') || ' ') LIKE ${}", k + 5))
                    .collect();
                // Who may be found: by a full name and birth date anyone, else the searcher's own.
                let among = match query {
                    // A replacement number (erstatningspersonnummer) adds 60 to the day.
                    CitizenQuery::FullNameBorn { born, .. } => {
                        let day: u32 = born[..2].parse().unwrap_or(0);
                        let replaced = format!("{:02}{}", day + 60, &born[2..]);
                        format!(" AND (c.cpr LIKE '{born}%' OR c.cpr LIKE '{replaced}%')")
                    }
                    _ => " AND EXISTS (SELECT 1 FROM courses o JOIN care_team_members om ON om.course_id = o.id \
                          WHERE o.citizen_id = c.id AND o.closed_ms IS NULL AND om.user_id = $1 AND om.removed_ms IS NULL)"
                        .to_owned(),
                };
                // A whole word is the range [lead, lead]; a beginning is [lead, lead + the last char).
                let (lead_match, upper) = if whole {
                    ("w.word >= $2 AND w.word <= $3", lead.to_owned())
                } else {
                    ("w.word >= $2 AND w.word < $3", format!("{lead}\u{10FFFF}"))
                };
                let sql = page_of(&format!(
                    "SELECT * FROM (SELECT id, cpr, given_name, family_name FROM citizens WHERE id IN \
                       (SELECT w.citizen_id FROM citizen_name_words w JOIN citizens c ON c.id = w.citizen_id \
                        WHERE {lead_match}{others_match}{among} \
                        ORDER BY w.word, w.family_name, w.given_name, w.citizen_id LIMIT {NAME_CANDIDATES})) k \
                     ORDER BY family_name, given_name, id LIMIT $4"
                ));
                // Planned for each text (as the access log): a plan cached for any text guesses the
                // range's size and may read it whole and sort it.
                let mut q = sqlx::query(&sql)
                    .persistent(false)
                    .bind(user.0)
                    .bind(lead)
                    .bind(upper)
                    .bind(limit);
                for word in others {
                    let pattern = if whole { format!("% {word} %") } else { format!("% {word}%") };
                    q = q.bind(pattern);
                }
                q.fetch_all(&mut *tx).await
            }
        }
        .map_err(err)?;
        let mut hits = Vec::with_capacity(rows.len());
        let mut records = Vec::with_capacity(rows.len().max(1));
        for r in &rows {
            let cpr: String = r.try_get("cpr").map_err(err)?;
            let given: String = r.try_get("given_name").map_err(err)?;
            let family: String = r.try_get("family_name").map_err(err)?;
            let course: Option<i64> = r.try_get("course_id").map_err(err)?;
            let member: Option<i64> = r.try_get("member_id").map_err(err)?;
            let hit = CitizenHit {
                citizen_id: CitizenId(r.try_get("id").map_err(err)?),
                name: format!("{given} {family}"),
                cpr: Cpr::parse(&cpr).map_err(|_| corrupt("cpr"))?,
                open_course: course.map(CourseId),
                member: member.is_some(),
            };
            let event = AuditEvent::allowed(AuditAction::CitizenSearched).subject(hit.citizen_id);
            records.push((audit.tenant_id, audit.fields(&event)));
            hits.push(hit);
        }
        if hits.is_empty() {
            records.push((
                audit.tenant_id,
                audit.fields(&AuditEvent::allowed(AuditAction::CitizenSearched)),
            ));
        }
        // One record per citizen shown, appended to the chain in one step.
        self.finish_read_many(tx, records).await?;
        Ok(hits)
    }
}
