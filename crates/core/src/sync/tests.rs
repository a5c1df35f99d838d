//! Two stores, the agency's and the portal's, synced through the protocol functions exactly as the HTTP endpoints
//! call them (pull, then push, each in rounds until nothing is left).

use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;

use super::*;
use crate::domain::candidate::CandidateDraft;
use crate::domain::plan::PlanDraft;
use crate::domain::status::{ApplicationStatus, PaymentStatus};
use crate::ops::Session;
use crate::ops::applications::{Decision, Selection, apply as apply_to_plan, review, set_payment};
use crate::ops::arrangement::{ArrangeRequest, arrange};
use crate::ops::candidates::{add_candidate, update_candidate};
use crate::ops::certificates::issue_certificates;
use crate::ops::plans::create_plan;
use crate::ops::scores::publish_scores;
use crate::ops::settings::set_setting;
use crate::store::Store;
use crate::store::applications::list_for_plan;

const ZHANG: &str = "11010519491231002X";
const LI: &str = "110105198001010016";

fn agency() -> Session {
    Session::on("审核员", NaiveDate::from_ymd_opt(2026, 12, 5).unwrap())
}

fn portal() -> Session {
    Session::on("门户", NaiveDate::from_ymd_opt(2026, 12, 5).unwrap())
}

fn person(name: &str, id: &str) -> CandidateDraft {
    CandidateDraft { name: name.into(), id_number: id.into(), phone: "13812345678".into(), ..Default::default() }
}

/// An agency with a plan (fee 150) and 张三 applied.
fn setup() -> (Store, Store, i64) {
    let mut desk = crate::testing::scratch();
    let plan = PlanDraft {
        occupation: "电工".into(),
        level: "四级".into(),
        reg_start: "2026-12-01".into(),
        reg_end: "2026-12-20".into(),
        exam_date: "2026-12-28".into(),
        fee: "150".into(),
        code: "155265".into(),
        ..Default::default()
    };
    let plan = create_plan(&mut desk, &agency(), &plan).unwrap().id;
    add_candidate(&mut desk, &agency(), &person("张三", ZHANG)).unwrap();
    apply_to_plan(&mut desk, &agency(), plan, ZHANG, None).unwrap();
    (desk, crate::testing::scratch(), plan)
}

/// The plan's approved applications arranged into 第一考点's 机房一 on 2026-12-28.
fn arrange_one_room(desk: &mut Store, plan: i64) {
    use crate::domain::venue::{RoomDraft, SiteDraft};
    let site = SiteDraft {
        name: "第一考点".into(), address: "深圳市福田区测试路 1 号".into(), ..Default::default()
    };
    crate::ops::venues::save_site(desk, &agency(), &site).unwrap();
    let room = RoomDraft {
        site: "第一考点".into(),
        name: "机房一".into(),
        kind: "机考".into(),
        capacity: "30".into(),
        ..Default::default()
    };
    crate::ops::venues::save_room(desk, &agency(), &room).unwrap();
    let workshop = RoomDraft {
        name: "实训室".into(),
        kind: "实操".into(),
        workstations: "10".into(),
        capacity: "10".into(),
        ..room
    };
    crate::ops::venues::save_room(desk, &agency(), &workshop).unwrap();
    let request = ArrangeRequest {
        site: Some("第一考点".into()),
        site_rooms: vec!["机房一".into()],
        practical_rooms: vec!["实训室".into()],
        theory: "2026-12-28 09:00-10:30".into(),
        practical: "2026-12-28 14:00-16:00".into(),
        review: None,
        ..Default::default()
    };
    arrange(desk, &agency(), plan, &request).unwrap();
}

/// The portal's side reached in-process, as the HTTP endpoints do it.
struct InProcess<'a> {
    portal: &'a mut Store,
}

impl client::Transport for InProcess<'_> {
    fn pull(&mut self, since: i64, limit: usize) -> crate::error::Result<Batch> {
        collect(self.portal, Side::Portal, Scope::Everything, since, limit)
    }

    fn push(&mut self, batch: &Batch) -> crate::error::Result<ApplyReport> {
        apply(self.portal, &portal(), Side::Agency, Scope::Everything, batch)
    }
}

