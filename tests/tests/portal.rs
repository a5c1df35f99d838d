//! The candidate portal, through the real binary on loopback, walked the way a candidate does it with a browser
//! (forms, cookies, redirects), with the agency's desktop core syncing in between.

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;

use chrono::Days;
use skillcert_core::Store;
use skillcert_core::domain::text::today_in_shanghai;
use skillcert_core::ops::Session;
use skillcert_core::sync::client::{Portal, sync};
use skillcert_tests::{Agency, RunningPortal};

/// A browser without JavaScript: follows nothing by itself, keeps cookies, reads forms' CSRF tokens.
struct Browser {
    base: String,
    agent: ureq::Agent,
    cookies: HashMap<String, String>,
}

struct Page {
    status: u16,
    location: Option<String>,
    body: String,
    content_type: String,
}

impl Browser {
    fn new(base: &str) -> Browser {
        let agent: ureq::Agent =
            ureq::Agent::config_builder().max_redirects(0).http_status_as_error(false).build().into();
        Browser { base: base.to_string(), agent, cookies: HashMap::new() }
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn keep(&mut self, response: &mut ureq::http::Response<ureq::Body>) -> Page {
        for value in response.headers().get_all("set-cookie") {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            if v.is_empty() {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
        let location = response.headers().get("location").map(|l| l.to_str().unwrap().to_string());
        let content_type =
            response.headers().get("content-type").map(|c| c.to_str().unwrap().to_string()).unwrap_or_default();
        let status = response.status().as_u16();
        let bytes = response.body_mut().with_config().limit(50 << 20).read_to_vec().unwrap();
        Page { status, location, body: String::from_utf8_lossy(&bytes).into_owned(), content_type }
    }

    fn get(&mut self, path: &str) -> Page {
        let mut r =
            self.agent.get(&format!("{}{path}", self.base)).header("Cookie", &self.cookie_header()).call().unwrap();
        self.keep(&mut r)
    }

    fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut r = self
            .agent
            .post(&format!("{}{path}", self.base))
            .header("Cookie", &self.cookie_header())
            .send_form(fields.iter().copied())
            .unwrap();
        self.keep(&mut r)
    }

    fn upload(&mut self, path: &str, csrf: &str, file: &[u8]) -> Page {
        let boundary = "skillcert-test-boundary";
        let mut body = Vec::new();
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n").bytes());
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"me.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n")
                .bytes(),
        );
        body.extend(file);
        body.extend(format!("\r\n--{boundary}--\r\n").bytes());
        let mut r = self
            .agent
            .post(&format!("{}{path}", self.base))
            .header("Cookie", &self.cookie_header())
            .header("Content-Type", &format!("multipart/form-data; boundary={boundary}"))
            .send(&body[..])
            .unwrap();
        self.keep(&mut r)
    }

    /// The CSRF token of the first form on a page.
    fn csrf(&mut self, path: &str) -> String {
        let page = self.get(path);
        let start =
            page.body.find("name=\"csrf\" value=\"").unwrap_or_else(|| panic!("no form on {path}: {}", page.body)) + 19;
        page.body[start..start + 64].to_string()
    }
}

fn day(offset: u64) -> String {
    (today_in_shanghai() + Days::new(offset)).to_string()
}

/// The agency: a free plan open for registration today, and the settings certificate numbers need.
fn agency() -> (Agency, String) {
    let (env, mut plans) = tenant("示范中心", "000123", &[("155265", "电工")]);
    (env, plans.remove(0))
}

fn desk_sync(env: &Agency, portal: &Portal) -> skillcert_core::sync::client::SyncOutcome {
    let mut store = Store::open_existing(&env.db, &skillcert_tests::test_keys()).unwrap();
    sync(&mut store, portal, &mut |_| {}, &AtomicBool::new(false)).unwrap()
}

