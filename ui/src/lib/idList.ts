import { toHalfWidth } from "./text";

/** 证件号码 pasted from anywhere (one per line, or separated by commas, spaces, 、 or ；), upper-case, no repeats. */
export function parseIdList(text: string): string[] {
  const seen = new Set<string>();
  for (const part of toHalfWidth(text).split(/[\s,，、;；]+/)) {
    const id = part.trim().toUpperCase();
    if (id) seen.add(id);
  }
  return [...seen];
}