/// One full sync as `skillcert sync` does it (the same rounds, cursors on the desk): (pulled, pushed).
fn sync(desk: &mut Store, portal_store: &mut Store, limit: usize) -> (ApplyReport, ApplyReport) {
    let mut transport = InProcess { portal: portal_store };
    let never = AtomicBool::new(false);
    let outcome = client::rounds(desk, &mut transport, limit, &mut |_| {}, &never).unwrap();
    (outcome.pulled, outcome.pushed)
}

fn status_of(store: &Store, plan_code: &str, id: &str) -> (ApplicationStatus, PaymentStatus) {
    let plan: i64 = store.conn().query_row("SELECT id FROM plans WHERE code = ?1", [plan_code], |r| r.get(0)).unwrap();
    let app = list_for_plan(store.conn(), plan, None).unwrap().into_iter().find(|a| a.id_number == id).unwrap();
    (app.status, app.payment)
}

fn changes(store: &Store) -> i64 {
    store.conn().query_row("SELECT count(*) FROM changes", (), |r| r.get(0)).unwrap()
}

#[test]
fn the_portal_gets_the_agency_data_and_a_second_sync_changes_nothing() {
    let (mut desk, mut web, _) = setup();
    let (_, pushed) = sync(&mut desk, &mut web, 500);
    assert_eq!(pushed.applied, 3, "plan, candidate, application: {pushed:?}");
    assert_eq!(status_of(&web, "155265", ZHANG), (ApplicationStatus::Pending, PaymentStatus::Unpaid));
    // Nothing applied from the other side is logged as a change of the receiver's (no echo).
    assert_eq!(changes(&web), 0);
    let (pulled, pushed) = sync(&mut desk, &mut web, 500);
    assert_eq!((pulled.applied, pushed.applied), (0, 0));
}

#[test]
fn registrations_applications_resubmissions_and_payments_come_from_the_portal() {
    let (mut desk, mut web, plan) = setup();
    sync(&mut desk, &mut web, 500);
    // 李四 registers on the portal and applies.
    let web_plan: i64 = web.conn().query_row("SELECT id FROM plans WHERE code = '155265'", (), |r| r.get(0)).unwrap();
    add_candidate(&mut web, &portal(), &person("李四", LI)).unwrap();
    apply_to_plan(&mut web, &portal(), web_plan, LI, None).unwrap();
    let (pulled, _) = sync(&mut desk, &mut web, 500);
    assert_eq!(pulled.applied, 2, "{pulled:?}");
    assert_eq!(status_of(&desk, "155265", LI), (ApplicationStatus::Pending, PaymentStatus::Unpaid));
    let log = crate::store::audit::list(desk.conn(), Some(LI)).unwrap();
    assert_eq!(log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["门户注册", "门户报名"]);
    assert_eq!(log[0].actor, "门户同步");

    // The agency refuses; the candidate fixes and resubmits on the portal, and pays.
    let li = Selection::IdNumbers(vec![LI.into()]);
    review(&mut desk, &agency(), plan, Decision::Reject, &li, Some("照片不清晰"), false).unwrap();
    sync(&mut desk, &mut web, 500);
    assert_eq!(status_of(&web, "155265", LI).0, ApplicationStatus::Rejected);
    apply_to_plan(&mut web, &portal(), web_plan, LI, None).unwrap();
    sync(&mut desk, &mut web, 500);
    // The agency grants 缓缴; the portal shows it; the candidate pays there later, which the agency takes.
    set_payment(&mut desk, &agency(), plan, LI, PaymentStatus::Deferred).unwrap();
    sync(&mut desk, &mut web, 500);
    assert_eq!(status_of(&web, "155265", LI).1, PaymentStatus::Deferred);
    set_payment(&mut web, &portal(), web_plan, LI, PaymentStatus::Paid).unwrap();
    sync(&mut desk, &mut web, 500);
    assert_eq!(status_of(&desk, "155265", LI), (ApplicationStatus::Pending, PaymentStatus::Paid));
    assert_eq!(status_of(&web, "155265", LI), (ApplicationStatus::Pending, PaymentStatus::Paid));
}

