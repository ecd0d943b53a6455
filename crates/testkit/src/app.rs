use crate::store::{Backend, TestStore};
use bro_audit::PLATFORM_TENANT;
use bro_domain::{
    AccountKind, CitizenId, Cpr, ManualClock, Name, OrgId, OrgKind, Role, UnitId, UnitKind, UserId,
    Username,
};
use bro_store::{AuditCtx, DynStore, NewCitizen, NewOrganisation, NewUnit, NewUser};
use bro_web::{AppState, WebConfig};
use std::sync::Arc;

pub const FIXTURE_PASSWORD: &str = "correct-horse-battery";

/// A real Bro server on 127.0.0.1:<random port>, on a fresh store, with a clock the test moves.
pub struct TestApp {
    pub base: String,
    pub clock: ManualClock,
    pub db: TestStore,
    pub config: WebConfig,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

/// 2026-11-25 10:00 UTC.
const START_MS: i64 = 1_795_600_800_000;

impl TestApp {
    pub async fn spawn(backend: Backend, test_name: &str) -> Option<TestApp> {
        Self::spawn_with(backend, test_name, WebConfig::default()).await
    }

    pub async fn spawn_with(
        backend: Backend,
        test_name: &str,
        config: WebConfig,
    ) -> Option<TestApp> {
        Some(Self::on(TestStore::new(backend, test_name).await?, config).await)
    }

    /// A server on a store the test prepared.
    pub async fn on(db: TestStore, config: WebConfig) -> TestApp {
        let clock = ManualClock::new(START_MS);
        let config = WebConfig {
            secret_key: "test-secret-key-of-sufficient-length".into(),
            secure_cookies: false,
            hsts: false,
            ..config
        };
        let state = AppState::new(db.store.clone(), Arc::new(clock.clone()), config.clone())
            .expect("state");
        // Deliveries are tried often, so a test sees a retry soon after moving the clock.
        bro_web::delivery::spawn_worker(state.clone(), std::time::Duration::from_millis(100));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = bro_web::serve(listener, state, async {
                let _ = rx.await;
            })
            .await;
        });
        TestApp {
            base: format!("http://{addr}"),
            clock,
            db,
            config,
            shutdown: Some(tx),
        }
    }

    pub fn store(&self) -> &DynStore {
        &self.db.store
    }

    /// A new browser: its own cookie jar, redirects not followed (tests look at them).
    pub fn browser(&self) -> Browser {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Browser {
            client,
            base: self.base.clone(),
            jar,
        }
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.db.cleanup().await;
    }
}

/// A logged-out browser session against a [`TestApp`].
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
    jar: Arc<reqwest::cookie::Jar>,
}

/// The value of `name="csrf_token"` in a page.
fn csrf_in(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf_token\" value=\"")? + "name=\"csrf_token\" value=\"".len();
    html[at..].split('"').next().map(str::to_owned)
}

impl Browser {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("GET")
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        let status = r.status().as_u16();
        (status, r.text().await.expect("body"))
    }

    /// The CSRF token the site gave this browser, as a page's forms carry it.
    pub async fn csrf(&self) -> String {
        if let Some(token) = self.cookie("bro_csrf") {
            return token;
        }
        let (_, html) = self.get_text("/login").await;
        csrf_in(&html).expect("login page has a CSRF token")
    }

    fn cookie(&self, name: &str) -> Option<String> {
        use reqwest::cookie::CookieStore;
        let url = self.base.parse().ok()?;
        let header = self.jar.cookies(&url)?;
        let all = header.to_str().ok()?.to_owned();
        all.split("; ")
            .filter_map(|c| c.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
    }

    /// Posts a form with this browser's CSRF token added.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf().await;
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf_token", &token));
        self.client
            .post(format!("{}{path}", self.base))
            .form(&form)
            .send()
            .await
            .expect("POST")
    }

    /// Posts a multipart form (text fields and at most one file, `(field, file name, bytes)`)
    /// with this browser's CSRF token first, as the page's form sends it.
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, Vec<u8>)>,
    ) -> reqwest::Response {
        let token = self.csrf().await;
        let mut form = reqwest::multipart::Form::new().text("csrf_token", token);
        for (k, v) in fields {
            form = form.text((*k).to_owned(), (*v).to_owned());
        }
        if let Some((field, name, bytes)) = file {
            let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
            form = form.part(field.to_owned(), part);
        }
        self.client
            .post(format!("{}{path}", self.base))
            .multipart(form)
            .send()
            .await
            .expect("POST")
    }

    /// Posts without any CSRF token.
    pub async fn post_bare(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base))
            .form(fields)
            .send()
            .await
            .expect("POST")
    }

    /// Logs in with the password; returns the redirect target.
    pub async fn login(&self, username: &str, password: &str) -> reqwest::Response {
        self.post("/login", &[("username", username), ("password", password)])
            .await
    }
}

