//! 操作员: the agency's staff accounts. The first operator of a database is its 管理员 (setting up); after that only an
//! administrator adds operators or changes their role, and at least one active administrator always remains.
//! Signing in gives a [`Session`] whose role the operations check.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Authority, Session};
use crate::domain::operator::{Permission, Role, validate_login};
use crate::domain::text::validate_name;
use crate::error::{Error, Result};
use crate::password;
use crate::store::operators::{self, Operator};
use crate::store::{Store, audit};

/// What an administrator fills in to add an operator.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct OperatorDraft {
    pub login: String,
    pub name: String,
    /// 管理员 / 审核员 / 考务员.
    pub role: String,
    pub password: String,
}

/// Whether the database has operators: without any, the app asks for the first administrator instead of a sign-in.
/// Minutes without activity before the app signs its operator out (security.idle_lock_minutes, 15 by default).
pub fn idle_lock_minutes(store: &Store) -> Result<u32> {
    let setting = crate::domain::settings::Setting::IdleLockMinutes;
    let value = crate::store::settings::get(store.conn(), setting)?;
    Ok(value.as_deref().or(setting.default_value()).and_then(|v| v.parse().ok()).unwrap_or(15))
}

pub fn operators_exist(store: &Store) -> Result<bool> {
    Ok(operators::count(store.conn())? > 0)
}

pub fn list_operators(store: &Store) -> Result<Vec<Operator>> {
    operators::list(store.conn())
}

pub fn add_operator(store: &mut Store, session: &Session, draft: &OperatorDraft) -> Result<Operator> {
    let login = validate_login(&draft.login)?;
    let name = validate_name(&draft.name)?;
    let role = Role::parse(&draft.role)?;
    password::check_new(&draft.password, &[&login]).map_err(|why| Error::invalid("密码", why))?;
    let hash = password::hash(&draft.password);
    let now = session.now();
    store.write(|tx| {
        if operators::count(tx)? == 0 {
            if role != Role::Admin {
                return Err(Error::invalid("角色", "第一个操作员必须是管理员，由他再添加审核员和考务员"));
            }
        } else {
            session.require(Permission::ManageOperators)?;
        }
        let id = operators::insert(tx, &login, &name, role, &hash, &now)?;
        append(tx, session, id, "添加操作员", None, Some(role.label()), &format!("{name}（{login}）"), &now)
    })?;
    find_operator(store, &login)
}

/// Checks a login and password; the session of that operator, or one refusal for every way it can fail (an unknown
/// login and a wrong password read the same). Audited either way.
pub fn sign_in(store: &mut Store, login: &str, password: &str) -> Result<Session> {
    let login = login.trim().to_lowercase();
    let found = operators::find(store.conn(), &login)?;
    let now = crate::domain::text::now_stamp();
    let outcome = match &found {
        Some((op, hash)) if password::verify(password, hash) && op.active => Ok(op.clone()),
        Some((op, hash)) if password::verify(password, hash) => {
            Err(Error::refused(format!("账号“{}”已停用，请联系管理员", op.login)))
        }
        _ => Err(Error::refused("登录名或密码不正确")),
    };
    let (id, action) = match (&found, &outcome) {
        (Some((op, _)), Ok(_)) => (op.id, "登录"),
        (Some((op, _)), Err(_)) => (op.id, "登录失败"),
        (None, _) => (0, "登录失败"),
    };
    let system = Session::new(format!("登录:{login}"));
    store.write(|tx| append(tx, &system, id, action, None, None, &login, &now))?;
    outcome.map(|op| Session::signed_in(&op.name, &op.login, op.role))
}

/// Changes an operator's role or stops (or restores) their account. At least one active administrator remains.
pub fn set_operator(store: &mut Store, session: &Session, login: &str, role: Role, active: bool) -> Result<Operator> {
    session.require(Permission::ManageOperators)?;
    let now = session.now();
    store.write(|tx| {
        let (op, _) = existing(tx, login)?;
        operators::set_role_and_active(tx, op.id, role, active, &now)?;
        if operators::active_admins(tx)? == 0 {
            return Err(Error::refused("至少要保留一个在用的管理员账号"));
        }
        let from = format!("{}{}", op.role.label(), if op.active { "" } else { "（已停用）" });
        let to = format!("{}{}", role.label(), if active { "" } else { "（已停用）" });
        append(tx, session, op.id, "修改操作员", Some(&from), Some(&to), &format!("{}（{}）", op.name, op.login), &now)
    })?;
    find_operator(store, login)
}

