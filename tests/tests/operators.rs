//! Operators and roles through the real CLI: the first account is the administrator; once accounts exist every
//! command signs in, and what a role may not do is refused by the operation itself, with the operator named in the
//! audit trail.

use std::io::Write;
use std::process::Stdio;

use skillcert_tests::{Agency, Run, add_plan, skillcert_cmd};

/// `skillcert --db DB ARGS` signed in as `user` (none: unsigned), with `stdin` as standard input.
fn as_user(agency: &Agency, user: Option<(&str, &str)>, args: &[&str], stdin: &str) -> Run {
    let mut cmd = skillcert_cmd();
    cmd.arg("--db").arg(&agency.db).args(args).env_remove("SKILLCERT_DB").env_remove("SKILLCERT_USER");
    cmd.env_remove("SKILLCERT_PASSWORD");
    if let Some((login, password)) = user {
        cmd.env("SKILLCERT_USER", login).env("SKILLCERT_PASSWORD", password);
    }
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap().into()
}

#[test]
fn roles_are_enforced_and_every_change_names_its_operator() {
    let agency = Agency::new();
    let plan = add_plan(&agency.db, "电工", "四级", &[]);
    let admin = Some(("admin", "Admin2026"));
    let reviewer = Some(("li", "Review2026"));
    let exam = Some(("wang", "Exam20260"));

    // Setting up: the first account must be an administrator.
    let first = as_user(
        &agency,
        None,
        &["operator", "add", "--login", "li", "--name", "李审核", "--role", "审核员"],
        "Review2026\n",
    );
    assert_ne!(first.code, 0);
    assert!(first.stderr.contains("第一个操作员必须是管理员"), "{}", first.stderr);
    let run = as_user(
        &agency,
        None,
        &["operator", "add", "--login", "admin", "--name", "管理员甲", "--role", "admin"],
        "Admin2026\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);

    // From now on every command signs in.
    let unsigned = as_user(&agency, None, &["plan", "list"], "");
    assert_ne!(unsigned.code, 0);
    assert!(unsigned.stderr.contains("--user"), "{}", unsigned.stderr);
    let wrong = as_user(&agency, Some(("admin", "nope12345")), &["plan", "list"], "");
    assert!(wrong.stderr.contains("登录名或密码不正确"), "{}", wrong.stderr);
    for (login, name, role, password) in
        [("li", "李审核", "审核员", "Review2026"), ("wang", "王考务", "考务员", "Exam20260")]
    {
        let run = as_user(
            &agency,
            admin,
            &["operator", "add", "--login", login, "--name", name, "--role", role],
            &format!("{password}\n"),
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let list = as_user(&agency, exam, &["operator", "list", "--json"], "").json();
    assert_eq!(list.as_array().unwrap().len(), 3, "everyone signed in may read");

    // The reviewer adds and approves a candidate; the exam officer may not.
    let add = ["candidate", "add", "--name", "张三", "--id-number", "11010519491231002X", "--phone", "13812345678"];
    let refused = as_user(&agency, exam, &add, "");
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("没有“管理考生资料”的权限"), "{}", refused.stderr);
    assert_eq!(as_user(&agency, reviewer, &add, "").code, 0);
    assert_eq!(
        as_user(&agency, reviewer, &["apply", "--plan", &plan, "--id-number", "11010519491231002X"], "").code,
        0
    );
    let approve = ["review", "approve", "--plan", &plan, "--all-pending"];
    assert!(as_user(&agency, exam, &approve, "").stderr.contains("审核报名"));
    assert_eq!(as_user(&agency, reviewer, &approve, "").code, 0);
    // Settings, plans and backups are the administrator's.
    assert!(
        as_user(&agency, reviewer, &["settings", "set", "agency.name", "示范中心"], "").stderr.contains("机构设置")
    );
    let backup = agency.path("备份.db");
    assert!(as_user(&agency, exam, &["backup", "-o", backup.to_str().unwrap()], "").stderr.contains("备份与恢复"));
    assert_eq!(as_user(&agency, admin, &["backup", "-o", backup.to_str().unwrap()], "").code, 0);

    // The audit trail names the operator of each change.
    let log = as_user(&agency, admin, &["audit", "list", "--id-number", "11010519491231002X", "--json"], "").json();
    let actors: Vec<(&str, &str)> =
        log.as_array().unwrap().iter().map(|e| (e["action"].as_str().unwrap(), e["actor"].as_str().unwrap())).collect();
    assert!(actors.contains(&("审核通过", "李审核（li）")), "{actors:?}");

    // A stopped account cannot sign in; the last administrator cannot be demoted.
    assert_eq!(as_user(&agency, admin, &["operator", "set", "wang", "--disable"], "").code, 0);
    assert!(as_user(&agency, exam, &["plan", "list"], "").stderr.contains("已停用"));
    assert!(
        as_user(&agency, admin, &["operator", "set", "admin", "--role", "审核员"], "").stderr.contains("至少要保留")
    );
    // Own password, with the current one.
    assert_eq!(as_user(&agency, reviewer, &["operator", "passwd", "li"], "Newpass2026\n").code, 0);
    assert_eq!(as_user(&agency, Some(("li", "Newpass2026")), &["plan", "list"], "").code, 0);
}
