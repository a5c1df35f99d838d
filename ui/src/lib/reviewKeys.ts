// The review queue's keyboard: ↑/↓ (or k/j) move, space ticks, a approves, r rejects, ctrl/⌘+a ticks every row.

export type ReviewKey = "up" | "down" | "toggle" | "approve" | "reject" | "all" | null;

export function reviewKey(e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey">): ReviewKey {
  if (e.altKey) return null;
  const key = e.key.toLowerCase();
  if ((e.ctrlKey || e.metaKey) && key === "a") return "all";
  if (e.ctrlKey || e.metaKey) return null;
  switch (key) {
    case "arrowup":
    case "k":
      return "up";
    case "arrowdown":
    case "j":
      return "down";
    case " ":
      return "toggle";
    case "a":
      return "approve";
    case "r":
      return "reject";
    default:
      return null;
  }
}

/** Typing in a field must not trigger the queue's keys. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.isContentEditable === true);
}
