// Generated from skillcert-core by src-tauri/src/bindings.rs. Do not edit by hand: run
// `UPDATE_BINDINGS=1 cargo test -p skillcert-app bindings` after changing a list in core.

import type { ApplicationStatus, DocumentKind, Level, OverlayField, PaymentStatus, Role } from "./bindings";

/** The levels, lowest first. */
export const LEVELS: Level[] = ["五级/初级工","四级/中级工","三级/高级工","二级/技师","一级/高级技师","专项能力/专项"];

/** The levels a certificate is issued at (专项能力 has none). */
export const CERTIFICATE_LEVELS: Level[] = ["五级/初级工","四级/中级工","三级/高级工","二级/技师","一级/高级技师"];

/** Application statuses in the order an application moves through them. */
export const STATUSES: ApplicationStatus[] = ["待处理","申请不通过","申请通过","已提交申报","成绩发布"];

/** Statuses that lock the candidate's profile and photo (申请通过 or later). */
export const LOCKING_STATUSES: ApplicationStatus[] = ["申请通过","已提交申报","成绩发布"];

/** Payment states. */
export const PAYMENTS: PaymentStatus[] = ["待支付","已支付","缓缴","无需支付"];

/** The documents an application of each status may print. */
export const DOCUMENTS_BY_STATUS: Record<ApplicationStatus, DocumentKind[]> = { "待处理": [], "申请不通过": [], "申请通过": ["ApplicationForm"], "已提交申报": ["ApplicationForm","Ticket"], "成绩发布": ["ApplicationForm","Ticket","Certificate"] };

/** 文化程度 (GB/T 4658 names), highest first: the order core ranks them in. */
export const EDUCATION: string[] = ["博士研究生","硕士研究生","大学本科","大学专科","中等专业学校","技工学校","职业高中","普通高中","初中","小学","文盲或半文盲"];

/** 民族. */
export const ETHNICITIES: string[] = ["汉","蒙古","回","藏","维吾尔","苗","彝","壮","布依","朝鲜","满","侗","瑶","白","土家","哈尼","哈萨克","傣","黎","傈僳","佤","畲","高山","拉祜","水","东乡","纳西","景颇","柯尔克孜","土","达斡尔","仫佬","羌","布朗","撒拉","毛南","仡佬","锡伯","阿昌","普米","塔吉克","怒","乌孜别克","俄罗斯","鄂温克","德昂","保安","裕固","京","塔塔尔","独龙","鄂伦春","赫哲","门巴","珞巴","基诺","其他","外国血统"];

/** 考生来源. */
export const SOURCES: string[] = ["企业","机关","社会","学校","军队","其他"];

/** 证件类型. */
export const ID_TYPES: string[] = ["居民身份证","港澳台居民居住证","外国人永久居留身份证","护照","港澳居民来往内地通行证","台湾居民来往大陆通行证","军官证"];

/** Operator roles. */
export const ROLES: Role[] = ["管理员","审核员","考务员"];

/** What each 套打 field is called (the word a template line starts with). */
export const OVERLAY_FIELDS: Record<OverlayField, string> = { "Name": "姓名", "IdType": "证件类型", "IdNumber": "证件号码", "Occupation": "职业名称", "Job": "工种/职业方向", "Level": "职业技能等级", "Number": "证书编号", "IssuedOn": "发证日期", "Photo": "照片", "Qr": "二维码" };

