//! 职业技能等级证书: A4, bilingual as in the seed, every required field, the holder's photo, a QR code to the
//! verification page, the lookup addresses; values in 小四 (12 pt) in the certificate face (仿宋 where installed).
//! "套打" prints only the values onto pre-printed stock, where the agency's template and its printer put them.

use std::collections::HashMap;

use super::canvas::{Document, Face, PAGE_HEIGHT, PAGE_WIDTH};
use super::{Context, DocumentKind, Prepared, refuse_if_any};
use crate::domain::overlay::{OverlayField, OverlayTemplate, PrinterAdjust, VALUE_PT};
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

/// Where the labels of the full certificate sit; the values follow `Context::overlay` (the bundled template there).
const LABEL_X: f32 = 72.0;
const ISSUED_LABEL_X: f32 = 28.0;

/// What the certificate prints for a text field.
fn value_of(c: &Certificate, field: OverlayField) -> String {
    use chrono::Datelike;
    match field {
        OverlayField::Name => c.name.clone(),
        OverlayField::IdType => c.id_type.clone(),
        OverlayField::IdNumber => c.id_number.clone(),
        OverlayField::Occupation => c.occupation.clone(),
        OverlayField::Job => c.job.clone().unwrap_or_else(|| "--".into()),
        OverlayField::Level => c.level.clone(),
        OverlayField::Number => c.number.clone(),
        OverlayField::IssuedOn => {
            format!("{} 年 {:02} 月 {:02} 日", c.issued_on.year(), c.issued_on.month(), c.issued_on.day())
        }
        OverlayField::Photo | OverlayField::Qr => String::new(),
    }
}

/// The English line under each label of the full certificate.
fn english(field: OverlayField) -> &'static str {
    match field {
        OverlayField::Name => "Name",
        OverlayField::IdType => "ID Type",
        OverlayField::IdNumber => "ID NO.",
        OverlayField::Occupation => "Occupation",
        OverlayField::Job => "Job",
        OverlayField::Level => "Skill Level",
        OverlayField::Number => "Certificate NO.",
        OverlayField::IssuedOn => "Issue date",
        OverlayField::Photo | OverlayField::Qr => "",
    }
}

pub(crate) fn draw(document: &mut Document, context: &Context<'_>, item: &Item, overlay_only: bool) -> Result<()> {
    let c = &item.certificate;
    let photo = document.add_photo(&item.photo)?;
    let printer = context.printer;
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
        for p in &context.overlay.placements {
            let x = match p.field {
                OverlayField::Photo | OverlayField::Qr => continue,
                OverlayField::IssuedOn => ISSUED_LABEL_X,
                _ => LABEL_X,
            };
            page.text(serif, VALUE_PT, x, p.y, &format!("{}：", p.field.label()));
            page.text(Face::Sans, 7.5, x, p.y + 4.2, english(p.field));
        }
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
        // The seal is stamped over the agency's name: no words in its place.
        page.text(serif, VALUE_PT, ISSUED_LABEL_X, 242.0, &format!("评价机构：{}", c.agency_name));
        page.text(Face::Sans, 8.0, 28.0, 262.0, "证书信息查询网址(Certificate Information)：http://jndj.osta.org.cn");
        page.text(Face::Sans, 8.0, 28.0, 267.0, "机构信息查询网址(Assessment Information)：http://pjjg.osta.org.cn");
        if let Some(qr) = context.overlay.get(OverlayField::Qr) {
            page.text_centered(Face::Sans, 7.0, qr.x + qr.size / 2.0, qr.y + qr.size + 4.0, "扫码核验证书");
        }
    }
    page.own();
    for p in &context.overlay.placements {
        let (x, y) = printer.at(p.x, p.y);
        match p.field {
            OverlayField::Photo => page.image(&photo, x, y, printer.len(p.size), printer.len(p.height)),
            OverlayField::Qr => {
                page.qr(&verification_url(&context.verify_base_url, &c.number), x, y, printer.len(p.size))?
            }
            field => page.text(serif, printer.len(p.size), x, y, &value_of(c, field)),
        }
    }
    let ops = page.finish();
    document.add_page(ops);
    Ok(())
}

/// The page the QR code opens: the portal's public verification of this certificate number.
pub fn verification_url(base: &str, number: &str) -> String {
    format!("{}/verify?no={number}", base.trim_end_matches('/'))
}

/// 套打校准页: printed on plain paper and laid over the certificate stock against the light, it shows where the
/// overlay puts each field with the template and the printer adjustment now set: a cross where each value starts,
/// the photo's and the QR code's boxes, and millimetre rulers along the top and left edges (drawn true to size: a
/// printer that scales shows it against a real ruler). The operator then corrects the settings under 设置.
pub(crate) fn draw_calibration(document: &mut Document, template: &OverlayTemplate, printer: PrinterAdjust) {
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
    page.text_centered(sans, 16.0, PAGE_WIDTH / 2.0, 24.0, "职业技能等级证书 套打校准页");
    let lines = [
        format!(
            "当前偏移：水平 {} 毫米（向右为正），垂直 {} 毫米（向下为正）；缩放 {}%。",
            printer.dx,
            printer.dy,
            printer.scale * 100.0
        ),
        "用普通 A4 纸以与证书相同的打印机、纸盒和缩放（实际大小/100%）打印本页，与证书纸叠放对光查看：".to_string(),
        "每个十字的中心应落在证书纸上该项内容的起点，方框应与照片框、二维码框重合。十字偏右 2 毫米，把水平偏移减 2；"
            .to_string(),
        "偏下 3 毫米，把垂直偏移减 3。用直尺量边上的刻度：200 毫米量得 198 毫米，把缩放设为 101。".to_string(),
        "在“设置 → 套打”中保存后再打印本页核对，直到重合；某一项的位置不同，改套打模板中该行。".to_string(),
    ];
    for (i, line) in lines.iter().enumerate() {
        page.text(sans, 8.5, 20.0, 34.0 + 5.0 * i as f32, line);
    }
    for p in &template.placements {
        let (x, y) = printer.at(p.x, p.y);
        match p.field {
            OverlayField::Photo | OverlayField::Qr => {
                let (width, height) = (printer.len(p.size), printer.len(p.height));
                page.rect(x, y, width, height, 0.3);
                page.text(sans, 7.0, x + 2.0, y + 5.0, p.field.label());
            }
            field => {
                page.line(x - 6.0, y, x + 6.0, y, 0.3);
                page.line(x, y - 6.0, x, y + 6.0, 0.3);
                page.text(sans, 7.0, x + 7.0, y - 1.5, &format!("{}起点（{} 磅）", field.label(), p.size));
            }
        }
    }
    let ops = page.finish();
    document.add_page(ops);
}
