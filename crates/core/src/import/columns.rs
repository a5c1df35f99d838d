//! The columns of a candidate roster, the names real files give them, and finding the header row.

use crate::spreadsheet::{Cell, Row};

/// A column SkillCert reads from a roster. The order is the template's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Name,
    Sex,
    IdType,
    IdNumber,
    BirthDate,
    Ethnicity,
    Education,
    Phone,
    Employer,
    Address,
    Occupation,
    Job,
    Level,
    Years,
    Source,
    PriorCertNumber,
    PriorCertName,
    PriorCertLevel,
    PriorCertDate,
    Major,
    School,
    GraduatedOn,
    WorkStartedOn,
    Title,
}

impl Column {
    pub const ALL: [Column; 24] = [
        Column::Name,
        Column::Sex,
        Column::IdType,
        Column::IdNumber,
        Column::BirthDate,
        Column::Ethnicity,
        Column::Education,
        Column::Phone,
        Column::Employer,
        Column::Address,
        Column::Occupation,
        Column::Job,
        Column::Level,
        Column::Years,
        Column::Source,
        Column::PriorCertNumber,
        Column::PriorCertName,
        Column::PriorCertLevel,
        Column::PriorCertDate,
        Column::Major,
        Column::School,
        Column::GraduatedOn,
        Column::WorkStartedOn,
        Column::Title,
    ];

    /// Without these a roster cannot be imported. (证件类型 defaults to 居民身份证 when the column is absent.)
    pub const REQUIRED: [Column; 3] = [Column::Name, Column::IdNumber, Column::Phone];

    /// The template's header, which is also the field name in validation messages.
    pub fn label(self) -> &'static str {
        match self {
            Column::Name => "姓名",
            Column::Sex => "性别",
            Column::IdType => "证件类型",
            Column::IdNumber => "证件号码",
            Column::BirthDate => "出生日期",
            Column::Ethnicity => "民族",
            Column::Education => "文化程度",
            Column::Phone => "手机号码",
            Column::Employer => "工作单位",
            Column::Address => "通讯地址",
            Column::Occupation => "职业",
            Column::Job => "工种",
            Column::Level => "等级",
            Column::Years => "从事本职业年限",
            Column::Source => "考生来源",
            Column::PriorCertNumber => "原证书编号",
            Column::PriorCertName => "现有证书名称",
            Column::PriorCertLevel => "现有证书等级",
            Column::PriorCertDate => "现有证书取证时间",
            Column::Major => "所学专业",
            Column::School => "毕业院校",
            Column::GraduatedOn => "毕业时间",
            Column::WorkStartedOn => "参加工作时间",
            Column::Title => "职称",
        }
    }

    /// Other headers real rosters use for this column (compared after [`normalize_header`]).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::Name => &["考生姓名", "学员姓名", "姓名（中文）", "名字"],
            Column::Sex => &["性 别"],
            Column::IdType => &["证件种类", "证件名称"],
            Column::IdNumber => &[
                "证件号",
                "证件编号",
                "身份证号",
                "身份证号码",
                "身份证",
                "公民身份号码",
                "公民身份证号",
                "公民身份证号码",
                "身份证件号",
                "身份证件号码",
                "证件号码（身份证号）",
            ],
            Column::BirthDate => &["出生年月", "出生年月日", "出生日期（年月日）", "生日"],
            Column::Ethnicity => &["民族（族别）", "族别"],
            Column::Education => &["学历", "最高学历", "文化程度（学历）"],
            Column::Phone => &[
                "手机号",
                "手机",
                "联系电话",
                "电话",
                "联系方式",
                "移动电话",
                "联系手机",
                "手机号码（联系电话）",
                "电话号码",
            ],
            Column::Employer => &["单位", "单位名称", "所在单位", "工作单位名称"],
            Column::Address => &["地址", "联系地址", "通信地址", "家庭住址", "住址"],
            Column::Occupation => &["申报职业", "职业名称", "报考职业", "职业（工种）"],
            Column::Job => &["工种/职业方向", "职业方向", "申报工种", "报考工种"],
            Column::Level => &["申报等级", "报考等级", "级别", "职业技能等级", "申报级别", "技能等级"],
            Column::Years => &["本职业年限", "工作年限", "从业年限", "从事本职业工作年限", "本职业工作年限"],
            Column::Source => &["来源", "考生类别", "人员来源"],
            Column::PriorCertNumber => &["现有证书编号", "原证书号", "原职业资格证书编号", "已有证书编号"],
            Column::PriorCertName => &["原证书名称", "已有证书名称", "现有证书", "原证书职业", "原职业资格证书名称"],
            Column::PriorCertLevel => &["原证书等级", "已有证书等级", "原证书级别", "原职业资格等级", "现有证书级别"],
            Column::PriorCertDate => &[
                "原证书发证日期",
                "原证书取证时间",
                "原证书取证日期",
                "现有证书取证日期",
                "现有证书发证日期",
                "取证时间",
                "取证日期",
                "发证日期",
            ],
            Column::Major => &["专业", "毕业专业", "专业名称", "所学专业名称", "学习专业"],
            Column::School => &["毕业学校", "学校", "院校", "毕业院校名称", "毕业学校名称", "就读学校"],
            Column::GraduatedOn => &["毕业日期", "毕业年月", "毕业时间（年月）", "毕业年份"],
            Column::WorkStartedOn => &[
                "参加工作日期",
                "参加工作年月",
                "参工时间",
                "工作时间",
                "开始工作时间",
                "首次参加工作时间",
                "参加工作时间（年月）",
            ],
            Column::Title => {
                &["专业技术职称", "技术职称", "专业技术职务", "专业技术资格", "职称名称", "现有职称", "职称等级"]
            }
        }
    }

    /// Columns of days (or months): a number in them is an Excel date serial.
    pub fn holds_dates(self) -> bool {
        matches!(self, Column::BirthDate | Column::PriorCertDate | Column::GraduatedOn | Column::WorkStartedOn)
    }

    /// The column a validation message's field belongs to.
    pub fn for_field(field: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.label() == field)
    }

    /// Recognises a header cell: the label or an alias, ignoring spaces, asterisks, "(必填)" and, failing that, any
    /// trailing note in brackets ("出生日期（格式：1990-01-01）").
    pub fn recognise(header: &str) -> Option<Column> {
        let h = normalize_header(header);
        if h.is_empty() {
            return None;
        }
        let find = |h: &str| {
            Column::ALL
                .into_iter()
                .find(|c| normalize_header(c.label()) == h || c.aliases().iter().any(|a| normalize_header(a) == h))
        };
        find(&h).or_else(|| {
            let bare = h.split(['(', '[', '【']).next().unwrap_or_default();
            (!bare.is_empty() && bare != h).then(|| find(bare)).flatten()
        })
    }
}