/// Sets a new password: an operator their own (knowing the current one), or an administrator anyone's.
pub fn change_password(
    store: &mut Store,
    session: &Session,
    login: &str,
    current: Option<&str>,
    new: &str,
) -> Result<()> {
    let (op, hash) = existing(store.conn(), login)?;
    let own = matches!(&session.authority, Authority::Operator { login: me, .. } if *me == op.login);
    if own {
        if !current.is_some_and(|c| password::verify(c, &hash)) {
            return Err(Error::invalid("当前密码", "不正确"));
        }
    } else {
        session.require(Permission::ManageOperators)?;
    }
    password::check_new(new, &[&op.login]).map_err(|why| Error::invalid("新密码", why))?;
    let new_hash = password::hash(new);
    let now = session.now();
    store.write(|tx| {
        operators::set_password_hash(tx, op.id, &new_hash, &now)?;
        append(tx, session, op.id, "修改操作员密码", None, None, &format!("{}（{}）", op.name, op.login), &now)
    })
}

/// The operator with this login (as typed: any case, spaces around).
pub fn find_operator(store: &Store, login: &str) -> Result<Operator> {
    existing(store.conn(), login).map(|(op, _)| op)
}

/// The operator with this login and their password hash, or a refusal naming the login.
fn existing(conn: &crate::store::sql::Connection, login: &str) -> Result<(Operator, String)> {
    operators::find(conn, &login.trim().to_lowercase())?
        .ok_or_else(|| Error::NotFound(format!("没有登录名为“{login}”的操作员")))
}