pub fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A small world for tests: two organisations with units and staff, a citizen and relative.
pub struct Fixture {
    pub holstebro: OrgId,
    pub region: OrgId,
    pub holstebro_admin_unit: UnitId,
    pub holstebro_unit: UnitId,
    pub region_unit: UnitId,
    /// admin of Holstebro ("admin-h"), coordinator in Holstebro ("koord"), admin of the region
    /// ("admin-r"), professional in the region ("prof-r"), citizen ("citizen"), relative ("rel").
    pub admin_h: UserId,
    pub koord: UserId,
    pub admin_r: UserId,
    pub prof_r: UserId,
    pub citizen: CitizenId,
    pub citizen_user: UserId,
    pub relative: UserId,
}

fn n(s: &str) -> Name {
    Name::parse(s).expect("name")
}

fn u(s: &str) -> Username {
    Username::parse(s).expect("username")
}

pub async fn fixture(store: &DynStore, require_second_factor: bool) -> Fixture {
    let ctx = AuditCtx::system(PLATFORM_TENANT, START_MS, "test-setup");
    let holstebro = store
        .create_organisation(
            &ctx,
            NewOrganisation {
                name: n("Holstebro Kommune"),
                kind: OrgKind::Municipality,
                require_second_factor,
            },
        )
        .await
        .expect("org");
    let region = store
        .create_organisation(
            &ctx,
            NewOrganisation {
                name: n("Region Midtjylland"),
                kind: OrgKind::Region,
                require_second_factor,
            },
        )
        .await
        .expect("org");
    let unit = |org: OrgId, name: &'static str, kind: UnitKind| {
        let store = store.clone();
        async move {
            store
                .create_unit(
                    &AuditCtx::system(org.0, START_MS, "test-setup"),
                    NewUnit {
                        org_id: org,
                        name: n(name),
                        kind,
                    },
                )
                .await
                .expect("unit")
        }
    };
    let holstebro_admin_unit = unit(
        holstebro,
        "Administration Holstebro",
        UnitKind::Administration,
    )
    .await;
    let holstebro_unit = unit(
        holstebro,
        "Rusmiddelcenter Holstebro",
        UnitKind::SubstanceAbuseTreatment,
    )
    .await;
    let region_unit = unit(region, "Ambulatorium Vest", UnitKind::OutpatientClinic).await;
    let region_admin_unit =
        unit(region, "Regionens administration", UnitKind::Administration).await;
    let hash = bro_auth::password::hash_password(FIXTURE_PASSWORD.into())
        .await
        .expect("hash");
    let staff =
        |org: OrgId, username: &'static str, display: &'static str, role: (UnitId, Role)| {
            let store = store.clone();
            let hash = hash.clone();
            async move {
                let new = NewUser {
                    org_id: Some(org),
                    username: u(username),
                    display_name: n(display),
                    password_hash: hash,
                    kind: AccountKind::Staff,
                    citizen_id: None,
                    initial_role: Some(role),
                };
                store
                    .create_user(&AuditCtx::system(org.0, START_MS, "test-setup"), new)
                    .await
                    .expect("user")
            }
        };
    let admin_h = staff(
        holstebro,
        "admin-h",
        "Hanne Admin",
        (holstebro_admin_unit, Role::Admin),
    )
    .await;
    let koord = staff(
        holstebro,
        "koord",
        "Karen Koordinator",
        (holstebro_unit, Role::Coordinator),
    )
    .await;
    let admin_r = staff(
        region,
        "admin-r",
        "Rasmus Admin",
        (region_admin_unit, Role::Admin),
    )
    .await;
    let prof_r = staff(
        region,
        "prof-r",
        "Pia Fagperson",
        (region_unit, Role::Professional),
    )
    .await;
    let citizen = store
        .create_citizen(
            &ctx,
            NewCitizen {
                cpr: Cpr::parse("710585-2345").expect("cpr"),
                given_name: n("Mads"),
                family_name: n("Nørgaard"),
                address: "Nørregade 4".into(),
                postal_code: "7500".into(),
                city: "Holstebro".into(),
            },
        )
        .await
        .expect("citizen");
    let person = |username: &'static str,
                  display: &'static str,
                  kind: AccountKind,
                  citizen_id: Option<CitizenId>| {
        let store = store.clone();
        let hash = hash.clone();
        let ctx = ctx.clone();
        async move {
            let new = NewUser {
                org_id: None,
                username: u(username),
                display_name: n(display),
                password_hash: hash,
                kind,
                citizen_id,
                initial_role: None,
            };
            store.create_user(&ctx, new).await.expect("user")
        }
    };
    let citizen_user = person(
        "citizen",
        "Mads Nørgaard",
        AccountKind::Citizen,
        Some(citizen),
    )
    .await;
    let relative = person("rel", "Inge Nørgaard", AccountKind::Relative, None).await;
    store
        .link_relative(&ctx, citizen, relative, "Mor".into())
        .await
        .expect("relative");
    Fixture {
        holstebro,
        region,
        holstebro_admin_unit,
        holstebro_unit,
        region_unit,
        admin_h,
        koord,
        admin_r,
        prof_r,
        citizen,
        citizen_user,
        relative,
    }
}
