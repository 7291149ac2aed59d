import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./en";
import es from "./es";
import id from "./id";
import type { Language } from "../api/types";

export const resources = { en: { translation: en }, id: { translation: id }, es: { translation: es } };
export const LANGUAGES: Language[] = ["en", "id", "es"];

function initialLanguage(): Language {
  const saved = typeof localStorage !== "undefined" ? localStorage.getItem("loket.language") : null;
  if (saved === "en" || saved === "id" || saved === "es") return saved;
  const nav = typeof navigator !== "undefined" ? navigator.language.slice(0, 2) : "en";
  return nav === "id" || nav === "es" ? nav : "en";
}

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: "en",
  supportedLngs: LANGUAGES,
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
  react: { useSuspense: false },
});

/** Switches the UI language and remembers it for the next start (before settings load). */
export function applyLanguage(language: Language) {
  if (i18n.language !== language) void i18n.changeLanguage(language);
  document.documentElement.lang = language;
  try {
    localStorage.setItem("loket.language", language);
  } catch {
    // storage may be unavailable; the backend setting still wins at the next start
  }
}

export default i18n;
