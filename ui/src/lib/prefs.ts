// Preferences that survive a restart (the webview's localStorage is kept in the app's data directory).

const PREFIX = "skillcert.";

export function loadPref<T>(key: string, fallback: T): T {
  try {
    const text = localStorage.getItem(PREFIX + key);
    if (text === null) return fallback;
    const value = JSON.parse(text) as unknown;
    // A stored value of another shape (an older version's) is ignored rather than trusted.
    return typeof value === typeof fallback && Array.isArray(value) === Array.isArray(fallback) ? (value as T) : fallback;
  } catch {
    return fallback;
  }
}

export function savePref(key: string, value: unknown): void {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // A full or unavailable storage only loses the preference.
  }
}
