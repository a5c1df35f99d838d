import type { Fix } from "../api/bindings";
import { i18n } from "../i18n";

/** What to do about a refusal, in the app's words (core names the remedy; the CLI words it as a command). */
export function fixHint(fix: Fix | null | undefined): string {
  if (!fix) return "";
  const { kind, ...params } = fix;
  return i18n.global.t(`fix.${kind}`, params as Record<string, unknown>);
}