/// The desk arranges its approved applicants in one room; after the exam it marks 张三 80 / 90 and publishes the
/// results; after the notice it issues the certificates.
fn arrange_mark_and_publish(env: &Agency, plan: &str) {
    use skillcert_core::ops::arrangement::{ArrangeRequest, arrange};
    let mut store = Store::open_existing(&env.db, &skillcert_tests::test_keys()).unwrap();
    let request = ArrangeRequest {
        venue: "第一考点".into(),
        rooms: 1,
        seats_per_room: 30,
        theory: format!("{} 09:00-10:30", day(20)),
        practical: format!("{} 14:00-16:00", day(20)),
        review: None,
        ..Default::default()
    };
    arrange(&mut store, &Session::new("考务员"), plan.parse().unwrap(), &request).unwrap();
    drop(store);
    env.exam_held(plan);
    let sheet = env.path("scores.xlsx");
    skillcert_tests::write_sheet(&sheet, &[&["证件号码", "理论知识", "操作技能"], &["11010519491231002X", "80", "90"]]);
    assert_eq!(env.run(&["scores", "import", sheet.to_str().unwrap(), "--plan", plan]).code, 0);
    assert_eq!(env.run(&["scores", "publish", "--plan", plan]).code, 0);
    let issued = env.issue_after_notice(plan);
    assert_eq!(issued.code, 0, "{}", issued.stderr);
}

fn register(b: &mut Browser, name: &str, id: &str) -> Page {
    let csrf = b.csrf("/register");
    b.post(
        "/register",
        &[
            ("csrf", &csrf),
            ("id_type", "居民身份证"),
            ("id_number", id),
            ("name", name),
            ("phone", "13812345678"),
            ("password", "abc12345"),
            ("password_again", "abc12345"),
        ],
    )
}

