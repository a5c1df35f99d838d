// Who is signed in, shared by the shell (sign-in screen, header, idle lock) and 设置 (operators). A database without
// operator accounts needs no sign-in; with accounts, the app shows the sign-in screen until someone signs in, and
// again after `idle_minutes` without a key press or a click (the backend refuses commands after that too).
import { computed, ref } from "vue";
import { authStatus, signOut } from "../api/commands";
import { toCommandError, whenSignInRequired } from "../api/invoke";
import type { AuthStatus } from "../api/bindings";

const status = ref<AuthStatus | null>(null);
/** The first answer came (or failed): until then the shell shows nothing, so no screen starts loading data it may not
 * be allowed to see. */
const ready = ref(false);
/** The database is encrypted with a key this computer does not have: why, shown above the recovery-code form. */
const keyMissing = ref<string | null>(null);
let idleTimer: ReturnType<typeof setTimeout> | undefined;

async function refresh() {
  try {
    status.value = await authStatus();
    keyMissing.value = null;
    watchIdle();
  } catch (e) {
    const error = toCommandError(e);
    if (error.code !== "key_missing") throw e;
    keyMissing.value = error.message;
  } finally {
    ready.value = true;
  }
}

async function lock() {
  await signOut().catch(() => undefined);
  await refresh();
}

/** Restarts the idle countdown (called on every key press and click while signed in). */
function watchIdle() {
  clearTimeout(idleTimer);
  const s = status.value;
  if (s?.operator) idleTimer = setTimeout(() => void lock(), s.idle_minutes * 60_000);
}

whenSignInRequired(() => void refresh());

export function useAuth() {
  return {
    status,
    ready,
    keyMissing,
    /** Accounts exist and nobody is signed in: only the sign-in screen shows. */
    locked: computed(() => status.value !== null && status.value.accounts && status.value.operator === null),
    isAdmin: computed(() => status.value?.accounts === false || status.value?.role === "管理员"),
    refresh,
    lock,
    /** Someone signed in (or added the first account): keep what the backend said. */
    signedIn(next: AuthStatus) {
      status.value = next;
      watchIdle();
    },
    activity: watchIdle,
  };
}
