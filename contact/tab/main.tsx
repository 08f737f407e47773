import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { TeamsProShell } from '@teamspro/core/tab';
import { resources } from './i18n.js';
import { Home } from './screens/Home.js';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <TeamsProShell resources={resources}>
      <Home />
    </TeamsProShell>
  </StrictMode>,
);