#[allow(clippy::too_many_arguments)]
fn append(
    conn: &crate::store::sql::Connection,
    session: &Session,
    id: i64,
    action: &str,
    from: Option<&str>,
    to: Option<&str>,
    detail: &str,
    now: &str,
) -> Result<()> {
    audit::append(
        conn,
        &audit::NewAuditEntry {
            actor: &session.operator,
            entity: "operator",
            entity_id: id,
            action,
            from_value: from,
            to_value: to,
            detail: Some(detail),
            ..Default::default()
        },
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(login: &str, role: &str) -> OperatorDraft {
        OperatorDraft { login: login.into(), name: "张三".into(), role: role.into(), password: "abc12345".into() }
    }

    #[test]
    fn the_first_operator_is_an_administrator_who_adds_the_others() {
        let mut store = crate::testing::scratch();
        let setup = Session::new("桌面端");
        assert!(!operators_exist(&store).unwrap());
        let e = add_operator(&mut store, &setup, &draft("li", "审核员")).unwrap_err();
        assert!(e.to_string().contains("第一个操作员必须是管理员"), "{e}");
        add_operator(&mut store, &setup, &draft("Admin", "管理员")).unwrap();

        let admin = sign_in(&mut store, "ADMIN", "abc12345").unwrap();
        assert_eq!(admin.operator, "张三（admin）");
        let reviewer = add_operator(&mut store, &admin, &draft("li", "审核员")).unwrap();
        assert_eq!(reviewer.role, Role::Reviewer);
        let li = sign_in(&mut store, "li", "abc12345").unwrap();
        let e = add_operator(&mut store, &li, &draft("wang", "考务员")).unwrap_err();
        assert!(e.to_string().contains("没有“管理操作员”的权限"), "{e}");
        assert!(add_operator(&mut store, &admin, &draft("li", "考务员")).unwrap_err().to_string().contains("已被使用"));
    }

    #[test]
    fn sign_in_refuses_alike_and_is_audited() {
        let mut store = crate::testing::scratch();
        add_operator(&mut store, &Session::new("桌面端"), &draft("admin", "管理员")).unwrap();
        let wrong = sign_in(&mut store, "admin", "abc12346").unwrap_err().to_string();
        let unknown = sign_in(&mut store, "nobody", "abc12345").unwrap_err().to_string();
        assert_eq!(wrong, unknown);
        let actions = audit::actions(store.conn()).unwrap();
        assert!(actions.contains(&"登录失败".to_string()));
    }

    #[test]
    fn one_active_administrator_always_remains_and_a_stopped_account_cannot_sign_in() {
        let mut store = crate::testing::scratch();
        add_operator(&mut store, &Session::new("桌面端"), &draft("admin", "管理员")).unwrap();
        let admin = sign_in(&mut store, "admin", "abc12345").unwrap();
        let e = set_operator(&mut store, &admin, "admin", Role::Reviewer, true).unwrap_err();
        assert!(e.to_string().contains("至少要保留一个"), "{e}");
        add_operator(&mut store, &admin, &draft("wang", "考务员")).unwrap();
        let stopped = set_operator(&mut store, &admin, "wang", Role::ExamStaff, false).unwrap();
        assert!(!stopped.active);
        assert!(sign_in(&mut store, "wang", "abc12345").unwrap_err().to_string().contains("已停用"));
    }

    /// The operations check the role themselves: what a reviewer and an exam officer may and may not do.
    #[test]
    fn the_operations_enforce_the_permission_table() {
        use crate::domain::candidate::CandidateDraft;
        use crate::domain::plan::PlanDraft;
        use crate::ops::applications::{Decision, Selection, review};
        use crate::ops::arrangement::{ArrangeRequest, arrange};
        use crate::ops::candidates::add_candidate;
        use crate::ops::plans::create_plan;
        use crate::ops::settings::set_setting;

        let mut store = crate::testing::scratch();
        add_operator(&mut store, &Session::new("桌面端"), &draft("admin", "管理员")).unwrap();
        let admin = sign_in(&mut store, "admin", "abc12345").unwrap();
        add_operator(&mut store, &admin, &draft("li", "审核员")).unwrap();
        add_operator(&mut store, &admin, &draft("wang", "考务员")).unwrap();
        let reviewer = sign_in(&mut store, "li", "abc12345").unwrap();
        let exam = sign_in(&mut store, "wang", "abc12345").unwrap();
        let today = admin.today;
        let plan = PlanDraft {
            occupation: "电工".into(),
            level: "四级".into(),
            reg_start: today.to_string(),
            reg_end: (today + chrono::Days::new(10)).to_string(),
            exam_date: (today + chrono::Days::new(20)).to_string(),
            ..Default::default()
        };
        fn refused<T: std::fmt::Debug>(r: Result<T>) -> String {
            r.unwrap_err().to_string()
        }
        assert!(refused(create_plan(&mut store, &reviewer, &plan)).contains("管理认定计划"));
        let plan = create_plan(&mut store, &admin, &plan).unwrap().id;
        let zhang = CandidateDraft {
            name: "张三".into(),
            id_number: "11010519491231002X".into(),
            phone: "13812345678".into(),
            ..Default::default()
        };
        assert!(refused(add_candidate(&mut store, &exam, &zhang)).contains("请由管理员或审核员操作"));
        add_candidate(&mut store, &reviewer, &zhang).unwrap();
        crate::ops::applications::apply(&mut store, &reviewer, plan, "11010519491231002X", None).unwrap();
        let all = Selection::AllApplicable;
        assert!(refused(review(&mut store, &exam, plan, Decision::Approve, &all, None, false)).contains("审核报名"));
        review(&mut store, &reviewer, plan, Decision::Approve, &all, None, false).unwrap();
        let request = ArrangeRequest {
            venue: "第一考点".into(),
            rooms: 1,
            seats_per_room: 30,
            theory: format!("{} 09:00-10:30", today + chrono::Days::new(20)),
            practical: format!("{} 13:30-16:00", today + chrono::Days::new(20)),
            review: None,
            ..Default::default()
        };
        assert!(refused(arrange(&mut store, &reviewer, plan, &request)).contains("考务编排"));
        arrange(&mut store, &exam, plan, &request).unwrap();
        assert!(refused(set_setting(&mut store, &exam, "agency.name", "示范中心")).contains("机构设置"));
        set_setting(&mut store, &admin, "agency.name", "示范中心").unwrap();
        // Every change names who made it.
        let actors: Vec<String> =
            audit::list(store.conn(), Some("11010519491231002X")).unwrap().into_iter().map(|e| e.actor).collect();
        assert!(actors.iter().any(|a| a == "张三（li）") && actors.iter().any(|a| a == "张三（wang）"), "{actors:?}");
    }

    #[test]
    fn passwords_change_with_the_current_one_or_by_an_administrator() {
        let mut store = crate::testing::scratch();
        add_operator(&mut store, &Session::new("桌面端"), &draft("admin", "管理员")).unwrap();
        let admin = sign_in(&mut store, "admin", "abc12345").unwrap();
        add_operator(&mut store, &admin, &draft("li", "审核员")).unwrap();
        let li = sign_in(&mut store, "li", "abc12345").unwrap();
        assert!(change_password(&mut store, &li, "li", Some("wrong123"), "newpass99").is_err());
        change_password(&mut store, &li, "li", Some("abc12345"), "newpass99").unwrap();
        assert!(sign_in(&mut store, "li", "newpass99").is_ok());
        assert!(change_password(&mut store, &li, "admin", None, "hacked123").is_err(), "not someone else's");
        change_password(&mut store, &admin, "li", None, "reset1234").unwrap();
        assert!(sign_in(&mut store, "li", "reset1234").is_ok());
        assert!(change_password(&mut store, &admin, "li", None, "li").unwrap_err().to_string().contains("密码"));
    }
}
