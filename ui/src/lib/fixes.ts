import type { Fix } from "../api/bindings";
import { i18n } from "../i18n";

/** What to do about a refusal, in the app's words (core names the remedy; the CLI words it as a command). */
export function fixHint(fix: Fix | null | undefined): string {
  if (!fix) return "";
  const { kind, ...params } = fix;
  return i18n.global.t(`fix.${kind}`, params as Record<string, unknown>);
}

/** The screen where the fix is done, when the app has one (the action it offers beside the message). */
export function fixRoute(fix: Fix | null | undefined): string | null {
  switch (fix?.kind) {
    case "upload_photo":
      return "/import";
    case "arrange_first":
      return "/exam";
    case "record_payment":
      return "/applications";
    case "set_setting":
    case "connect_portal":
      return "/settings";
    default:
      return null;
  }
}