#[test]
fn a_candidate_registers_applies_and_gets_a_certificate_that_verifies() {
    let (env, plan) = agency();
    // The plan's 报考条件 as rules: the portal checks the candidate's profile against them.
    assert_eq!(env.run(&["plan", "rules", &plan, "--preset"]).code, 0);
    let server = RunningPortal::start(env.dir.path());
    let portal = Portal { url: server.url.clone(), token: server.token("示范中心") };
    desk_sync(&env, &portal);

    // 注册 → 个人中心.
    let mut zhang = Browser::new(&server.url);
    let registered = register(&mut zhang, "张三", "11010519491231002X");
    assert_eq!((registered.status, registered.location.as_deref()), (303, Some("/center")), "{}", registered.body);
    // The plan is on the home page with an active 报名 button.
    let home = zhang.get("/");
    let link = home.body.find("href=\"/plans/").map(|i| &home.body[i + 6..]).unwrap();
    let plan_path = &link[..link.find('"').unwrap()];
    assert!(zhang.get(plan_path).body.contains("报名识别码为：<b>155265</b>"));
    let portal_plan = plan_path.trim_start_matches("/plans/");
    // Step 3 refuses to confirm without a photo; the photo is checked by content.
    let csrf = zhang.csrf("/center");
    assert!(zhang.upload("/center/photo", &csrf, b"not a picture").body.contains("class=\"error\""));
    let huge = vec![0xFFu8; 3 << 20];
    let refused = zhang.upload("/center/photo", &csrf, &huge);
    assert!(refused.body.contains("照片文件过大"), "{} {}", refused.status, refused.body);
    let photo = skillcert_fixtures::photo_jpeg(1);
    assert!(zhang.upload("/center/photo", &csrf, &photo).body.contains("照片已上传"));
    // With nothing on file the 四级 rules cannot be met; a 五级 certificate held five years meets 条件一.
    let step2 = zhang.get(&format!("/apply/{portal_plan}/2")).body;
    assert!(step2.contains("报考条件自查") && step2.contains("data-verdict=\"需人工核对\""), "{step2}");
    let issued = (today_in_shanghai() - Days::new(5 * 366)).to_string();
    let saved = zhang.post(
        "/center",
        &[
            ("csrf", &csrf),
            ("name", "张三"),
            ("phone", "13812345678"),
            ("prior_cert_name", "电工"),
            ("prior_cert_level", "五级"),
            ("prior_cert_date", &issued),
            ("work_started_on", "2015-08"),
            ("title", "助理工程师"),
            ("school", "广东省技师学院"),
            ("major", "电气自动化设备安装与维修"),
            ("graduated_on", "2015-07"),
        ],
    );
    assert!(saved.body.contains("个人资料已保存"), "{}", saved.body);
    for shown in ["value=\"2015-08\"", "value=\"助理工程师\"", "value=\"广东省技师学院\"", "value=\"2015-07\""]
    {
        assert!(saved.body.contains(shown), "个人中心 lacks {shown}: {}", saved.body);
    }
    for step in 1..=3 {
        assert_eq!(zhang.get(&format!("/apply/{portal_plan}/{step}")).status, 200);
    }
    assert!(zhang.get(&format!("/apply/{portal_plan}/2")).body.contains("data-verdict=\"符合\""));
    let done = zhang.post(&format!("/apply/{portal_plan}"), &[("csrf", &csrf)]);
    assert!(done.body.contains("报名成功") && done.body.contains("请耐心等待审核结果"), "{}", done.body);
    assert!(done.body.contains("data-verdict=\"符合\""), "{}", done.body);
    assert!(zhang.get("/my/applications").body.contains("待处理"));

    // The agency pulls, approves, arranges, enters marks, publishes and pushes.
    let pulled = desk_sync(&env, &portal);
    assert_eq!(pulled.pulled.applied, 3, "candidate, application, photo: {pulled:?}");
    let plan_id: i64 = plan.parse().unwrap();
    {
        use skillcert_core::ops::applications::{Decision, Selection, review};
        let mut store = Store::open_existing(&env.db, &skillcert_tests::test_keys()).unwrap();
        let session = Session::new("审核员");
        // The certificate the candidate entered on the portal came with the profile: the desk's check agrees.
        let queue = skillcert_core::ops::eligibility::review_queue(&store, plan_id, None).unwrap();
        assert_eq!(queue.counts.eligible, 1, "{:?}", queue.rows[0].eligibility);
        review(&mut store, &session, plan_id, Decision::Approve, &Selection::AllApplicable, None, true).unwrap();
    }
    arrange_mark_and_publish(&env, &plan);
    desk_sync(&env, &portal);

    // 我的报名 shows 成绩发布 with its documents; the ticket is a PDF; 我的证书 lists the certificate, which verifies.
    let mine = zhang.get("/my/applications");
    assert!(mine.body.contains("成绩发布") && mine.body.contains("准考证"), "{}", mine.body);
    // Where and when: the number, the 考点, the room and seat, and each session, as the desk arranged them.
    let exam = mine.body.split("data-exam=").nth(1).expect("the exam line under the application");
    let exam = &exam[..exam.find("</tr>").unwrap()];
    // (The exam has been held: its day is the one the desk's database now has.)
    let theory_day = skillcert_tests::raw(&env.db).text("SELECT substr(theory_start, 1, 10) FROM arrangements");
    let theory = format!("理论知识 </span>{theory_day} 09:00-10:30");
    for said in ["<b>1552650001</b>", "第一考点", "<b>第01考场 01号</b>", &theory, "操作技能 </span>"] {
        assert!(exam.contains(said), "{said}: {exam}");
    }
    let app_id = {
        let i = mine.body.find("data-application=\"").unwrap() + 18;
        mine.body[i..].split('"').next().unwrap().to_string()
    };
    let ticket = zhang.get(&format!("/my/applications/{app_id}/ticket.pdf"));
    assert_eq!((ticket.status, ticket.content_type.as_str()), (200, "application/pdf"));
    let scores = zhang.get(&format!("/my/applications/{app_id}/scores")).body;
    assert!(scores.contains("合格"), "{scores}");
    // The notice's days travelled with the plan; it has ended (the certificates followed it), the results are final.
    let notice = skillcert_tests::raw(&env.db).text("SELECT opens_on || ' 至 ' || ends_on FROM results_notices");
    assert!(scores.contains("data-notice=\"ended\"") && scores.contains(&notice), "{notice}: {scores}");
    let certificates = zhang.get("/my/certificates");
    let number = {
        let i = certificates.body.find("/my/certificates/").unwrap() + 17;
        certificates.body[i..].split('"').next().unwrap().to_string()
    };
    assert_eq!(number.len(), 22);
    assert_eq!(zhang.get(&format!("/my/certificates/{number}")).content_type, "application/pdf");
    let public = Browser::new(&server.url).get(&format!("/verify?no={number}&name=%E5%BC%A0%E4%B8%89"));
    assert!(
        public.body.contains("data-verified=\"yes\"") && public.body.contains("110105********002X"),
        "{}",
        public.body
    );
    assert!(!public.body.contains("11010519491231002X"), "the public page never shows the whole 证件号码");
    let wrong_name = Browser::new(&server.url).get(&format!("/verify?no={number}&name=%E6%9D%8E%E5%9B%9B"));
    assert!(wrong_name.body.contains("data-verified=\"no\""));

    // Revoked at the desk and synced: 证书查询 says so, 我的证书 lists it 已作废 and offers no download.
    let revoked = env.run(&["certificate", "revoke", &number, "--reason", "经核查不符合报考条件"]);
    assert_eq!(revoked.code, 0, "{}", revoked.stderr);
    desk_sync(&env, &portal);
    let public = Browser::new(&server.url).get(&format!("/verify?no={number}&name=%E5%BC%A0%E4%B8%89"));
    assert!(public.body.contains("data-verified=\"revoked\"") && public.body.contains("证书已作废"), "{}", public.body);
    let listed = zhang.get("/my/certificates");
    assert!(
        listed.body.contains("data-state=\"已作废\"") && !listed.body.contains("/my/certificates/"),
        "{}",
        listed.body
    );
    let download = zhang.get(&format!("/my/certificates/{number}"));
    assert!(download.content_type != "application/pdf" && download.body.contains("已作废"), "{}", download.body);

    // Another candidate can read and change only their own records.
    let mut li = Browser::new(&server.url);
    register(&mut li, "李四", "110105198001010016");
    for path in [
        format!("/my/applications/{app_id}/ticket.pdf"),
        format!("/my/applications/{app_id}/form.pdf"),
        format!("/my/applications/{app_id}/scores"),
        format!("/my/certificates/{number}"),
    ] {
        assert_eq!(li.get(&path).status, 404, "{path}");
    }
    let li_csrf = li.csrf("/center");
    assert_eq!(li.post(&format!("/my/applications/{app_id}/resubmit"), &[("csrf", &li_csrf)]).status, 404);
    // A form without its token is refused, and so is one with another session's token.
    assert_eq!(li.post("/center", &[("name", "李四改"), ("phone", "13800000000")]).status, 403);
    assert_eq!(li.post("/center", &[("csrf", &csrf), ("name", "李四改"), ("phone", "13800000000")]).status, 403);
}