#[test]
fn the_candidate_owns_the_profile_only_until_approval() {
    let (mut desk, mut web, plan) = setup();
    sync(&mut desk, &mut web, 500);
    // While 待处理 the candidate's edit on the portal is taken.
    let edited = CandidateDraft { employer: "深圳某公司".into(), ..person("张三", ZHANG) };
    update_candidate(&mut web, &portal(), &edited).unwrap();
    sync(&mut desk, &mut web, 500);
    let desk_zhang = crate::ops::candidates::find_candidate(desk.conn(), ZHANG, None).unwrap();
    assert_eq!(desk_zhang.profile.employer.as_deref(), Some("深圳某公司"));

    // Approved: the portal refuses edits itself; a portal copy edited anyway (an older portal) is not taken, and the
    // agency's copy is pushed back over it.
    review(&mut desk, &agency(), plan, Decision::Approve, &Selection::AllApplicable, None, false).unwrap();
    sync(&mut desk, &mut web, 500);
    web.conn()
        .execute(
            "UPDATE candidates SET employer = '改过的单位', updated_at = '2099-01-01' WHERE id_number = ?1",
            [ZHANG],
        )
        .unwrap();
    let (pulled, _) = sync(&mut desk, &mut web, 500);
    assert!(pulled.ignored.iter().any(|w| w.contains("个人资料已锁定")), "{pulled:?}");
    let desk_zhang = crate::ops::candidates::find_candidate(desk.conn(), ZHANG, None).unwrap();
    assert_eq!(desk_zhang.profile.employer.as_deref(), Some("深圳某公司"));
    // …and the approved copy went back to the portal in the same sync.
    let web_zhang = crate::ops::candidates::find_candidate(web.conn(), ZHANG, None).unwrap();
    assert_eq!(web_zhang.profile.employer.as_deref(), Some("深圳某公司"));
}

#[test]
fn exams_scores_and_certificates_reach_the_portal() {
    let (mut desk, mut web, plan) = setup();
    let session = agency();
    review(&mut desk, &session, plan, Decision::Approve, &Selection::AllApplicable, None, false).unwrap();
    set_payment(&mut desk, &session, plan, ZHANG, PaymentStatus::Paid).unwrap();
    arrange_one_room(&mut desk, plan);
    let app = list_for_plan(desk.conn(), plan, None).unwrap().remove(0);
    let marks = crate::domain::score::Marks {
        theory: crate::domain::score::Mark::from_db(800),
        practical: crate::domain::score::Mark::from_db(900),
        review: None,
    };
    crate::store::scores::save(desk.conn(), app.id, &marks, "t").unwrap();
    for (key, value) in
        [("agency.name", "示范中心"), ("agency.type", "S"), ("agency.province", "44"), ("agency.site", "000123")]
    {
        set_setting(&mut desk, &session, key, value).unwrap();
    }
    // The results go on notice the day after the exam; certificates are issued once the notice has ended.
    let day = |d| NaiveDate::from_ymd_opt(2026, 12, 1).unwrap() + chrono::Days::new(d);
    publish_scores(&mut desk, &Session::on("考务员", day(28)), plan, &mut |_| {}, &AtomicBool::new(false)).unwrap();
    let issued_on = day(36);
    let issued = issue_certificates(
        &mut desk,
        &Session::on("考务员", issued_on),
        plan,
        issued_on,
        &mut |_| {},
        &AtomicBool::new(false),
    );
    assert_eq!(issued.unwrap().issued.len(), 1);

    // A small batch size: the first sync goes in several rounds.
    sync(&mut desk, &mut web, 2);
    assert_eq!(status_of(&web, "155265", ZHANG), (ApplicationStatus::ScoresPublished, PaymentStatus::Paid));
    let tickets: Vec<String> = web
        .conn()
        .prepare("SELECT ticket_number FROM seats")
        .unwrap()
        .query_map((), |r| r.get(0))
        .unwrap()
        .collect::<crate::error::Result<_>>()
        .unwrap();
    assert_eq!(tickets, ["1552650001"]);
    // The room by the name the agency's 考点 gives it, for the ticket the candidate prints there.
    let web_plan = crate::store::plans::list(web.conn()).unwrap().remove(0);
    let arranged = crate::store::arrangements::get(web.conn(), web_plan.id).unwrap().unwrap();
    // The 操作技能 in the room of its own, as the agency arranged it.
    use crate::domain::score::Part;
    assert_eq!(arranged.room_label(Part::Theory, 1), "机房一");
    assert_eq!(arranged.room_label(Part::Practical, 1), "实训室");
    let web_seat: i64 = web.conn().query_row("SELECT application_id FROM seats", (), |r| r.get(0)).unwrap();
    let web_seat = crate::store::arrangements::seat_of(web.conn(), web_seat).unwrap().unwrap();
    assert_eq!(
        arranged.place_of(&web_seat, Part::Practical),
        Some(crate::store::arrangements::RoomSeat { room: 1, seat: 1 })
    );
    let web_certs = crate::store::certificates::list(web.conn(), None, Some(ZHANG)).unwrap();
    let desk_certs = crate::store::certificates::list(desk.conn(), None, Some(ZHANG)).unwrap();
    assert_eq!(
        web_certs.iter().map(|c| &c.number).collect::<Vec<_>>(),
        desk_certs.iter().map(|c| &c.number).collect::<Vec<_>>()
    );
    let web_app: i64 = web.conn().query_row("SELECT id FROM applications", (), |r| r.get(0)).unwrap();
    assert_eq!(crate::store::scores::get(web.conn(), web_app).unwrap(), marks);
}