/// Header text without spaces (also full-width), line breaks, asterisks or a trailing "(必填)"/"（选填）".
pub fn normalize_header(text: &str) -> String {
    let mut h: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}' && *c != '*' && *c != '＊')
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect();
    for note in ["(必填)", "(选填)", "(必选)", "(可选)", "(必填项)"] {
        if let Some(stripped) = h.strip_suffix(note) {
            h = stripped.to_string();
        }
    }
    h
}

/// The column among `all` one of whose `aliases` the header cell is, decorations aside (a score sheet's, a numbers
/// sheet's columns).
pub fn recognise_among<C: Copy>(header: &str, all: &[C], aliases: impl Fn(C) -> &'static [&'static str]) -> Option<C> {
    let h = normalize_header(header);
    all.iter().copied().find(|c| aliases(*c).iter().any(|a| normalize_header(a) == h))
}

/// A set of columns a kind of file has (a candidate roster, a score sheet).
pub trait ColumnKind: Copy + Eq + 'static {
    /// Recognises a header cell.
    fn recognise(header: &str) -> Option<Self>;
    /// The name the template uses, and validation messages.
    fn label(self) -> &'static str;
    /// A header row names at least one key column (a title row names none).
    fn is_key(self) -> bool;
    /// Without these the file cannot be imported.
    fn required() -> &'static [Self];
    /// Numbers that must keep every digit (IDs, phones): written as text in reports.
    fn keeps_digits(self) -> bool;
}

impl ColumnKind for Column {
    fn recognise(header: &str) -> Option<Self> {
        Column::recognise(header)
    }

    fn label(self) -> &'static str {
        Column::label(self)
    }

    fn is_key(self) -> bool {
        matches!(self, Column::Name | Column::IdNumber)
    }

    fn required() -> &'static [Self] {
        &Column::REQUIRED
    }

    fn keeps_digits(self) -> bool {
        matches!(self, Column::IdNumber | Column::Phone | Column::PriorCertNumber)
    }
}

/// Where each recognised column is in the file, and what the file calls it.
#[derive(Debug, Clone)]
pub struct ColumnMap<C: ColumnKind = Column> {
    /// The header row's number as Excel shows it.
    pub header_row: u32,
    /// (column, index in the row, header text as in the file).
    pub columns: Vec<(C, usize, String)>,
    /// The header row's cells as in the file (for the error report).
    pub header_cells: Vec<String>,
}