/** Agency settings: key, label and default. */
export const SETTINGS: { key: string; label: string; default: string | null }[] = [{"key":"agency.name","label":"评价机构名称","default":null},{"key":"agency.type","label":"机构类型（Y 用人单位 / S 社会培训评价组织）","default":null},{"key":"agency.code","label":"机构代码（4位，省级备案填 0000）","default":"0000"},{"key":"agency.province","label":"省份代码（2位）","default":null},{"key":"agency.site","label":"机构/站点序号（6位）","default":null},{"key":"ticket.notice","label":"准考证考生须知","default":"1. 考生须持本准考证和有效身份证件，提前30分钟到达考场。\n2. 开考15分钟后不得入场。\n3. 考试期间须关闭手机等通讯工具，遵守考场纪律。"},{"key":"print.offset_x_mm","label":"套打水平偏移（毫米，向右为正）","default":"0"},{"key":"print.offset_y_mm","label":"套打垂直偏移（毫米，向下为正）","default":"0"},{"key":"print.scale_percent","label":"套打缩放（%，打印机把 200 毫米打成 198 毫米时填 101）","default":"100"},{"key":"certificate.overlay","label":"套打模板（每行：字段 x y 字号；照片 x y 宽 高；二维码 x y 边长；毫米，自纸张左上角）","default":"姓名 112 84 12\n证件类型 112 98 12\n证件号码 112 112 12\n职业名称 112 126 12\n工种/职业方向 112 140 12\n职业技能等级 112 154 12\n证书编号 112 168 12\n发证日期 52 226 12\n照片 32 80 25 35\n二维码 150 226 30"},{"key":"verify.base_url","label":"证书查询网址（二维码指向此处）","default":"http://jndj.osta.org.cn"},{"key":"payment.required","label":"收费计划须先缴费才能编排考试（true/false）","default":"true"},{"key":"portal.url","label":"考生报名门户网址（同步用；令牌保存在系统钥匙串中）","default":null},{"key":"security.idle_lock_minutes","label":"无操作自动锁定（分钟，设置操作员账号后生效）","default":"15"},{"key":"results.notice_days","label":"成绩公示期（天，含发布当天；公示期满后才能颁发证书）","default":"7"},{"key":"certificate.reissue_number","label":"补发证书的编号（keep 沿用原编号、换印制流水码 / new 取新编号）","default":"keep"},{"key":"results.calendar","label":"法定节假日与调休上班日（成绩上报期限按工作日计；每行：日期[~结束日期] 休/班 说明）","default":"2025-01-01 休 元旦\n2025-01-26 班 春节调休\n2025-01-28~2025-02-04 休 春节\n2025-02-08 班 春节调休\n2025-04-04~2025-04-06 休 清明节\n2025-04-27 班 劳动节调休\n2025-05-01~2025-05-05 休 劳动节\n2025-05-31~2025-06-02 休 端午节\n2025-09-28 班 国庆节调休\n2025-10-01~2025-10-08 休 国庆节、中秋节\n2025-10-11 班 国庆节调休\n2026-01-01~2026-01-03 休 元旦\n2026-01-04 班 元旦调休\n2026-02-14 班 春节调休\n2026-02-15~2026-02-23 休 春节\n2026-02-28 班 春节调休\n2026-04-04~2026-04-06 休 清明节\n2026-05-01~2026-05-05 休 劳动节\n2026-05-09 班 劳动节调休\n2026-06-19~2026-06-21 休 端午节\n2026-09-20 班 国庆节调休\n2026-09-25~2026-09-27 休 中秋节\n2026-10-01~2026-10-07 休 国庆节\n2026-10-10 班 国庆节调休"},{"key":"resit.validity_months","label":"补考时已合格科目的有效期（月；第一行为默认，其后每行“职业=月数”）","default":"12"},{"key":"agency.scope","label":"备案的评价范围（每行：职业编码 职业名称 等级…，如“6-31-01-03 电工 五级-三级”；只备案某工种时加“工种：…”；留空不检查）","default":""},{"key":"review.weights","label":"综合评审中论文与答辩的权重（百分比，论文/答辩，如 40/60）","default":"40/60"},{"key":"review.spread","label":"综合评审专家评分相差超过此分数时提醒复核（分）","default":"15"},{"key":"scores.sources","label":"成绩来源的列名（每个平台或阅卷机一段：“[名称]”一行，其下每行“文件中的列名=成绩表的列”）","default":""},{"key":"ticket.number_pattern","label":"准考证号规则（如 {识别码}{序号4}；可用 {年2} {省} {机构3} {批次3} {科目} {考场3} {座号3} {序号4}）","default":"{识别码}{序号4}"}];
