//! The database's encryption as operators see it: its status, and the one-time export of its recovery code.
//!
//! The recovery code is the key itself, so it leaves SkillCert once per database: the export is recorded in the
//! append-only audit trail (who, when, which key), and a second export is refused naming the first.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use super::Session;
use crate::domain::operator::Permission;
use crate::domain::text::stamp_for_people;
use crate::encryption::{EncryptionStatus, with_suffix};
use crate::error::{Error, Result};
use crate::store::{Store, audit};

const ENTITY: &str = "database_key";
const EXPORTED: &str = "导出恢复码";

/// What 设置 → 数据安全 and `skillcert key status` show.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SecurityStatus {
    pub encryption: EncryptionStatus,
    /// When and by whom this key's recovery code was exported ("2026-11-26 10:05:09 王老师（wang）"), if it was.
    pub recovery_exported: Option<String>,
}

pub fn security_status(store: &Store) -> Result<SecurityStatus> {
    Ok(SecurityStatus { encryption: store.encryption().clone(), recovery_exported: recovery_exported(store)? })
}

fn recovery_exported(store: &Store) -> Result<Option<String>> {
    let Some(fingerprint) = &store.encryption().key_fingerprint else { return Ok(None) };
    Ok(audit::first(store.conn(), ENTITY, EXPORTED, fingerprint)?
        .map(|(at, actor)| format!("{} {actor}", stamp_for_people(&at))))
}

/// Writes the recovery code of the database's key to `target`, a new text file, once. The file is complete on disk
/// before the export is recorded; if recording fails the file is removed.
pub fn export_recovery_code(store: &mut Store, session: &Session, target: &Path) -> Result<SecurityStatus> {
    session.require(Permission::Backup)?;
    let status = store.encryption().clone();
    let (Some(key), Some(fingerprint)) = (store.key().cloned(), status.key_fingerprint.clone()) else {
        return Err(Error::refused(format!(
            "数据库未加密，没有恢复码（{}）",
            status.plain_reason.as_deref().unwrap_or("未知原因")
        )));
    };
    if let Some(when) = recovery_exported(store)? {
        return Err(Error::refused(format!(
            "这个数据库的恢复码已于 {when} 导出过，出于安全只能导出一次：请找到那份恢复码（打印件或 U 盘）妥善保管"
        )));
    }
    if target.exists() {
        return Err(Error::refused(format!("“{}”已存在：请换一个文件名，已有的文件不会被覆盖", target.display())));
    }
    let database = store.path().map(|p| p.display().to_string()).unwrap_or_default();
    let text = format!(
        "SkillCert 数据库恢复码\r\n\r\n\
         数据库：{database}\r\n密钥指纹：{fingerprint}\r\n导出：{} {}\r\n\r\n\
         恢复码：\r\n{}\r\n\r\n\
         这个恢复码就是数据库的密钥。电脑重装、换电脑或系统钥匙串丢失时，需要它才能打开数据库和它的备份。\r\n\
         请打印或抄写后存放在安全的地方（如保险柜），并删除这个文件；不要通过微信、邮件发送。\r\n\
         得到恢复码和数据库文件的人可以读出全部考生信息。\r\n",
        stamp_for_people(&session.now()),
        session.operator,
        key.recovery_code()
    );
    let partial = with_suffix(target, ".partial");
    let written = std::fs::File::create(&partial)
        .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&partial, target));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(Error::io_at(target, e));
    }
    let recorded = store.write(|tx| {
        audit::append(
            tx,
            &audit::NewAuditEntry {
                actor: &session.operator,
                entity: ENTITY,
                action: EXPORTED,
                to_value: Some(&fingerprint),
                detail: Some(&target.display().to_string()),
                ..Default::default()
            },
            &session.now(),
        )
    });
    if let Err(e) = recorded {
        let _ = std::fs::remove_file(target);
        return Err(e);
    }
    security_status(store)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::operator::Role;
    use crate::encryption::{DbKey, Keys};

    #[test]
    fn the_recovery_code_is_exported_once_by_an_administrator_and_opens_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("agency.db");
        let mut store = Store::open_or_create(&db, &Keys::Given(DbKey::random().unwrap())).unwrap();
        let target = dir.path().join("恢复码.txt");

        let reviewer = Session::signed_in("李审核", "li", Role::Reviewer);
        assert!(export_recovery_code(&mut store, &reviewer, &target).is_err());
        assert!(!target.exists());

        let admin = Session::signed_in("王老师", "wang", Role::Admin);
        let status = export_recovery_code(&mut store, &admin, &target).unwrap();
        assert!(status.recovery_exported.unwrap().contains("王老师"));
        let text = std::fs::read_to_string(&target).unwrap();
        let code = text.lines().skip_while(|l| *l != "恢复码：").nth(1).unwrap();
        drop(store);
        let store = Store::open_existing(&db, &Keys::Given(DbKey::from_recovery_code(code).unwrap())).unwrap();
        assert!(store.encryption().encrypted, "the exported code is the key that opens it");

        let mut store = store;
        let again = export_recovery_code(&mut store, &admin, &dir.path().join("再来一份.txt")).unwrap_err();
        assert!(again.to_string().contains("只能导出一次"), "{again}");
        assert!(!dir.path().join("再来一份.txt").exists());
    }

    #[test]
    fn a_plain_database_has_no_recovery_code_and_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_or_create(&dir.path().join("a.db"), &Keys::Plain).unwrap();
        let e = export_recovery_code(&mut store, &Session::new("管理员"), &dir.path().join("x.txt")).unwrap_err();
        assert!(e.to_string().contains("未加密"), "{e}");
        assert!(security_status(&store).unwrap().recovery_exported.is_none());
    }
}