impl<C: ColumnKind> ColumnMap<C> {
    pub fn index(&self, column: C) -> Option<usize> {
        self.columns.iter().find(|(c, _, _)| *c == column).map(|(_, i, _)| *i)
    }

    /// The header as the file writes it, or the template's name when the file has no such column.
    pub fn header(&self, column: C) -> String {
        self.columns.iter().find(|(c, _, _)| *c == column).map(|(_, _, h)| h.clone()).unwrap_or(column.label().into())
    }

    pub fn missing_required(&self) -> Vec<C> {
        C::required().iter().copied().filter(|c| self.index(*c).is_none()).collect()
    }
}

/// How far down a header row may be (title rows, notes and blank rows come first in real files).
pub const HEADER_SEARCH_ROWS: usize = 30;

/// Finds the header row: among the first rows, the one that names the most known columns (at least two, one of
/// them a key column such as 姓名 or 证件号码). A merged title row above it names none.
pub fn find_header<C: ColumnKind>(rows: &[Row]) -> Option<ColumnMap<C>> {
    let mut best: Option<ColumnMap<C>> = None;
    for row in rows.iter().take(HEADER_SEARCH_ROWS) {
        let mut columns: Vec<(C, usize, String)> = Vec::new();
        for (index, cell) in row.cells.iter().enumerate() {
            let Cell::Text(text) = cell else { continue };
            if let Some(column) = C::recognise(text)
                && !columns.iter().any(|(c, _, _)| *c == column)
            {
                columns.push((column, index, text.trim().to_string()));
            }
        }
        let key = columns.iter().any(|(c, _, _)| c.is_key());
        if key && columns.len() >= 2 && best.as_ref().is_none_or(|b| columns.len() > b.columns.len()) {
            best = Some(ColumnMap {
                header_row: row.number,
                header_cells: row.cells.iter().map(Cell::display).collect(),
                columns,
            });
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(number: u32, cells: &[&str]) -> Row {
        Row {
            number,
            cells: cells.iter().map(|c| if c.is_empty() { Cell::Empty } else { Cell::Text(c.to_string()) }).collect(),
        }
    }

    #[test]
    fn aliases_and_decorations_are_recognised() {
        assert_eq!(Column::recognise("姓 名"), Some(Column::Name));
        assert_eq!(Column::recognise("*姓名"), Some(Column::Name));
        assert_eq!(Column::recognise("身份证号"), Some(Column::IdNumber));
        assert_eq!(Column::recognise("证件号码（必填）"), Some(Column::IdNumber));
        assert_eq!(Column::recognise("联系电话"), Some(Column::Phone));
        assert_eq!(Column::recognise("手机"), Some(Column::Phone));
        assert_eq!(Column::recognise("申报职业"), Some(Column::Occupation));
        assert_eq!(Column::recognise("出生\n日期"), Some(Column::BirthDate));
        assert_eq!(Column::recognise("出生日期（格式：1990-01-01）"), Some(Column::BirthDate));
        assert_eq!(Column::recognise("公民身份证号"), Some(Column::IdNumber));
        assert_eq!(Column::recognise("备注"), None);
        assert_eq!(Column::recognise("备注(选填)"), None);
    }

    #[test]
    fn header_below_a_title_row() {
        let rows = vec![
            row(1, &["2026年第四期电工职业技能等级认定报名汇总表"]),
            row(2, &["填报单位：示范职业技能评价中心", "", "", "日期：2026-11-20"]),
            row(3, &["序号", "姓 名", "性别", "身份证号", "联系电话", "备注"]),
            row(4, &["1", "张三", "女", "11010519491231002X", "13812345678", ""]),
        ];
        let map: ColumnMap = find_header(&rows).unwrap();
        assert_eq!(map.header_row, 3);
        assert_eq!(map.index(Column::Name), Some(1));
        assert_eq!(map.index(Column::IdNumber), Some(3));
        assert_eq!(map.header(Column::IdNumber), "身份证号");
        assert_eq!(map.header(Column::Education), "文化程度");
        assert!(map.missing_required().is_empty());
    }

    #[test]
    fn no_header_or_a_missing_required_column() {
        assert!(find_header::<Column>(&[row(1, &["a", "b"]), row(2, &["1", "2"])]).is_none());
        let map: ColumnMap = find_header(&[row(1, &["姓名", "身份证号", "性别"])]).unwrap();
        assert_eq!(map.missing_required(), [Column::Phone]);
    }
}
