// The language in force (zh-CN unless the officer switched), and formatting bound to it.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { formatCount, formatDate, formatDateTime, type Locale } from "./format";
import { enumLabel, message, type MessageId } from "./messages";

const STORAGE_KEY = "zhijian.console.locale";

export interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  m: (id: MessageId, values?: Record<string, string | number>) => string;
  label: (enumName: string, value: string) => string;
  count: (value: number) => string;
  date: (iso: string | null | undefined) => string;
  dateTime: (iso: string | null | undefined) => string;
}

const Context = createContext<I18n | null>(null);

function initialLocale(): Locale {
  try {
    return localStorage.getItem(STORAGE_KEY) === "en" ? "en" : "zh-CN";
  } catch {
    return "zh-CN";
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18n>(
    () => ({
      locale,
      setLocale,
      m: (id, values) => message(locale, id, values),
      label: (enumName, v) => enumLabel(locale, enumName, v),
      count: (v) => formatCount(v, locale),
      date: (iso) => formatDate(iso, locale),
      dateTime: (iso) => formatDateTime(iso, locale),
    }),
    [locale, setLocale],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const found = useContext(Context);
  if (found === null) throw new Error("useI18n outside I18nProvider");
  return found;
}
