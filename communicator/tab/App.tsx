import { lazy, Suspense, useEffect, useRef } from 'react';
import { HashRouter, Route, Routes, useLocation, useNavigationType } from 'react-router';
import { LoadingState, useAppTranslation } from '@teamspro/core/tab';
import { AuthorGate } from './components/AuthorGate.js';
import { GalleryScreen } from './screens/GalleryScreen.js';
import { MessagesScreen } from './screens/MessagesScreen.js';
import { NotFoundScreen } from './screens/NotFoundScreen.js';
import { ReportScreen } from './screens/ReportScreen.js';
import { SettingsScreen } from './screens/SettingsScreen.js';
import { TopicsScreen } from './screens/TopicsScreen.js';

// the composer brings the card templates and the Adaptive Cards renderer: loaded when first opened
const ComposerScreen = lazy(() => import('./screens/ComposerScreen.js').then((m) => ({ default: m.ComposerScreen })));

/**
 * The author tab. Teams opens `/tab/index.html#/personal` (the messages list); outside Teams `/tab/` shows
 * the same list without changing the URL. Everything but the list's own "authors only" notice needs the
 * Author role (GET /api/roles), which AuthorGate checks once.
 */
export function App() {
  const { t } = useAppTranslation();
  return (
    <HashRouter>
      <FocusOnNavigate />
      <AuthorGate>
        <Suspense fallback={<LoadingState label={t('common.loading')} />}>
        <Routes>
          <Route index element={<MessagesScreen />} />
          <Route path="personal" element={<MessagesScreen />} />
          <Route path="messages/new" element={<ComposerScreen />} />
          <Route path="messages/:id" element={<ComposerScreen />} />
          <Route path="messages/:id/report" element={<ReportScreen />} />
          <Route path="topics" element={<TopicsScreen />} />
          <Route path="gallery" element={<GalleryScreen />} />
          <Route path="settings" element={<SettingsScreen />} />
          <Route path="*" element={<NotFoundScreen />} />
        </Routes>
        </Suspense>
      </AuthorGate>
    </HashRouter>
  );
}

/**
 * After moving to another screen, focus its <main> (screen readers announce the new page) and scroll to the top.
 * Replacing the URL in place (a new draft getting its id) is not a move.
 */
function FocusOnNavigate() {
  const { pathname } = useLocation();
  const type = useNavigationType();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) { first.current = false; return; }
    if (type === 'REPLACE') return;
    window.scrollTo(0, 0);
    document.querySelector<HTMLElement>('main')?.focus({ preventScroll: true });
  }, [pathname]);
  return null;
}
