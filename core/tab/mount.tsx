import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { TeamsProShell } from './components/TeamsProShell.js';
import type { AppResources } from './i18n/i18n.js';

/** Renders an app's tab into #root inside the shared shell (theme, language, sign-in). */
export function mountTab(resources: AppResources, screen: ReactNode) {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <TeamsProShell resources={resources}>{screen}</TeamsProShell>
    </StrictMode>,
  );
}
