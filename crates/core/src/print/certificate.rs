//! 职业技能等级证书: A4, bilingual as in the seed, every required field, the holder's photo, a QR code to the
//! verification page, the lookup addresses. "套打" prints only the values, shifted by the printer offsets, onto
//! pre-printed certificate stock.

use std::collections::HashMap;

use super::canvas::{Canvas, Document, Face, PAGE_HEIGHT, PAGE_WIDTH};
use super::{Context, DocumentKind, Prepared, refuse_if_any};
use crate::error::Result;
use crate::store::applications::Application;
use crate::store::certificates::{self, Certificate, CertificateState};
use crate::store::photos::{self, Photo};

pub(crate) struct Item {
    certificate: Certificate,
    photo: Photo,
}

pub(crate) fn prepare(
    conn: &crate::store::sql::Connection,
    context: &Context<'_>,
    chosen: &[Application],
) -> Result<Prepared<Item>> {
    // A revoked certificate is never printed again; a reissue is printed in its place.
    let (issued, revoked): (Vec<Certificate>, Vec<Certificate>) =
        certificates::list(conn, Some(context.plan.id), None)?
            .into_iter()
            .partition(|c| c.state == CertificateState::Valid);
    let issued: HashMap<i64, Certificate> = issued.into_iter().map(|c| (c.application_id, c)).collect();
    let revoked: HashMap<i64, Certificate> = revoked.into_iter().map(|c| (c.application_id, c)).collect();
    let mut items = Prepared::new(chosen.len());
    let mut problems = Vec::new();
    let mut missing_photo = false;
    for app in chosen {
        let who = format!("{}（{}）", app.name, app.id_number);
        let Some(certificate) = issued.get(&app.id) else {
            match revoked.get(&app.id) {
                Some(c) => problems.push(format!("{who}的证书 {} 已作废，不能再打印", c.number)),
                None => problems.push(format!("{who}没有获得证书")),
            }
            continue;
        };
        let text = format!("{}{}{}", certificate.name, certificate.occupation, certificate.agency_name);
        if items.leave_out_unprintable(app, (Face::Serif, "证书内容"), &text)? {
            continue;
        }
        let Some(photo) = photos::get(conn, app.candidate_id)? else {
            problems.push(format!("{who}没有照片"));
            missing_photo = true;
            continue;
        };
        items.items.push(Item { certificate: certificate.clone(), photo });
    }
    refuse_if_any(DocumentKind::Certificate, problems, missing_photo)?;
    Ok(items)
}

/// Where each value sits (mm from the top-left), shared by the full certificate and the 套打 overlay.
const PHOTO: (f32, f32, f32, f32) = (30.0, 78.0, 30.0, 40.0);
const VALUE_X: f32 = 112.0;
const FIRST_ROW: f32 = 84.0;
const ROW: f32 = 14.0;
const ISSUED_Y: f32 = 214.0;
const QR: (f32, f32, f32) = (150.0, 226.0, 30.0);

pub(crate) fn draw(document: &mut Document, context: &Context<'_>, item: &Item, overlay_only: bool) -> Result<()> {
    let c = &item.certificate;
    let photo = document.add_photo(&item.photo)?;
    let (dx, dy) = if overlay_only { context.offsets } else { (0.0, 0.0) };
    let mut page = document.canvas();
    let center = PAGE_WIDTH / 2.0;
    let serif = Face::Serif;
    // The frame, titles, labels and addresses are the same on every certificate of the batch: written once.
    page.shared();

    if !overlay_only {
        page.rect(12.0, 12.0, PAGE_WIDTH - 24.0, 273.0, 2.0);
        page.rect(15.0, 15.0, PAGE_WIDTH - 30.0, 267.0, 0.6);
        page.text_centered(serif, 30.0, center, 44.0, "职业技能等级证书");
        page.text_centered(serif, 13.0, center, 54.0, "Certificate of Occupational Skill Level");
    }

    page.own();
    page.image(&photo, PHOTO.0 + dx, PHOTO.1 + dy, PHOTO.2, PHOTO.3);
    let job = c.job.clone().unwrap_or_else(|| "--".into());
    let rows: [(&str, &str, &str); 7] = [
        ("姓名", "Name", &c.name),
        ("证件类型", "ID Type", &c.id_type),
        ("证件号码", "ID NO.", &c.id_number),
        ("职业名称", "Occupation", &c.occupation),
        ("工种/职业方向", "Job", &job),
        ("职业技能等级", "Skill Level", &c.level),
        ("证书编号", "Certificate NO.", &c.number),
    ];
    for (i, (label, english, value)) in rows.iter().enumerate() {
        let y = FIRST_ROW + ROW * i as f32;
        if !overlay_only {
            page.shared();
            page.text(serif, 12.0, 72.0, y, &format!("{label}："));
            page.text(Face::Sans, 7.5, 72.0, y + 4.2, english);
            page.own();
        }
        page.text(serif, 13.0, VALUE_X + dx, y + dy, value);
    }

    if !overlay_only {
        page.shared();
        let statement = format!(
            "本证书由{}颁发，表明持证人通过本机构组织的职业技能等级认定，具备该职业（工种）相应技能等级水平。",
            c.agency_name
        );
        page.wrapped((serif, 11.5), 28.0, 190.0, (PAGE_WIDTH - 56.0, 7.0), &statement);
        let english = format!(
            "This is to certify that the bearer has demonstrated corresponding competency in this occupation (job) for \
             successful completion of the occupational skill level assessment organized by {}.",
            c.agency_name
        );
        page.wrapped((Face::Sans, 8.0), 28.0, 203.0, (PAGE_WIDTH - 56.0, 4.2), &english);
        page.text(serif, 12.0, 28.0, ISSUED_Y + 12.0, "发证日期：");
        page.text(Face::Sans, 7.5, 28.0, ISSUED_Y + 16.2, "Issue date");
        page.text(serif, 12.0, 28.0, ISSUED_Y + 28.0, &format!("评价机构：{}（盖章）", c.agency_name));
        page.text(Face::Sans, 8.0, 28.0, 262.0, "证书信息查询网址(Certificate Information)：http://jndj.osta.org.cn");
        page.text(Face::Sans, 8.0, 28.0, 267.0, "机构信息查询网址(Assessment Information)：http://pjjg.osta.org.cn");
        page.text_centered(Face::Sans, 7.0, QR.0 + QR.2 / 2.0, QR.1 + QR.2 + 4.0, "扫码核验证书");
        page.own();
    }
    use chrono::Datelike;
    let issued = format!("{} 年 {:02} 月 {:02} 日", c.issued_on.year(), c.issued_on.month(), c.issued_on.day());
    page.text(serif, 12.0, 52.0 + dx, ISSUED_Y + 12.0 + dy, &issued);
    page.qr(&verification_url(&context.verify_base_url, &c.number), QR.0 + dx, QR.1 + dy, QR.2)?;
    let ops = page.finish();
    document.add_page(ops);
    Ok(())
}