#[test]
fn an_interrupted_sync_converges_with_nothing_lost_or_doubled() {
    let (mut desk, mut web, plan) = setup();
    for (i, id) in [LI, "110105199003070017"].iter().enumerate() {
        add_candidate(&mut desk, &agency(), &person(["考生甲", "考生乙"][i], id)).unwrap();
        apply_to_plan(&mut desk, &agency(), plan, id, None).unwrap();
    }
    // A batch applied on the portal whose answer never reached the desk: the cursor did not move.
    let batch = collect(&desk, Side::Agency, Scope::Everything, 0, 3).unwrap();
    assert!(batch.more);
    apply(&mut web, &portal(), Side::Agency, Scope::Everything, &batch).unwrap();
    // The next syncs resend from the old cursor: what arrived twice is unchanged, nothing is doubled.
    sync(&mut desk, &mut web, 3);
    sync(&mut desk, &mut web, 3);
    let count = |store: &Store, table: &str| -> i64 {
        store.conn().query_row(&format!("SELECT count(*) FROM {table}"), (), |r| r.get(0)).unwrap()
    };
    for table in ["plans", "candidates", "applications"] {
        assert_eq!(count(&web, table), count(&desk, table), "{table}");
    }
    assert_eq!(count(&web, "applications"), 3);
}

#[test]
fn another_protocol_version_is_refused_whole() {
    let (mut desk, mut web, _) = setup();
    let mut batch = collect(&desk, Side::Agency, Scope::Everything, 0, 500).unwrap();
    batch.version = 99;
    assert!(
        apply(&mut web, &portal(), Side::Agency, Scope::Everything, &batch).unwrap_err().to_string().contains("版本")
    );
    assert_eq!(changes(&web), 0);
    let _ = &mut desk;
}

#[test]
fn an_import_logs_what_it_wrote_for_the_portal() {
    let (mut desk, mut web, plan) = setup();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in [["姓名", "证件号码", "手机号码"], ["李四", LI, "13812345679"], ["张三", ZHANG, "13812345678"]]
        .iter()
        .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    book.save(&path).unwrap();
    let options = crate::import::ImportOptions { plan_id: Some(plan), ..Default::default() };
    let never = AtomicBool::new(false);
    let result = crate::import::import_candidates(&mut desk, &agency(), &path, &options, &mut |_| {}, &never).unwrap();
    assert_eq!((result.summary.imported, result.summary.unchanged), (1, 1), "{:?}", result.summary);
    sync(&mut desk, &mut web, 500);
    assert_eq!(status_of(&web, "155265", LI).0, ApplicationStatus::Pending);
    assert_eq!(status_of(&web, "155265", ZHANG).0, ApplicationStatus::Pending);
}

