import { invoke } from "@tauri-apps/api/core";
import type { CommandError, Fix } from "./bindings";
import { fixHint } from "../lib/fixes";

/** Told when a command was refused because nobody is signed in (or the app locked itself when idle). */
let onSignInRequired: () => void = () => {};
export function whenSignInRequired(handler: () => void) {
  onSignInRequired = handler;
}

/** Calls a Rust command; a rejection always carries a {code, message, fix}: decide by the code, show the message and
 * the fix in the app's words (errorMessage). */
export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    const error = toCommandError(e);
    if (error.code === "sign_in_required") onSignInRequired();
    throw error;
  }
}

export function toCommandError(e: unknown): CommandError {
  if (typeof e === "object" && e !== null && "message" in e) {
    const { code, message, fix } = e as { code?: unknown; message: unknown; fix?: unknown };
    return {
      code: (typeof code === "string" ? code : "io") as CommandError["code"],
      message: String(message),
      fix: typeof fix === "object" && fix !== null && "kind" in fix ? (fix as Fix) : null,
    };
  }
  return { code: "io", message: String(e), fix: null };
}

/** The message to show for any failure of a call, with what to do about it when core says. */
export function errorMessage(e: unknown): string {
  const error = toCommandError(e);
  const hint = fixHint(error.fix);
  return hint ? `${error.message}。${hint}` : error.message;
}