#[test]
fn a_rare_name_character_gets_its_glyph_from_the_portal() {
    let (env, _) = agency();
    let server = RunningPortal::start(env.dir.path());
    let mut b = Browser::new(&server.url);
    // 𪚥 (U+2A6A5) and 𠮷 (U+20BB7) are CJK Extension B, which phones' fonts often lack.
    assert_eq!(register(&mut b, "吉𠮷𪚥", "11010519491231002X").status, 303);
    let center = b.get("/center").body;
    assert!(center.contains("value=\"吉𠮷𪚥\""), "{center}");
    let face = "src:url(/fonts/rare/20bb7-2a6a5.otf) format('opentype');unicode-range:U+20BB7,U+2A6A5";
    assert!(center.contains(face), "{center}");
    let font = b.get("/fonts/rare/20bb7-2a6a5.otf");
    assert_eq!((font.status, font.content_type.as_str()), (200, "font/otf"));
    assert!(font.body.as_bytes().starts_with(&[0, 1, 0, 0]), "a TrueType font");
    assert!(font.body.len() < 20_000, "just the two glyphs: {} bytes", font.body.len());
    // A page without such characters asks for nothing; the address serves nothing else.
    assert!(!Browser::new(&server.url).get("/").body.contains("/fonts/rare/"));
    for bad in ["4e00.otf", "zz.otf", "20bb7", "20bb7-.otf"] {
        assert_eq!(b.get(&format!("/fonts/rare/{bad}")).status, 404, "{bad}");
    }
}

