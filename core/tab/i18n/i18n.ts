import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { shellStrings } from './shell-strings.js';

export const supportedLanguages = ['en', 'fr'] as const;
export type Language = (typeof supportedLanguages)[number];

/** An app's strings, one object per language (namespace "app"). */
export type AppResources = { en: Record<string, unknown>; fr: Record<string, unknown> };

/** 'fr-FR', 'fr_ca', 'FR' → 'fr'; anything we don't translate → 'en'. */
export function normalizeLanguage(tag: string | null | undefined): Language {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return supportedLanguages.find((l) => l === primary) ?? 'en';
}

/** Outside Teams: `?lang=` wins, then the browser's preferred languages. */
export function browserLanguage(search = window.location.search, languages: readonly string[] = navigator.languages ?? [navigator.language]): Language {
  const fromQuery = new URLSearchParams(search).get('lang');
  if (fromQuery) return normalizeLanguage(fromQuery);
  for (const tag of languages) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    const match = supportedLanguages.find((l) => l === primary);
    if (match) return match;
  }
  return 'en';
}

/** One i18next instance per tab: the shell's strings plus the app's, synchronously ready. */
export function createTabI18n(app: AppResources, language: Language): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: {
      en: { shell: shellStrings.en, app: app.en },
      fr: { shell: shellStrings.fr, app: app.fr },
    },
    lng: language,
    fallbackLng: 'en',
    supportedLngs: [...supportedLanguages],
    ns: ['shell', 'app'],
    defaultNS: 'app',
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    initAsync: false,
  });
  const applyLang = (lng: string) => { document.documentElement.lang = normalizeLanguage(lng); };
  applyLang(instance.language);
  instance.on('languageChanged', applyLang);
  return instance;
}

/** The app's strings: `const { t } = useAppTranslation(); t('welcome.title')`. */
export const useAppTranslation = () => useTranslation('app');
/** The shell's strings (for core components). */
export const useShellTranslation = () => useTranslation('shell');
