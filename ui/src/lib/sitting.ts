import type { Sitting } from "../api/bindings";

/** A stored sitting ("2026-12-28T09:00:00" start and end) as the arrangement form types it: "2026-12-28 09:00-10:30". */
export function sittingText(s: Sitting | null | undefined): string {
  if (!s) return "";
  return `${s.start.slice(0, 10)} ${s.start.slice(11, 16)}-${s.end.slice(11, 16)}`;
}

/** Whether a level has a 综合评审 (二级/技师 and 一级/高级技师). */
export function needsReview(level: string): boolean {
  return level.startsWith("二级") || level.startsWith("一级");
}
