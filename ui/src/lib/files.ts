// The file kinds the open dialogs offer for imports: workbooks, and what web systems export (CSV, HTML tables named
// .xls, XML Spreadsheet 2003, Excel's "Unicode text"). Core judges a file by its content, whatever its name.
export const SPREADSHEETS = [
  { name: "Excel / WPS / CSV", extensions: ["xlsx", "xls", "ods", "csv", "txt", "xml", "htm", "html"] },
  { name: "*", extensions: ["*"] },
];