#[test]
fn default_accounts_change_their_password_first_and_logins_are_limited() {
    let (env, plan) = agency();
    let roster = env.path("roster.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (r, row) in [["姓名", "证件号码", "手机号码"], ["王五", "110105199003070017", "13812345670"]].iter().enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    book.save(&roster).unwrap();
    assert_eq!(env.run(&["import", "candidates", roster.to_str().unwrap(), "--plan", &plan]).code, 0);
    let server = RunningPortal::start(env.dir.path());
    let portal = Portal { url: server.url.clone(), token: server.token("示范中心") };
    desk_sync(&env, &portal);

    let mut wang = Browser::new(&server.url);
    let csrf = wang.csrf("/login");
    let login = wang.post("/login", &[("csrf", &csrf), ("id_number", "110105199003070017"), ("password", "070017")]);
    assert_eq!(login.location.as_deref(), Some("/first-login"));
    // Until the password is changed, everything else sends back to it.
    assert_eq!(wang.get("/my/applications").location.as_deref(), Some("/first-login"));
    let token = wang.csrf("/first-login");
    let wrong = wang.post(
        "/first-login",
        &[("csrf", &token), ("name", "张三"), ("password", "xyz98765"), ("password_again", "xyz98765")],
    );
    assert!(wrong.body.contains("姓名与报考机构登记的不一致"));
    let weak = wang.post(
        "/first-login",
        &[("csrf", &token), ("name", "王五"), ("password", "070017"), ("password_again", "070017")],
    );
    assert!(weak.body.contains("class=\"error\""));
    let ok = wang.post(
        "/first-login",
        &[("csrf", &token), ("name", "王 五"), ("password", "xyz98765"), ("password_again", "xyz98765")],
    );
    assert_eq!(ok.location.as_deref(), Some("/center"));
    assert!(wang.get("/my/applications").body.contains("待处理"));

    // The default password no longer works; five wrong tries block the account (also with the right password).
    let mut other = Browser::new(&server.url);
    let csrf = other.csrf("/login");
    for _ in 0..5 {
        let page =
            other.post("/login", &[("csrf", &csrf), ("id_number", "110105199003070017"), ("password", "070017")]);
        assert!(page.body.contains("证件号码或密码错误"));
    }
    let blocked =
        other.post("/login", &[("csrf", &csrf), ("id_number", "110105199003070017"), ("password", "xyz98765")]);
    assert!(blocked.body.contains("登录失败次数过多"), "{}", blocked.body);
    // A login form posted without its cookie's token is refused.
    assert_eq!(
        Browser::new(&server.url).post("/login", &[("csrf", &csrf), ("id_number", "x"), ("password", "y")]).status,
        403
    );
}

/// Two portal processes on one database (behind one address in real life, a load balancer sending each request to
/// either): a session, its CSRF token, a sign-out and the sign-in limit hold across both.
#[test]
fn two_portal_processes_share_sessions_and_sign_in_limits() {
    let (env, _) = agency();
    let first = RunningPortal::start(env.dir.path());
    let second = first.beside();
    let portal = Portal { url: first.url.clone(), token: first.token("示范中心") };
    desk_sync(&env, &portal);

    let mut here = Browser::new(&first.url);
    assert_eq!(register(&mut here, "赵六", "110105198001010016").location.as_deref(), Some("/center"));
    // The same browser's next request reaches the other process: still signed in, and its form tokens hold.
    let mut there = Browser::new(&second.url);
    there.cookies = here.cookies.clone();
    assert!(there.get("/center").body.contains("赵六"));
    // A form of one process posted to the other: the session's CSRF token is the database's, not a process's.
    let csrf = there.csrf("/center");
    let out = here.post("/logout", &[("csrf", &csrf)]);
    assert_eq!(out.status, 303, "{}", out.body);
    // Signed out on one, signed out on both.
    assert_eq!(there.get("/center").location.as_deref(), Some("/login"));

    // Failed sign-ins count across both: three here and two there block the account everywhere.
    for (browser_base, tries) in [(&first.url, 3), (&second.url, 2)] {
        let mut b = Browser::new(browser_base);
        let csrf = b.csrf("/login");
        for _ in 0..tries {
            let page =
                b.post("/login", &[("csrf", &csrf), ("id_number", "110105198001010016"), ("password", "wrong1")]);
            assert!(page.body.contains("证件号码或密码错误"), "{}", page.body);
        }
    }
    let mut b = Browser::new(&first.url);
    let csrf = b.csrf("/login");
    let blocked = b.post("/login", &[("csrf", &csrf), ("id_number", "110105198001010016"), ("password", "abc12345")]);
    assert!(blocked.body.contains("登录失败次数过多"), "{}", blocked.body);
}

/// An agency with plans open today, each (报名识别码, 职业), and its own settings: (desk, plan ids).
fn tenant(name: &str, site: &str, plans: &[(&str, &str)]) -> (Agency, Vec<String>) {
    let env = Agency::new();
    let mut ids = Vec::new();
    for (code, occupation) in plans {
        let run = env.run(&[
            "plan",
            "add",
            "--occupation",
            occupation,
            "--level",
            "四级",
            "--code",
            code,
            "--reg-start",
            &day(0),
            "--reg-end",
            &day(10),
            "--exam",
            &day(20),
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        ids.push(run.stdout.trim().to_string());
    }
    env.set_settings(&[("agency.name", name), ("agency.type", "S"), ("agency.province", "44"), ("agency.site", site)]);
    (env, ids)
}

/// Pull rounds from the portal's API with a token, from the start: the kinds and 证件号码 of what came.
fn pulled_everything(server: &RunningPortal, token: &str) -> Vec<(String, String)> {
    let mut response = ureq::get(&format!("{}/api/v1/sync/pull?since=0", server.url))
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    let batch: serde_json::Value = response.body_mut().read_json().unwrap();
    batch["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let number = [&r["profile"]["id_number"], &r["candidate"]["id_number"]]
                .iter()
                .find_map(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            (r["kind"].as_str().unwrap().to_string(), number)
        })
        .collect()
}

#[test]
fn agencies_on_one_portal_see_and_change_only_their_own() {
    // 甲 and 乙 happen to use the same 报名识别码 155265; 乙 also has 266376.
    let (jia, _) = tenant("甲评价中心", "000123", &[("155265", "电工")]);
    let (yi, yi_plans) = tenant("乙评价中心", "000456", &[("155265", "焊工"), ("266376", "钳工")]);
    let home_dir = tempfile::tempdir().unwrap();
    let server = RunningPortal::start(home_dir.path());
    let jia_portal = Portal { url: server.url.clone(), token: server.token("甲评价中心") };
    let yi_portal = Portal { url: server.url.clone(), token: server.token("乙评价中心") };
    desk_sync(&jia, &jia_portal);

    // 乙's plan with 甲's code is refused and reported; 甲's plan stays on the home page, 乙's other plan arrives.
    let first = desk_sync(&yi, &yi_portal);
    assert!(first.pushed.ignored.iter().any(|w| w.contains("155265") && w.contains("另一家机构")), "{first:?}");
    let home = server.get("/").1;
    assert!(home.contains("电工") && home.contains("钳工") && !home.contains("焊工"), "{home}");

    // 张三 registers on the portal and applies to 甲's plan.
    let mut zhang = Browser::new(&server.url);
    register(&mut zhang, "张三", "11010519491231002X");
    let csrf = zhang.csrf("/center");
    assert!(zhang.upload("/center/photo", &csrf, &skillcert_fixtures::photo_jpeg(1)).body.contains("照片已上传"));
    let home = zhang.get("/");
    let portal_plan_of = |occupation: &str| -> String {
        // The row of the plan of this occupation holds its 报名 link.
        let at = home.body.find(occupation).unwrap();
        let link = home.body[at..].find("href=\"/plans/").unwrap() + at + 13;
        home.body[link..].split('"').next().unwrap().to_string()
    };
    let jia_plan = portal_plan_of("电工");
    let done = zhang.post(&format!("/apply/{jia_plan}"), &[("csrf", &csrf)]);
    assert!(done.body.contains("报名成功"), "{}", done.body);

    // 乙 is sent nothing of 张三 — not the profile, the photo or the application; 甲 gets all three.
    let zhang_kinds = |records: &[(String, String)]| {
        records.iter().filter(|(_, n)| n == "11010519491231002X").map(|(k, _)| k.clone()).collect::<Vec<_>>()
    };
    assert!(zhang_kinds(&pulled_everything(&server, &yi_portal.token)).is_empty());
    let mut jia_sees = zhang_kinds(&pulled_everything(&server, &jia_portal.token));
    jia_sees.sort();
    assert_eq!(jia_sees, ["application", "candidate", "photo"]);
    let yi_pull = desk_sync(&yi, &yi_portal);
    assert_eq!(yi_pull.pulled.applied, 0, "{yi_pull:?}");
    assert!(!yi.run(&["candidate", "list"]).stdout.contains("11010519491231002X"), "乙 has no 张三");
    assert_eq!(desk_sync(&jia, &jia_portal).pulled.applied, 3);

    // 乙 enters 张三 itself for its own 155265 plan and takes him through to a certificate, then syncs: every record
    // aimed at the portal's 155265 (甲's) is refused, and so is 乙's copy of 张三's profile and photo.
    let yi_plan = &yi_plans[0];
    let added = yi.run(&[
        "candidate",
        "add",
        "--name",
        "张三丰",
        "--id-type",
        "居民身份证",
        "--id-number",
        "11010519491231002X",
        "--phone",
        "13900000000",
    ]);
    assert_eq!(added.code, 0, "{}", added.stderr);
    assert_eq!(yi.run(&["apply", "--plan", yi_plan, "--id-number", "11010519491231002X"]).code, 0);
    {
        use skillcert_core::ops::applications::{Decision, Selection, review};
        let mut store = Store::open_existing(&yi.db, &skillcert_tests::test_keys()).unwrap();
        let session = Session::new("乙审核员");
        skillcert_core::ops::photos::set_photo_bytes(
            &mut store,
            &session,
            "11010519491231002X",
            skillcert_fixtures::photo_jpeg(7),
            false,
        )
        .unwrap();
        let plan_id: i64 = yi_plan.parse().unwrap();
        review(&mut store, &session, plan_id, Decision::Approve, &Selection::AllApplicable, None, false).unwrap();
    }
    arrange_mark_and_publish(&yi, yi_plan);
    let certificate = yi.run(&["--json", "certificate", "list", "--plan", yi_plan]).json();
    let yi_number = certificate[0]["number"].as_str().unwrap().to_string();
    let pushed = desk_sync(&yi, &yi_portal).pushed;
    let refused = |what: &str| pushed.ignored.iter().any(|w| w.contains(what));
    for what in ["计划未同步", "报名未同步", "考务编排未同步", "成绩未同步", "证书未同步"] {
        assert!(refused(what), "{what}: {pushed:?}");
    }
    assert!(pushed.ignored.iter().any(|w| w.contains("张三") && w.contains("资料以门户为准")), "{pushed:?}");
    assert!(pushed.ignored.iter().any(|w| w.contains("照片未同步")), "{pushed:?}");

    // Nothing changed for 张三 on the portal: his one application is 甲's and 待处理, no certificate, his own name.
    let mine = zhang.get("/my/applications").body;
    assert_eq!(mine.matches("data-application=").count(), 1, "{mine}");
    assert!(mine.contains("电工") && mine.contains("待处理") && !mine.contains("焊工"), "{mine}");
    assert!(zhang.get("/center").body.contains("value=\"张三\""));
    assert!(!zhang.get("/my/certificates").body.contains(&yi_number));
    let verify = server.get(&format!("/verify?no={yi_number}&name=%E5%BC%A0%E4%B8%89%E4%B8%B0")).1;
    assert!(verify.contains("data-verified=\"no\""), "{verify}");

    // 甲 still takes 张三 through its own plan; a token the portal does not know opens nothing.
    let jia_after = desk_sync(&jia, &jia_portal);
    assert!(jia_after.pushed.ignored.is_empty(), "{jia_after:?}");
    let status = ureq::get(&format!("{}/api/v1/sync/pull?since=0", server.url))
        .header("Authorization", "Bearer not-a-token")
        .config()
        .http_status_as_error(false)
        .build()
        .call()
        .unwrap()
        .status()
        .as_u16();
    assert_eq!(status, 401);
}

#[test]
fn a_candidate_who_failed_a_part_applies_on_the_portal_as_a_resit_and_the_agency_takes_it() {
    let (env, plans) = tenant("示范中心", "000123", &[("155265", "电工"), ("155266", "电工")]);
    let server = RunningPortal::start(env.dir.path());
    let portal = Portal { url: server.url.clone(), token: server.token("示范中心") };
    desk_sync(&env, &portal);
    let mut zhang = Browser::new(&server.url);
    register(&mut zhang, "张三", "11010519491231002X");
    let csrf = zhang.csrf("/center");
    assert!(zhang.upload("/center/photo", &csrf, &skillcert_fixtures::photo_jpeg(1)).body.contains("照片已上传"));
    // The portal's id of each plan, by its 报名识别码.
    let home = zhang.get("/").body;
    let portal_id = |code: &str| {
        home.match_indices("href=\"/plans/")
            .map(|(i, _)| home[i + 13..].split('"').next().unwrap().to_string())
            .find(|id| plan_code_on(&server.url, id) == code)
            .unwrap_or_else(|| panic!("plan {code} on the home page"))
    };
    let (first, second) = (portal_id("155265"), portal_id("155266"));
    assert!(zhang.post(&format!("/apply/{first}"), &[("csrf", &csrf)]).body.contains("报名成功"));
    // A 新考 has nothing to keep: no 补考 is offered yet.
    assert!(!zhang.get(&format!("/apply/{second}/3")).body.contains("data-resit"));

    // The agency approves, arranges, marks 张三 80 in theory and 50 in practical, and publishes.
    desk_sync(&env, &portal);
    assert_eq!(env.run(&["review", "approve", "--plan", &plans[0], "--all-pending"]).code, 0);
    let mut arrange = vec!["arrange", "--plan", &plans[0], "--venue", "第一考点", "--rooms", "1"];
    let (theory, practical) = (format!("{} 09:00-10:30", day(20)), format!("{} 14:00-16:00", day(20)));
    arrange.extend(["--seats-per-room", "30", "--theory", &theory, "--practical", &practical]);
    assert_eq!(env.run(&arrange).code, 0);
    env.exam_held(&plans[0]);
    let sheet = env.path("scores.xlsx");
    skillcert_tests::write_sheet(&sheet, &[&["证件号码", "理论知识", "操作技能"], &["11010519491231002X", "80", "50"]]);
    assert_eq!(env.run(&["scores", "import", sheet.to_str().unwrap(), "--plan", &plans[0]]).code, 0);
    assert_eq!(env.run(&["scores", "publish", "--plan", &plans[0]]).code, 0);
    desk_sync(&env, &portal);

    // The portal offers 补考 keeping 理论知识; 张三 takes it.
    let step3 = zhang.get(&format!("/apply/{second}/3")).body;
    assert!(step3.contains("data-resit=\"offered\"") && step3.contains("理论知识 80"), "{step3}");
    let done = zhang.post(&format!("/apply/{second}"), &[("csrf", &csrf), ("kind", "resit")]);
    assert!(done.body.contains("报名成功"), "{}", done.body);
    let mine = zhang.get("/my/applications").body;
    assert_eq!(mine.matches("data-kind=\"resit\"").count(), 1, "{mine}");

    // The agency checks it against its own results: a re-sit keeping 理论知识 80.
    desk_sync(&env, &portal);
    let mut raw = skillcert_tests::raw(&env.db);
    assert_eq!(raw.number("SELECT count(*) FROM resits"), 1);
    assert_eq!(raw.number("SELECT count(*) FROM audit_log WHERE action = '补考沿用成绩'"), 1);
    let kept = raw.number(&format!(
        "SELECT s.theory FROM scores s JOIN applications a ON a.id = s.application_id WHERE a.plan_id = {}",
        plans[1]
    ));
    assert_eq!(kept, 800);
}

/// The 报名识别码 a portal plan page shows.
fn plan_code_on(base: &str, id: &str) -> String {
    let page = Browser::new(base).get(&format!("/plans/{id}")).body;
    page.split("报名识别码为：<b>").nth(1).and_then(|rest| rest.split('<').next()).unwrap_or_default().to_string()
}
