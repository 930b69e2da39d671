// Copies text to the clipboard, falling back to selecting it on the page where the clipboard API is unavailable.

/** Copies text; when the clipboard API fails, selects the given element's text and tries the old copy command. */
export async function copyText(text: string, fallback?: HTMLElement): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the selection
  }
  if (!fallback) return false;
  const selection = window.getSelection();
  if (!selection) return false;
  selection.selectAllChildren(fallback);
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  }
}
