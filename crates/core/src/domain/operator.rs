//! Operators of the agency (评价机构工作人员) and what each role may do. The table below is the permission table of
//! docs/security.md; operations check it themselves (`Session::require`), so a hidden button is never the only
//! guard.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum Role {
    /// 管理员: everything, including operators, settings and backups.
    #[serde(rename = "管理员")]
    Admin,
    /// 审核员: candidates and applications — import, edit, review, payments.
    #[serde(rename = "审核员")]
    Reviewer,
    /// 考务员: the exam — arrangement, scores, publication.
    #[serde(rename = "考务员")]
    ExamStaff,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Reviewer, Role::ExamStaff];

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Reviewer => "审核员",
            Role::ExamStaff => "考务员",
        }
    }

    pub fn parse(text: &str) -> Result<Role> {
        let t = text.trim();
        Role::ALL.into_iter().find(|r| r.label() == t || t.eq_ignore_ascii_case(r.code())).ok_or_else(|| {
            Error::invalid("角色", format!("“{t}”不是角色，可选：管理员、审核员、考务员（admin、reviewer、exam）"))
        })
    }

    /// The ASCII name for command lines.
    fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Reviewer => "reviewer",
            Role::ExamStaff => "exam",
        }
    }
}

/// Something an operation needs the right to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
pub enum Permission {
    /// 发布、修改、关闭认定计划，设置报考条件规则.
    ManagePlans,
    /// 导入考生与照片，添加、修改考生资料，重置考生账号.
    ManageCandidates,
    /// 审核报名（通过、不通过），考生报名.
    Review,
    /// 登记缴费.
    RecordPayment,
    /// 考务编排.
    Arrange,
    /// 导入、发布成绩（颁发证书）.
    Scores,
    /// 机构设置、门户连接与同步.
    Settings,
    /// 管理操作员账号.
    ManageOperators,
    /// 备份与恢复.
    Backup,
}

impl Permission {
    pub const ALL: [Permission; 9] = [
        Permission::ManagePlans,
        Permission::ManageCandidates,
        Permission::Review,
        Permission::RecordPayment,
        Permission::Arrange,
        Permission::Scores,
        Permission::Settings,
        Permission::ManageOperators,
        Permission::Backup,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Permission::ManagePlans => "管理认定计划",
            Permission::ManageCandidates => "管理考生资料",
            Permission::Review => "审核报名",
            Permission::RecordPayment => "登记缴费",
            Permission::Arrange => "考务编排",
            Permission::Scores => "成绩与证书",
            Permission::Settings => "机构设置与同步",
            Permission::ManageOperators => "管理操作员",
            Permission::Backup => "备份与恢复",
        }
    }
}

/// The permission table: who may do what. Everyone signed in may read and print.
pub fn allows(role: Role, permission: Permission) -> bool {
    use Permission::*;
    match role {
        Role::Admin => true,
        Role::Reviewer => matches!(permission, ManageCandidates | Review | RecordPayment),
        Role::ExamStaff => matches!(permission, Arrange | Scores),
    }
}

/// A login name: 2 to 32 letters, digits, `.`, `_` or `-` (compared without case).
pub fn validate_login(text: &str) -> Result<String> {
    let login = text.trim().to_lowercase();
    let ok = (2..=32).contains(&login.chars().count())
        && login.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(login)
    } else {
        Err(Error::invalid("登录名", format!("“{}”应为2至32位英文字母、数字或 . _ -", text.trim())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_permission_table() {
        use Permission::*;
        let table = [
            (Role::Admin, Permission::ALL.to_vec()),
            (Role::Reviewer, vec![ManageCandidates, Review, RecordPayment]),
            (Role::ExamStaff, vec![Arrange, Scores]),
        ];
        for (role, granted) in table {
            for p in Permission::ALL {
                assert_eq!(allows(role, p), granted.contains(&p), "{role:?} {p:?}");
            }
        }
    }

    #[test]
    fn roles_and_logins_parse_as_typed() {
        assert_eq!(Role::parse("审核员").unwrap(), Role::Reviewer);
        assert_eq!(Role::parse(" EXAM ").unwrap(), Role::ExamStaff);
        assert!(Role::parse("校长").unwrap_err().to_string().contains("管理员"));
        assert_eq!(validate_login(" Zhang.San ").unwrap(), "zhang.san");
        assert!(validate_login("张三").is_err());
        assert!(validate_login("a").is_err());
    }
}
