// Names may hold characters the window's fonts lack (CJK Extension B onwards, e.g. 𠮷 in 吉𠮷). The page's text is
// watched; each character of that kind not seen before is fetched as glyphs from the back end (the font documents
// print with) and added to the "SkillCert Rare" family that heads the font list in styles.css (each face answers
// only for its own characters).

export const RARE_FAMILY = "SkillCert Rare";

/** Characters in U+20000–U+3FFFF (what core's `needs_screen_font` serves), each once, in order of appearance. */
export function rareCharacters(text: string): string[] {
  const found = new Set<string>();
  for (const c of text) {
    const point = c.codePointAt(0) ?? 0;
    if (point >= 0x20000 && point <= 0x3ffff) found.add(c);
  }
  return [...found];
}

/** The CSS unicode-range of `chars`: a face only ever answers for the characters it was made for. */
export function unicodeRange(chars: string[]): string {
  return chars.map((c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()}`).join(",");
}

function textOf(root: Node): string {
  let text = root.textContent ?? "";
  if (root instanceof Element || root instanceof Document) {
    for (const field of root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("input, textarea")) {
      text += field.value;
    }
  }
  return text;
}

/** Watches `root` for rare characters and loads their glyphs with `load` (batched; each character once). */
export function watchRareGlyphs(root: HTMLElement, load: (text: string) => Promise<ArrayBuffer | number[]>) {
  const known = new Set<string>();
  let waiting = "";
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = async () => {
    timer = undefined;
    const chars = rareCharacters(waiting).filter((c) => !known.has(c));
    waiting = "";
    if (chars.length === 0) return;
    chars.forEach((c) => known.add(c));
    try {
      const bytes = await load(chars.join(""));
      const buffer = bytes instanceof ArrayBuffer ? bytes : new Uint8Array(bytes).buffer;
      const face = new FontFace(RARE_FAMILY, buffer, { unicodeRange: unicodeRange(chars) });
      document.fonts.add(await face.load());
    } catch {
      // Without the glyphs the name still reads correctly when copied; let a later sighting try again.
      chars.forEach((c) => known.delete(c));
    }
  };
  const note = (text: string) => {
    if (rareCharacters(text).length === 0) return;
    waiting += text;
    timer ??= setTimeout(() => void flush(), 50);
  };

  note(textOf(root));
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === "characterData") note(change.target.textContent ?? "");
      change.addedNodes.forEach((node) => note(textOf(node)));
    }
  }).observe(root, { childList: true, subtree: true, characterData: true });
  root.addEventListener("input", (event) => {
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) note(target.value);
  });
}