#[test]
fn a_plan_number_the_portal_already_gives_another_plan_is_reported_not_fatal() {
    let (mut desk, mut web, _) = setup();
    // The portal holds someone else's plan numbered 1.
    let other = PlanDraft {
        occupation: "焊工".into(),
        level: "三级".into(),
        reg_start: "2026-12-01".into(),
        reg_end: "2026-12-20".into(),
        exam_date: "2026-12-28".into(),
        code: "999999".into(),
        plan_no: "1".into(),
        ..Default::default()
    };
    create_plan(&mut web, &portal(), &other).unwrap();
    let (_, pushed) = sync(&mut desk, &mut web, 500);
    assert!(pushed.ignored.iter().any(|w| w.contains("计划号 1") && w.contains("999999")), "{pushed:?}");
    // The rest went on: the candidate arrived; the application waits for its plan.
    assert!(crate::ops::candidates::find_candidate(web.conn(), ZHANG, None).is_ok());
    assert!(pushed.ignored.iter().any(|w| w.contains("155265")), "{pushed:?}");
}

#[test]
fn resits_travel_both_ways_and_the_agency_checks_a_portal_resit_against_its_own_records() {
    let (mut desk, mut web, plan) = setup();
    let session = agency();
    add_candidate(&mut desk, &session, &person("李四", LI)).unwrap();
    apply_to_plan(&mut desk, &session, plan, LI, None).unwrap();
    review(&mut desk, &session, plan, Decision::Approve, &Selection::AllApplicable, None, false).unwrap();
    for id in [ZHANG, LI] {
        set_payment(&mut desk, &session, plan, id, PaymentStatus::Paid).unwrap();
    }
    arrange_one_room(&mut desk, plan);
    // 张三 passes theory and fails practical; 李四 the other way round.
    let mark = crate::domain::score::Mark::from_db;
    for (id, theory, practical) in [(ZHANG, 800, 500), (LI, 400, 700)] {
        let app = list_for_plan(desk.conn(), plan, None).unwrap().into_iter().find(|a| a.id_number == id).unwrap();
        let marks = crate::domain::score::Marks { theory: mark(theory), practical: mark(practical), review: None };
        crate::store::scores::save(desk.conn(), app.id, &marks, "t").unwrap();
    }
    let day = |d| NaiveDate::from_ymd_opt(2026, 12, 1).unwrap() + chrono::Days::new(d);
    publish_scores(&mut desk, &Session::on("考务员", day(28)), plan, &mut |_| {}, &AtomicBool::new(false)).unwrap();
    let next = PlanDraft {
        occupation: "电工".into(),
        level: "四级".into(),
        reg_start: "2026-12-01".into(),
        reg_end: "2027-01-20".into(),
        exam_date: "2027-01-28".into(),
        code: "155266".into(),
        ..Default::default()
    };
    let next = create_plan(&mut desk, &session, &next).unwrap().id;
    crate::ops::applications::apply_resit(&mut desk, &session, next, ZHANG).unwrap();
    sync(&mut desk, &mut web, 500);

    // The portal links 张三's re-sit to the original it holds, with the kept part.
    let web_app = |store: &Store, code: &str, id: &str| {
        let plan = crate::store::plans::find_by_code(store.conn(), code).unwrap().unwrap();
        list_for_plan(store.conn(), plan.id, None).unwrap().into_iter().find(|a| a.id_number == id).unwrap()
    };
    let linked = crate::store::resits::get(web.conn(), web_app(&web, "155266", ZHANG).id).unwrap().unwrap();
    assert_eq!(linked.carried, [crate::domain::score::Part::Theory]);
    assert_eq!(linked.original_id, web_app(&web, "155265", ZHANG).id);

    // 李四 applies as 补考 on the portal: the agency checks it against its own results and keeps 操作技能.
    let web_next = crate::store::plans::find_by_code(web.conn(), "155266").unwrap().unwrap().id;
    crate::ops::applications::apply_resit(&mut web, &portal(), web_next, LI).unwrap();
    sync(&mut desk, &mut web, 500);
    let li = web_app(&desk, "155266", LI);
    let kept = crate::store::resits::get(desk.conn(), li.id).unwrap().expect("the agency made it a re-sit");
    assert_eq!(kept.carried, [crate::domain::score::Part::Practical]);
    assert_eq!(crate::store::scores::get(desk.conn(), li.id).unwrap().practical, mark(700));
    let log = crate::store::audit::list(desk.conn(), Some(LI)).unwrap();
    assert!(log.iter().any(|e| e.action == "补考沿用成绩"), "{log:?}");
}
