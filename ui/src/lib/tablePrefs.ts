// The application table's columns, and the operator's choices for them (shown, widths, sort, page size), which
// survive a restart.
import type { SortKey } from "../api/bindings";
import { loadPref, savePref } from "./prefs";

export interface ColumnDef {
  key: string;
  /** Locale key under applications.columns. */
  label: string;
  width: number;
  /** The server-side sort this column offers, if any. */
  sort?: SortKey;
}

export const APPLICATION_COLUMNS: ColumnDef[] = [
  { key: "name", label: "name", width: 100, sort: "name" },
  { key: "id_number", label: "idNumber", width: 180, sort: "id_number" },
  { key: "id_type", label: "idType", width: 110 },
  { key: "phone", label: "phone", width: 120 },
  { key: "plan_title", label: "plan", width: 200 },
  { key: "status", label: "status", width: 100, sort: "status" },
  { key: "payment", label: "payment", width: 90, sort: "payment" },
  { key: "ticket_number", label: "ticket", width: 130, sort: "ticket_number" },
  { key: "has_photo", label: "photo", width: 70 },
  { key: "reject_reason", label: "reason", width: 160 },
  { key: "created_at", label: "submitted", width: 150, sort: "submitted" },
  { key: "updated_at", label: "updated", width: 150, sort: "updated" },
];

export interface TablePrefs {
  hidden: string[];
  widths: Record<string, number>;
  sort: SortKey;
  descending: boolean;
  pageSize: number;
}

export const DEFAULT_PREFS: TablePrefs = {
  hidden: ["id_type", "reject_reason", "created_at"],
  widths: {},
  sort: "submitted",
  descending: false,
  pageSize: 50,
};

export function loadTablePrefs(name: string): TablePrefs {
  const stored = loadPref<Partial<TablePrefs>>(`table.${name}`, {});
  return { ...DEFAULT_PREFS, ...stored };
}

export function saveTablePrefs(name: string, prefs: TablePrefs): void {
  savePref(`table.${name}`, prefs);
}

/** The column keys shown, in table order. */
export function visibleColumns(prefs: TablePrefs, columns = APPLICATION_COLUMNS): ColumnDef[] {
  return columns.filter((c) => !prefs.hidden.includes(c.key));
}

/** Element Plus reports sorting by prop and "ascending" / "descending" / null. */
export function sortFromTable(prop: string | null, order: string | null): Pick<TablePrefs, "sort" | "descending"> {
  const column = APPLICATION_COLUMNS.find((c) => c.key === prop);
  if (!column?.sort || !order) return { sort: "submitted", descending: false };
  return { sort: column.sort, descending: order === "descending" };
}
