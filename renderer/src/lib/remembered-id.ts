// The last project or model an artist chose, kept across sessions in localStorage. localStorage throws where the page's
// origin is opaque (e.g. an unregistered custom scheme): remembering is optional, so a failure only forgets.

/** The positive whole number stored under `key`, or null. */
export function rememberedId(key: string): number | null {
  try {
    const value = Number(localStorage.getItem(key));
    return Number.isInteger(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

export function rememberId(key: string, id: number): void {
  try {
    localStorage.setItem(key, String(id));
  } catch {
    // See the file's comment.
  }
}
