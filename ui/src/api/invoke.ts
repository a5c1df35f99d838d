import { invoke } from "@tauri-apps/api/core";
import type { CommandError } from "./bindings";

/** Told when a command was refused because nobody is signed in (or the app locked itself when idle). */
let onSignInRequired: () => void = () => {};
export function whenSignInRequired(handler: () => void) {
  onSignInRequired = handler;
}

/** Calls a Rust command; a rejection always carries a {code, message} the UI can show as is. */
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
    const { code, message } = e as { code?: unknown; message: unknown };
    return { code: (typeof code === "string" ? code : "io") as CommandError["code"], message: String(message) };
  }
  return { code: "io", message: String(e) };
}

/** The message to show for any failure of a call. */
export function errorMessage(e: unknown): string {
  return toCommandError(e).message;
}
