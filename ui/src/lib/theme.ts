import type { Theme } from "../api/types";

/** Applies a theme to the document; "system" follows prefers-color-scheme via CSS. */
export function applyTheme(theme: Theme) {
  const root = document.documentElement;
  root.dataset.theme = theme;
  try {
    localStorage.setItem("loket.theme", theme);
  } catch {
    // ignore: the backend setting applies at the next start anyway
  }
}

export function initialTheme(): Theme {
  try {
    const t = localStorage.getItem("loket.theme");
    if (t === "light" || t === "dark" || t === "system") return t;
  } catch {
    // ignore
  }
  return "system";
}