/// The page the QR code opens: the portal's public verification of this certificate number.
pub fn verification_url(base: &str, number: &str) -> String {
    format!("{}/verify?no={number}", base.trim_end_matches('/'))
}

/// 套打校准页: printed on plain paper and laid over the certificate stock against the light, it shows where the
/// overlay puts each value with the offsets now set: a cross where the first value starts, the photo's frame, the
/// issue date's and the QR code's corners, and millimetre rulers along the top and left edges to read how far off
/// they are. The operator then corrects the offsets under 设置.
pub(crate) fn draw_calibration(document: &mut Document, offsets: (f32, f32)) {
    let (dx, dy) = offsets;
    let mut page = document.canvas();
    let sans = Face::Sans;
    // Rulers along the top (across) and the left edge (down): a tick every millimetre, longer every 5, numbered
    // every 10.
    for (across, extent) in [(true, PAGE_WIDTH as u32), (false, PAGE_HEIGHT as u32)] {
        for mm in 0..=extent {
            let at = mm as f32;
            let length = match mm % 10 {
                0 => 5.0,
                5 => 3.5,
                _ => 2.0,
            };
            let label = (mm % 10 == 0 && mm > 0 && mm < extent).then(|| mm.to_string());
            if across {
                page.line(at, 0.0, at, length, 0.15);
                if let Some(label) = label {
                    page.text(sans, 5.0, at + 0.5, 8.0, &label);
                }
            } else {
                page.line(0.0, at, length, at, 0.15);
                if let Some(label) = label {
                    page.text(sans, 5.0, 6.0, at + 1.5, &label);
                }
            }
        }
    }
    let cross = |page: &mut Canvas<'_>, x: f32, y: f32| {
        page.line(x - 6.0, y, x + 6.0, y, 0.3);
        page.line(x, y - 6.0, x, y + 6.0, 0.3);
    };
    page.text_centered(sans, 16.0, PAGE_WIDTH / 2.0, 24.0, "职业技能等级证书 套打校准页");
    let lines = [
        format!("当前偏移：水平 {dx} 毫米（向右为正），垂直 {dy} 毫米（向下为正）。"),
        "用普通 A4 纸以与证书相同的打印机、纸盒和缩放（实际大小/100%）打印本页，与证书纸叠放对光查看：".to_string(),
        "十字中心应落在证书“姓名”值的起点，方框应与照片框重合。若十字偏右 2 毫米，把水平偏移减 2；偏下 3 毫米，"
            .to_string(),
        "把垂直偏移减 3。在“设置 → 套打偏移”中保存后再打印本页核对，直到重合。".to_string(),
    ];
    for (i, line) in lines.iter().enumerate() {
        page.text(sans, 8.5, 20.0, 34.0 + 5.0 * i as f32, line);
    }
    // Where the overlay puts things, with the offsets applied.
    page.rect(PHOTO.0 + dx, PHOTO.1 + dy, PHOTO.2, PHOTO.3, 0.3);
    page.text(sans, 7.0, PHOTO.0 + dx + 2.0, PHOTO.1 + dy + 5.0, "照片");
    cross(&mut page, VALUE_X + dx, FIRST_ROW + dy);
    page.text(sans, 7.0, VALUE_X + dx + 7.0, FIRST_ROW + dy - 1.5, "姓名（第一项）起点");
    let last = FIRST_ROW + ROW * 6.0;
    cross(&mut page, VALUE_X + dx, last + dy);
    page.text(sans, 7.0, VALUE_X + dx + 7.0, last + dy - 1.5, "证书编号起点");
    cross(&mut page, 52.0 + dx, ISSUED_Y + 12.0 + dy);
    page.text(sans, 7.0, 52.0 + dx + 7.0, ISSUED_Y + 12.0 + dy - 1.5, "发证日期起点");
    page.rect(QR.0 + dx, QR.1 + dy, QR.2, QR.2, 0.3);
    page.text(sans, 7.0, QR.0 + dx + 2.0, QR.1 + dy + 5.0, "二维码");
    let ops = page.finish();
    document.add_page(ops);
}
