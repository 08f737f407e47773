import { createContext } from 'react';
import type { ApiClient } from '../api/api-client.js';
import type { ClientConfig, Me } from '../api/types.js';
import type { ThemeName } from '../theme/theme.js';
import type { Language } from '../i18n/i18n.js';

export type Session = {
  me: Me;
  config: ClientConfig;
  /** 'teams' when running inside a Teams (or Outlook/Microsoft 365) client */
  host: 'teams' | 'browser';
  theme: ThemeName;
  language: Language;
  /** outside Teams: sign in as another sample user */
  switchUser?: () => void;
};

export const SessionContext = createContext<Session | undefined>(undefined);
export const ApiContext = createContext<ApiClient | undefined>(undefined);
